## Messages of peer sync (musette-sync). English is what `--json`, logs and scripts see.
## Refused input.
cosign-removed = recommendation { $id } is removed: bring it back with `musette rm --undo { $id }` first
cosign-already = { $peer } has already co-signed recommendation { $id }
cosign-too-long = this recommendation is too long to send (over 256 KiB)
cosign-too-many = too many co-signing requests
cosign-peer-full = { $n } co-signing requests from this peer already wait: sign or let them be first
cosign-ambiguous = { $n } requests start with { $prefix }: give more of the id
cosign-no-request = no co-signing request { $id }: see them with `musette recommend requests`
cosign-signed = request { $id } is already signed
device-none = no device { $which }: see them with `musette device list`
device-short = { $which } is too short to name a device: give its name, or at least 6 characters of its id (`musette device list`)
device-ambiguous = { $n } devices match { $which }: give more of its id
name-empty =
    { $what ->
        [guild] guild
       *[other] peer
    } name { $name } is empty: give a short name such as acme or mentor
name-long =
    { $what ->
        [guild] guild
       *[other] peer
    } name { $name } is longer than 64 characters
name-control =
    { $what ->
        [guild] guild
       *[other] peer
    } name { $name } holds control characters
name-shape =
    { $what ->
        [guild] guild
       *[other] peer
    } name { $name } may not start with '-', hold a comma, or start or end with spaces
name-musette =
    { $what ->
        [guild] guild
       *[other] peer
    } name { $name } may not start with "musette" (tickets do)
peer-none = no peer named { $name }: see them with `musette peer list`, add one with `musette peer add NAME TICKET`
peer-own-device = that ticket is one of your own devices: sync with it with `musette sync --with TICKET`, no need to add it as a peer
peer-name-is-guild = { $name } is already the name of a guild: choose another name for the peer
peer-known = that ticket is the peer already known as { $name }: run `musette peer add { $name } TICKET` to update it, or `musette peer remove { $name }` first
peer-name-taken = a peer named { $name } already exists with another identity: choose another name, or `musette peer remove { $name }` first
peer-too-many = this vault already knows { $n } peers: remove some first
peer-none-short = no peer named { $name }: see them with `musette peer list`
guild-name-is-peer = { $name } is already the name of a peer: choose another name for the guild
guild-exists = a guild named { $name } already exists
guild-too-many = too many guilds: delete some first
guild-none = no guild named { $name }: see them with `musette guild list`, make one with `musette guild create NAME`
share-too-large = the shared fields of record { $id } hold more than 1 MiB: share fewer or shorter fields
share-total-too-large = your shares would take { $size } MiB in all, more than the { $max } MiB your devices exchange in one message: share fewer records or fields, or unshare some (`musette unshare`)
share-no-target = no peer or guild named { $name }: see them with `musette peer list` and `musette guild list`
share-removed = record { $id } is removed: bring it back with `musette rm --undo { $id }` first
share-too-many-fields = too many fields, or a field name too long, to share
share-no-field = record { $id } has no field { $field }: its fields are { $have }
share-fields-empty = --fields names no field: give them as title,organization
share-too-many = this vault already holds too many shares
share-not-shared = record { $id } is not shared with { $target }: see what is with `musette shares`
received-peer-full = this vault already keeps as much as it takes from one peer ({ $n } items or 64 MiB): remove some with `musette received --forget ID`
received-peer-too-much = this peer's items would hold more than this vault keeps from one peer (64 MiB): remove some with `musette received --forget ID`
received-none = no received item { $prefix }: see them with `musette received`
received-short = the received item id { $prefix } is too short: give at least 6 characters of an id `musette received` shows
received-ambiguous = { $n } received items start with { $prefix }: give more of the id

## Damage found in the file, forgeries, input and output.
share-decode = a share's document does not decode
share-id-malformed = a share id is malformed
setting-decode = the setting { $name } does not decode
share-version-forged = the peer says it holds version { $version } of a share this vault made only { $made } versions of
spool-read-back = reading back a large record's attachments
cosign-request-not-json = a co-signing request is not JSON
cosign-request-not-signed = a co-signing request is not a recommendation signed by the peer who sent it
cosign-answer-not-json = it is not JSON
cosign-answer-unsigned = it came back without the co-signer's signature
cosign-request-json = the request is not JSON
## Network failures (see `said.rs`: a refusal travels as its English and is recognised here).
as-is = { $text }
refusal-other-vault = it holds another vault
refusal-not-this-peer = it is not the peer this ticket names
refusal-unknown-peer = this vault does not know yours: its owner must add your ticket with `musette peer add NAME TICKET`
refusal-not-a-device = this device is not one of this vault's: { $why }
refusal-take-records = could not take its records: { $why }
refusal-send-records = could not send its records: { $why }
refusal-forgets = could not apply its forgets: { $why }
refusal-peers = could not merge its peers and shares: { $why }
refusal-keep = could not keep what it sent: { $why }
cert-bad-signature = its certificate is not signed by this vault's owner
cert-wrong-endpoint = its certificate names another device than the one connected
cert-bad-did = the owner's identity is not a did:key
ticket-prefix = it does not start with { $prefix }: copy the whole ticket
ticket-invitation-prefix = it does not start with { $prefix }: use what `musette device invite` printed
ticket-is-invitation = it is a device invitation (musettejoin1…): use it on your new device with `musette device join`; for a peer, ask for the ticket `musette serve` or `musette ticket` prints
invitation-is-ticket = it is a ticket (musette1…), which `musette peer add` and `musette sync --with` take: to join, use the invitation `musette device invite` printed (musettejoin1…)
ticket-too-long = it is too long
ticket-checksum = it is cut or mistyped (its checksum does not match): copy it again
ticket-cut = it is cut or mistyped
ticket-did = its identity is not a did:key
ticket-endpoint = its endpoint id is not a key
net-bind = cannot open the network endpoint: { $why }
net-address = cannot listen on { $addr }: { $why }. Give --bind (or MUSETTE_BIND) an address of this machine, such as 127.0.0.1:0, or 0.0.0.0:PORT for every interface, with a port no other program uses
net-unreachable = could not reach { $who }: { $why }. Check that it runs `musette serve` (or the app, open and unlocked) and that the address known for it is current (a newer ticket updates it)
net-no-answer = no answer in { $secs } s at the addresses it was given
net-already-served = another musette already serves this vault (`musette serve`, `musette device invite`, or the web app in another window): use that one, or stop it first
net-keys-changing = another musette command is changing this vault's keys (rekey, device remove, new keys taken): try again once it ends
net-bad-ticket = that is not a musette ticket: { $why }
net-bad-invitation = that is not a musette invitation: { $why }
sync-wire = { $why }
sync-refused = the other device refused: { $why }
sync-refusing = refused the other device: { $why }
sync-protocol = the other device broke the protocol: { $why }
sync-new-keys = the other device removed { $removed } from this vault and gives this one the new keys
sync-new-keys-rekey = the other device made new keys for this vault (`musette rekey`) and gives them to this one
who-other-device = the other device
who-device-at = the device at { $prefix }
refusal-peer-cert = its peer certificate does not hold: { $why }
refusal-own-device = it is one of this vault's own devices: sync with it as a device
refusal-busy = it is busy with other devices and peers: try again in a moment
