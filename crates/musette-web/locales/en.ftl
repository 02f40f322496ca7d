# musette web app: English.
skip-to-content = Skip to the content
nav-label = Main
nav-dashboard = Dashboard
nav-records = Records
nav-add = Add a record
nav-profile = Your profile
profile-title = Your profile
profile-intro = Your own contact card, with your identity (did): it heads your résumé exports and goes with your vCard. Fill in what you want others to see.
nav-lock = Lock
back-home = Back to the dashboard
error-title = Something went wrong

unlock-title = Unlock your backpack
unlock-button = Unlock
unlock-wrong = Wrong passphrase: try again. Forgot it? Use your recovery key (the link below).
unlock-forgot = Forgot your passphrase? Use your recovery key.
create-title = Create your backpack
create-intro = There is no vault here yet. Choose a passphrase: it encrypts everything you keep, on this device only.
create-hint = At least 8 characters. A few unrelated words are easy to remember and hard to guess.
create-button = Create my backpack
create-too-short = The passphrase is too short: use at least 8 characters.
create-mismatch = The two passphrases differ: type the same one twice.
field-passphrase = Passphrase
field-confirm = Passphrase again

recovery-title = Your recovery key
recovery-intro = If you forget your passphrase, this key is the only way back into your backpack. It is shown once.
recovery-warning = Write it on paper or print it, and keep it somewhere safe, away from this device. Anyone holding it can open your backpack.
recovery-print = Print
recovery-done = I wrote it down

dashboard-title = Your backpack
dashboard-records = { $n ->
    [0] No records yet
    [one] One record
   *[other] { $n } records
}
dashboard-empty = Start with an experience, a skill or a contact.
dashboard-due = To do
dashboard-nothing-due = Nothing overdue, nothing due in the next 30 days.
dashboard-received = Received
dashboard-received-count = { $n ->
    [0] Nothing received yet.
    [one] One credential or presentation received.
   *[other] { $n } credentials or presentations received.
}
due-waiting = waiting for you
due-overdue = { $n ->
    [one] was due yesterday
   *[other] was due { $n } days ago
}
due-expired = { $n ->
    [one] expired yesterday
   *[other] expired { $n } days ago
}
due-in = { $n ->
    [0] due today
    [one] due tomorrow
   *[other] due in { $n } days
}
due-expires-in = { $n ->
    [0] expires today
    [one] expires tomorrow
   *[other] expires in { $n } days
}

records-title = Records
records-search = Search
records-kind = Kind
records-any-kind = Any kind
records-tag = Tags
records-filter = Show
records-count = { $n ->
    [0] No record matches.
    [one] One record.
   *[other] { $n } records.
}
records-col-title = Title
records-col-date = Date

record-title = Record
record-removed = removed
record-edit = Edit
record-attachments = Attachments
record-no-attachments = No attachment.
record-history = History
history-when = When
history-device = Device
history-what = What
history-fields = Fields
history-this-device = this device
record-remove-h = Remove
record-remove = Remove (reversible)
record-restore = Restore
record-forget = Forget for good…

new-title = Add a record
edit-title = Edit a record
form-change-kind = Change kind
form-save = Save
hint-date = YYYY, YYYY-MM or YYYY-MM-DD, for example 2024-09.
hint-list = Separate several with commas.
hint-ref = The id of another record (its first 6 characters are enough).

forget-title = Forget a record
forget-warning = Forgetting destroys the record's key and content on this device: it cannot be undone, not even from a backup made after today. To hide a record and keep it, remove it instead.
forget-confirm = I understand that this record will be gone for good.
forget-button = Forget it
forget-cancel = Keep it
forget-unconfirmed = Tick the box to confirm: nothing was forgotten.

kind-contact = contact
kind-experience = experience
kind-skill = skill
kind-badge = badge
kind-evidence = evidence
kind-recommendation = recommendation
kind-document = document

choice-employment = employment
choice-freelance = freelance
choice-volunteer = volunteering
choice-education = education
choice-project = project
choice-other = other
choice-contract = contract
choice-payslip = payslip
choice-certificate = certificate
choice-training = training
choice-id = identity document

field-name = Name
field-organization = Organisation
field-role = Role
field-email = Email
field-phone = Phone
field-url = Web address
field-notes = Notes
field-did = Decentralised identifier (did)
field-title = Title
field-type = Type
field-start = Start
field-end = End
field-location = Place
field-description = Description
field-skills = Skills
field-level = Level
field-keywords = Keywords
field-issuer = Issuer
field-issued = Issued
field-expires = Expires
field-criteria = Criteria
field-credential = Original credential
field-date = Date
field-experience = Experience
field-text = Text
field-author = Author
field-author_did = Author's did
field-about = About
field-category = Category
field-due = Due
field-tags = Tags

attach-label = Attach a file
attach-hint = Or drop a file on this box. Files of any size are sent in pieces.
attach-progress = Sending the file
attach-button = Attach
attach-none = Choose a file to attach.
attach-done = Attached.
attach-failed = The file was not attached:

nav-verify = Verify
record-issue = Share as a signed credential
verify-title = Verify a credential
verify-intro = Drop a credential or a presentation someone gave you (JSON, a JWT, or a badge image): see what it says, who signed it, and whether every signature holds. Nothing leaves this machine.
verify-file = The file
verify-button = Verify
verify-no-file = Choose a file to verify.
verify-verified = Verified: every proof holds.
verify-failed = Not verified: a proof does not hold, or none is by its issuer.
verify-unchecked = Cannot be checked offline: nothing shows it was altered, nothing confirms it either.
verify-not-now = Not valid now: its proofs hold, but it is expired or not yet valid.
verify-what = What
verify-kind = Kind
verify-issuer = Issued by
verify-subject = About
verify-says = What it says
verify-proofs = Signatures
verify-no-proof = It carries no signature.
verify-proof-holds = the signature holds
verify-proof-fails = the signature does not hold:
verify-proof-unchecked = cannot be checked offline:
verify-not-by-issuer = No signature is by its issuer: it says nothing the issuer vouched for.
issue-title = Share as a signed credential
issue-intro = Tick what the recipient will see: only that is signed and given. You get a file to send them (by email, on a USB stick); they can check it on the Verify page of their own musette, or with any tool that verifies credentials.
issue-fields = Fields to share
issue-to = For whom (optional)
issue-to-hint = For your own record of what you gave to whom, for example "Acme HR".
issue-suite = Signature
issue-suite-rdfc = what Open Badges verifiers and wallets check
issue-suite-jcs = for verifiers without JSON-LD
issue-button = Sign and download
issue-no-field = Tick at least one field to share.

records-page = (page { $page } of { $pages })
records-pages = Pages
records-prev = Previous page
records-next = Next page
dashboard-more-due = { $n ->
    [one] And one more.
   *[other] And { $n } more.
}

nav-transfer = Import and export
transfer-title = Import and export
import-h = Bring your backpack in
import-intro = A JSON Resume, the ZIP LinkedIn sends with "Get a copy of your data", vCards from an address book, or an Open Badge. Importing the same file again adds nothing: what changed is updated.
import-format = Format
import-guess = Recognise it
import-dry-run = Only show what would change
import-button = Import
import-would = What the import would do (nothing was written)
import-done = Imported
import-new = { $n } new
import-updated = { $n } updated
import-unchanged = { $n } unchanged
import-skipped = { $n ->
    [one] One entry left out
   *[other] { $n } entries left out
}
import-notes = Details left out
export-h = Take it out
export-resume = Your résumé (JSON Resume)
export-vcard = Your contacts (vCard)
export-more = Everything, readable without musette, from the command line: `musette export all`. A backup opens only with your passphrase or recovery key (`musette restore`); keep it on another disk.

month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

records-show-removed = Include removed records
action-add = created
action-edit = changed
action-attach = file attached
action-detach = file removed
action-rm = removed
action-undo = restored
action-import = imported
action-merge = merged from another device
action-recommend = recommendation signed
verify-self = Self-declared: it is signed by the person it is about, and no one else vouches for it. Ask for a credential from whoever can confirm it (an employer, a school), or for a co-signed recommendation.
verify-kind-credential = a credential
verify-kind-presentation = a presentation (several credentials, handed over together)
action-change = changed
action-cosign = co-signed

count-contact = { $n ->
    [one] contact
   *[other] contacts
}
count-experience = { $n ->
    [one] experience
   *[other] experiences
}
count-skill = { $n ->
    [one] skill
   *[other] skills
}
count-badge = { $n ->
    [one] badge
   *[other] badges
}
count-evidence = { $n ->
    [one] piece of evidence
   *[other] pieces of evidence
}
count-recommendation = { $n ->
    [one] recommendation
   *[other] recommendations
}
count-document = { $n ->
    [one] document
   *[other] documents
}
upload-network-error = The connection was cut: try again.
recover-title = Use your recovery key
recover-intro = The recovery key you wrote down when you created your backpack opens it; then choose a new passphrase.
recover-key-hint = Letters and digits; dashes and spaces do not matter.
recover-new = New passphrase
recover-button = Open and set the new passphrase
recover-back = Back to the passphrase
recover-wrong = This recovery key does not open this backpack: check it against the one you wrote down (a newer one replaces older ones).
issue-advanced = Advanced: the kind of signature

nav-received = Received
received-title = What others gave you
received-shared = Shared with you by your peers
received-kept = Credentials and presentations kept from files
received-none-shared = No peer shares anything with you yet.
received-none-kept = None kept yet: import one on the Import page, or with `musette import`.
received-from = from
received-signed = The sender's signature is valid.
received-unsigned = The sender's signature does not hold: do not rely on it.
received-revoked = The sender took it back.
verify-keep-intro = Keep it in your backpack, as you received it: you can show it again and check it later.
verify-keep = Keep it
record-share = Share with a peer
share-title = Share with a peer
share-to = With
share-no-peers = You have no peers yet: add one with `musette peer add` (they give you their ticket), or group them in a guild with `musette guild`.
share-no-target = Choose with whom to share.
share-preview = Show what they will see
share-button = Share
share-preview-h = What they will see
share-preview-note = Exactly these fields, signed by you. They receive it at your next sync; you can take it back at any time (what they already received stays with them).
share-current = Already shared
share-guild-members = { $n ->
    [one] one member
   *[other] { $n } members
}
share-done = Shared. It leaves at your next sync (`musette sync`), or at once if a device of yours runs `musette serve`.
present-pick = Choose
present-button = Sign the chosen records together and download
present-hint = One file holding every chosen record, all its fields, signed by you: to choose fields, share records one by one instead.
present-none = Tick at least one record to present.

error-unknown-kind = unknown record kind "{ $kind }": use one of contact, experience, skill, badge, evidence, recommendation, document
error-missing-contact = A contact needs a name
error-missing-experience = An experience needs a title
error-missing-skill = A skill needs a name
error-missing-badge = A badge needs a name
error-missing-evidence = A piece of evidence needs a title
error-missing-recommendation = A recommendation needs its text
error-missing-document = A document needs a title
error-invalid-date = "{ $value }" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (for example 2024-09 or 2024-09-30)
error-invalid-date-field = { $field }: "{ $value }" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (for example 2024-09 or 2024-09-30)
error-end-before-start = The end ({ $end }) is before the start ({ $start }): check both
error-no-vault = There is no vault at { $path }: create one with `musette init`, or point --vault or MUSETTE_VAULT at yours
error-wrong-passphrase = Wrong passphrase: try again, or set a new one with your recovery key
error-no-such-record = There is no record { $id }
cli-error = error
cli-hint-set = add --set { $field }=…
cli-invalid-value = "{ $value }" is not a valid value for { $arg }
cli-unknown-argument = { $arg } is not an option of this command
cli-unknown-command = "{ $command }" is not a command of musette
cli-did-you-mean = did you mean { $suggestion }?
cli-missing-argument = missing: { $arg }
cli-see-help = see `musette --help`

nav-people = People
people-title = The people you share with
people-peers = Peers
people-no-peers = No peer yet.
people-last-sync = Last sync
people-never = never
people-add = Add a peer
people-add-hint = Ask them for their ticket (`musette ticket` on their device) and paste it here. Sharing and receiving happen at each sync (`musette sync`).
people-ticket = Their ticket
people-add-button = Add
people-bad-ticket = This is not a musette ticket: ask for the text `musette ticket` prints, whole.
people-guilds = Guilds
people-no-members = No member yet.
people-member = Peer
people-member-add = Add to the guild
people-member-remove = Take out of the guild
people-new-guild = New guild
people-create = Create
export-backup = An encrypted backup of the whole backpack

nav-cosign = Co-signing
cosign-title = Co-signed recommendations
cosign-incoming = Asked of you
cosign-outgoing = You asked
cosign-none-incoming = Nobody asked you to co-sign anything.
cosign-none-outgoing = You asked nobody to co-sign anything yet (`musette recommend request`).
cosign-sign = Co-sign it
cosign-sign-hint = Sign only what you can vouch for: your signature says you stand behind these words. It leaves at your next sync.
cosign-state-pending = waiting for you
cosign-state-signed = signed, leaves at the next sync
cosign-state-answered = signed and sent
cosign-state-queued = leaves at the next sync
cosign-state-sent = sent, waiting for an answer
cosign-state-refused = the answer did not check out
record-saved = Saved.

## Devices
nav-devices = Devices
devices-title = Your devices
devices-list = Devices that hold this vault
devices-id = Id
devices-state = State
devices-this = This device
devices-removed = Removed: it gets nothing more
devices-no-address = Left out: with relays off, this device knows no address for it (it only ever connected to this one). It syncs when you sync on it.
devices-waiting-keys = Has not taken the vault's new keys yet: on it, press "Sync with every device and peer" on its Devices page (or run `musette sync`)
devices-sync = Sync now
devices-sync-hint = Brings your other devices up to date and exchanges what you share with your peers. While this app is open and unlocked, they can reach it too, as they reach `musette serve`.
devices-sync-button = Sync with every device and peer
devices-syncing = Syncing…
devices-sent = Sent
devices-received = Received
devices-synced = Synced
devices-nobody = This vault has no device or peer to sync with yet: add a device below, or a peer on the People page.
devices-busy = A sync or a join is already under way: wait for it to end.
devices-new-keys = That device made new keys for the vault (it removed a device, or changed the keys) and offers them to this one: see "New keys offered" above.
devices-timeout = It did not answer within 90 seconds.
devices-other = The other device
devices-add = Add a device
devices-add-hint = Your phone, a second computer: make an invitation here, then use it on the new device. It works once, for ten minutes.
devices-invite-button = Make an invitation
devices-invite-scan = On the new computer, open musette (`musette ui`) and paste the text below under “Join my vault”; or scan this code with it.
devices-invite-until = Valid until
devices-invite-text = The invitation (it holds a secret: give it to no one)
devices-invite-command = Or, in a terminal there, run this and paste the invitation when asked:
devices-invite-cancel = Cancel the invitation
devices-invite-check = Check whether the device joined
devices-invite-waiting = Waiting for the new device…
devices-invite-refused = { $n ->
    [one] One device with a wrong invitation was refused.
   *[other] { $n } devices with a wrong invitation were refused.
}
devices-invite-expired = The invitation expired: no device joined within ten minutes. Make a new one.
devices-invite-cancelled = The invitation was cancelled.
devices-invite-withdrawn = Three wrong invitations were tried: this one is withdrawn. Make a new one.
devices-joined = { $name } joined this vault, but has not copied the records yet: sync it from there.
devices-joined-synced = { $name } joined this vault and copied the records.
error-csrf = This form's security token is missing or stale: reload the page and try again.
error-no-page = There is no such page here.
error-link-used = This link was already used, or is not the one `musette ui` printed: run `musette ui` again for a new one.
error-in-field = { $field }: { $why }
error-no-original = record { $id } holds no original credential
error-unknown-action = unknown action { $action }
error-keep-only-vc = only a credential or a presentation can be kept
error-import-unknown = musette could not tell what this file is ({ $why }): it imports a JSON Resume, a LinkedIn export (ZIP), vCards and badges (JSON, PNG, SVG)
error-import-refused = { $why }
error-form-unreadable = the form could not be read: { $why }
error-recipient = the recipient's name takes 1 to 200 characters, without control or invisible characters (such as a text-direction override)
error-too-large = this file is larger than this page takes: at most { $mib } MiB
error-request-too-large = the request is larger than this address takes: send a smaller file
error-credential-too-large = a credential is at most { $mib } MiB
error-suite = the suite is eddsa-rdfc-2022 or eddsa-jcs-2022
error-field-too-long = a field of this form is far too long
error-upload-incomplete = the upload broke off, stalled or came too slowly (under 1 MiB a second) before the file was whole: nothing was attached; send it again
error-upload-too-large = the file is larger than this app takes ({ $mib } MiB): attach it with `musette attach`
error-busy = the vault is busy with a transfer (an upload, a download, an import or a backup): try again when it ends
error-wrong-host = this server answers only at 127.0.0.1:{ $port } (the address `musette ui` printed), not at { $host }
error-foreign-origin = a request from another site ({ $origin }) is refused
error-open-with-link = open the app with the link `musette ui` printed (it works once, in one browser); run `musette ui` again for a new one
error-import-forged = the badge's proof does not hold ({ $why }): nothing was imported
verify-keep-failed = This one did not verify: if you keep it, it is kept marked as not verified, as evidence of what you were given, never as a credential of yours.
error-not-a-choice = { $field } must be one of { $allowed }, not { $value }
error-not-an-id = "{ $input }" is not a record id: ids are letters and digits 2-7
error-short-id = The record id "{ $input }" is too short: give at least 6 characters
error-already-exists = A vault already exists at { $path }: use it, or choose another folder
error-not-a-vault = { $path } is not a musette vault ({ $reason })
error-too-new = This vault was written by a newer musette (format { $found }, this one reads up to { $supported }): upgrade musette
error-wrong-recovery-key = Wrong recovery key: check it against the one you wrote down when the vault was made or last rekeyed (dashes and spaces do not matter)
error-invalid-session = The session is not valid for this vault (locked, or from another vault): unlock again
error-session-expired = The session has expired: unlock again
error-no-such-attachment = Record { $record } has no attachment named "{ $name }"
cli-value-required = { $arg } needs a value
cli-possible-values = possible values: { $values }
join-title = Or join a vault you already have
join-intro = Your backpack is on another computer already? On that one, open Devices and make an invitation; paste it here. This device gets its own passphrase and recovery key, and the records are copied over.
join-invitation = The invitation (it starts with musettejoin1)
join-passphrase = A passphrase for this device
join-hint = At least 8 characters. It opens the vault on this device only; your other devices keep theirs.
join-button = Join my vault
field-profiles = Profiles
field-interests = Interests
field-source = Came from
field-publisher = Publisher
field-summary = Summary
field-website = Website
field-highlights = Highlights
field-courses = Courses
field-area = Field of study
field-studyType = Degree
field-score = Grade
field-awarder = Awarded by
field-endorsements = Endorsements
field-fluency = Fluency
record-original-kept = kept as issued ({ $size }): download it below
record-original-download = Download the original credential
cli-edit-nothing = nothing to change: give --set, --unset, --from-json, --tag or --untag
cli-not-confirmed-changed = not confirmed: nothing was changed
cli-updated = Updated { $id }
cli-no-change = No change to { $id }
cli-removed = Removed { $id } (restore it with `musette rm --undo { $id }`)
cli-already-removed = { $id } was already removed
cli-restored = Restored { $id }
cli-not-removed = { $id } was not removed
cli-forget-confirm = forget destroys { $id } for good and cannot be undone: confirm with --yes
cli-forget-ask = Destroy { $what } and its attachments for good? This cannot be undone. [y/N]
cli-not-confirmed-destroyed = not confirmed: nothing was destroyed
cli-forgot = Forgot { $id }: its content and key are destroyed
cli-edit-anyway = Edit it anyway? [y/N]
cli-no-file-name = { $path } has no file name: give one with --name
cli-cannot-open = cannot open { $path }: { $why }
cli-attach-folder = { $path } is a folder: attach files one by one
cli-attached = Attached { $name } ({ $size }) to { $id }
cli-detached = Detached { $name } from { $id }
cli-wrote = Wrote { $name } ({ $size }) to { $path }
cli-set-no-equals = --set { $arg } has no '=': write --set FIELD=VALUE, e.g. --set title="Data analyst"
cli-cannot-read = cannot read { $path }: { $why }
cli-extra-field = musette: note: { $name } is not a standard field of { $article } { $kind }; it was kept as an extra field (standard fields: { $standard })
cli-locked-no-terminal = the vault is locked and there is no terminal to ask for the passphrase: pass --passphrase-file FILE or --passphrase-env VAR, or start a session with `musette unlock`
cli-ask-passphrase = Passphrase for { $path }:
cli-ask-new-passphrase = New passphrase:
cli-ask-repeat-passphrase = Repeat the new passphrase:
cli-passphrases-differ = the two passphrases differ: nothing was changed; try again
cli-ask-recovery-key = Recovery key:
cli-env-not-set = --passphrase-env names the variable { $var }, which is not set: export it, or use --passphrase-file
cli-created = Created a vault at { $path }
cli-identity = Your identity (shared with those who verify what you send): { $did }
cli-recovery-shown-once = Recovery key (shown only now; write it down and keep it offline):
cli-recovery-use = With it, `musette recover` sets a new passphrase if you forget yours.
cli-unlock-right = The passphrase is right. To start a session in this shell, run:
cli-unlock-token = The token goes straight into { $var }: never shown, never typed, it stays
    out of your screen and your shell history. End the session with `musette lock`.
cli-locked = Locked: { $n } session(s) ended. You can `unset { $var }`.
cli-lock-no-session = { $var } is not set, so there is no current session to end: use `musette lock --all` to end every session
cli-nothing-due = Nothing due in the next { $n } days, nothing overdue.
cli-due-soon = { $soon } thing(s) due within a week: see `musette due`
cli-due-overdue = { $overdue } thing(s) overdue: see `musette due`
cli-due-both = { $overdue } thing(s) overdue, { $soon } due within a week: see `musette due`
cli-no-match = musette: no records match
cli-import-format-alone = give the file to import after its format: musette import { $format } FILE
cli-import-one-file = import takes one file at a time: run musette import { $first }, then musette import { $second }
cli-import-usage = give a file to import, optionally after its format: musette import badge FILE
cli-import-unknown-format = unknown import format { $format }: the formats are: { $formats }
cli-import-folder = { $path } is a folder: only a LinkedIn export (`import linkedin`) is read from a folder
cli-cannot-import = cannot import { $path }: { $why }
cli-import-not-zip = a LinkedIn export is the ZIP LinkedIn sends (or its unzipped folder), and this is not a ZIP
cli-not-json = it is not JSON ({ $why })
cli-import-dry-run-one = --dry-run goes with imports of many records (json-resume, linkedin, vcard): a badge or credential is one, shown by `musette verify`
cli-badge-held = this badge is already in your vault as { $id }: nothing was imported
cli-imported-badge = Imported badge { $name }: { $status }
cli-badge-invalid = the badge's proof does not hold ({ $why }): nothing was imported; use --allow-invalid to keep it anyway
cli-reading = Reading { $files }
cli-skipped = musette: skipped { $what }
cli-note = musette: note: { $what }
cli-would-import = Would import: { $new } new, { $updated } updated, { $unchanged } unchanged
cli-would-import-skipped = Would import: { $new } new, { $updated } updated, { $unchanged } unchanged, { $skipped } skipped
cli-imported-contacts = Imported contacts: { $new } new, { $updated } updated, { $unchanged } unchanged
cli-imported-contacts-skipped = Imported contacts: { $new } new, { $updated } updated, { $unchanged } unchanged, { $skipped } skipped
cli-imported-records = Imported records: { $new } new, { $updated } updated, { $unchanged } unchanged
cli-imported-records-skipped = Imported records: { $new } new, { $updated } updated, { $unchanged } unchanged, { $skipped } skipped
cli-no-data-dir = cannot find your data directory: choose a vault folder with --vault DIR or MUSETTE_VAULT
cli-warning = musette: warning: { $what }
cli-wrote-contacts = Wrote { $n } { $n ->
        [one] contact
       *[other] contacts
    } to { $path }
verify-expired-on = It expired on { $date }.
verify-valid-from = It is valid only from { $date }.
verify-status-online = Its status (whether it was revoked) is published at { $url }, which needs the network: check it there.
verify-reason-mismatch = the signature does not match the document: it was changed after it was signed.
field-validFrom = Valid from
field-validUntil = Valid until
field-narrative = Criteria
field-achievementType = Type of achievement
field-alignment = Alignment
field-image = Image
field-id = Id
cli-shared = Shared { $id } with { $to }: { $fields } (sent at the next sync with it).
cli-share-updated = Updated the share of { $id } with { $to }: { $fields } (sent at the next sync with it).
cli-share-unchanged = { $id } is already shared with { $to }, with these fields as they are: { $fields } (nothing new to send).
cli-nothing-shared = Nothing is shared: share a record with `musette share ID --with PEER`.
cli-unshared = Stopped sharing { $id } with { $to }: it is told at its next sync and receives no more updates (what it already received stays with it, marked revoked).
cli-nothing-received = Nothing was shared with this vault yet: peers' items arrive with `musette sync`, credentials sent as files with `musette import FILE`.
cli-peer-added = Added peer { $name } ({ $did }). Share with it: musette share ID --with { $word }
cli-peer-updated = Updated the address of peer { $name }.
cli-no-peers = No peers yet: add one with `musette peer add NAME TICKET`.
cli-peer-removed = Removed peer { $name }: its connections are refused from now on.
cli-peer-removed-leaving = Removed peer { $name }: what it holds of yours is revoked, and it is told so at its next sync with this device (nothing else goes to it); after that, its connections are refused.
cli-peer-leaving = (removed: told at its next sync that what it holds is revoked)
cli-guild-created = Created guild { $name }: add peers with `musette guild add { $name } PEER`.
cli-guild-deleted = Deleted guild { $name }: its shares are revoked for its members at their next sync.
cli-guild-joined = { $peer } is in guild { $guild }: it receives the guild's shares at its next sync.
cli-guild-already = { $peer } was already in guild { $guild }.
cli-guild-left = { $peer } left guild { $guild }: the guild's shares are revoked for it at its next sync.
cli-guild-not-member = { $peer } is not in guild { $guild }: see members with `musette guild list`
cli-no-guilds = No guilds yet: make one with `musette guild create NAME`.
cli-guild-no-members = (no members: add one with `musette guild add { $name } PEER`)
cli-serving = Serving { $path } (stop with Ctrl-C). Your other devices sync with the ticket below, and peers add it with `musette peer add NAME TICKET`:
cli-served-peer = musette: exchanged with peer { $name }: sent { $sent }; received { $received }
cli-served-peer-failed = musette: refused or failed a peer's exchange: { $why }
cli-served-device = musette: synced with { $name }: { $sent } record(s) sent, { $received } received
cli-served-device-failed = musette: refused or failed a sync: { $why }
cli-sync-no-address = musette: { $name } is left out: with relays off, this device knows no address for it (it only ever connected to this one); it syncs when it runs `musette sync`; to reach it from here, run `musette serve` on it and `musette sync --with` the ticket it prints
cli-waiting-keys = musette: { $name } has not taken the new keys yet: run `musette sync` on it
cli-sync-nobody = this vault has no device or peer to sync with yet: give one with --with TICKET (the ticket `musette serve` prints on it), or add a peer with `musette peer add NAME TICKET`
cli-synced-device = Synced with { $name }: { $sent } record(s) sent, { $received } received, { $forgotten } forgotten ({ $out } bytes out, { $in } in, { $ms } ms).
cli-synced-peer = Synced with peer { $name }: sent { $sent }; received { $received } ({ $out } bytes out, { $in } in, { $ms } ms).
cli-peer-counts = { $shares } share(s), { $revocations } revocation(s), { $requests } co-signing request(s), { $cosigned } co-signed
cli-sync-some-failed = { $failed } of { $all } device(s) and peer(s) could not be synced: see above
cli-backup-inside = { $path } is inside the vault's folder: write the backup elsewhere (ideally on another disk)
cli-backup-folder = { $path } is a folder: give the backup a file name
cli-backed-up = Backed up the vault ({ $size }) to { $path }: it opens only with this vault's passphrase or recovery key (`musette restore`)
cli-restore-wrong-passphrase = wrong passphrase: give the passphrase the vault had when the backup was made, or restore with its recovery key (`musette restore --recovery BACKUP`)
cli-restore-not-empty = { $path } is not empty: restore never overwrites a vault; give a new folder with --vault DIR
cli-restored-vault = Restored the vault into { $path }. It is the same device's vault: use it instead of the lost one, not beside it (for another device, use `musette device invite`).
cli-passphrase-changed = Passphrase changed. Every session was ended: run `musette unlock` again if you use one.
cli-doctor-checked = Checked { $records } records and { $attachments } attachments ({ $bytes } bytes).
cli-doctor-ok = No problems found.
cli-compacted = Compacted { $path }: { $before } KiB before, { $after } KiB after.
cli-device-self = that is this device: remove it from another of your devices
cli-device-removed = Removed { $name } ({ $id }): it is refused from now on and gets nothing more.
cli-device-no-other = No other device of yours is known here.
cli-device-others-take-keys = Your other devices ({ $names }) take the new keys at their next `musette sync` with this one: run it on each, with its passphrase.
cli-invite-refused = musette: refused a device with a wrong invitation
cli-device-joined = { $name } joined this vault.
cli-device-copied = Copied { $n } record(s) from your other device.
cli-invite-run = On the new device, run `musette device join --vault DIR` and paste this invitation when asked (it works once, for { $time }):
cli-invite-withdrawn = three wrong invitations were tried: this one is withdrawn; make a new one
cli-invite-expired = no device joined within { $time }: run `musette device invite` again
cli-device-joined-not-copied = { $name } received this vault's keys but has not copied the records yet: run `musette serve` here and `musette sync --with TICKET` there.
cli-not-a-badge = { $id } is { $article } { $kind }, not a badge
cli-badge-no-credential = badge { $id } has no credential to export (it was entered by hand)
cli-wrote-badge = Wrote badge { $id } to { $path }
cli-wrote-dates = Wrote { $n } date(s) to { $path }
cli-not-in-resume = { $id } is { $article } { $kind }: a résumé holds experiences, skills, badges, evidence (publications) and recommendations
cli-resume-no-tag = musette: note: no record carries the { $n ->
        [one] tag
       *[other] tags
    } { $tags } (see `musette list --tag …`): the résumé holds only your profile
cli-wrote-resume = Wrote a résumé ({ $n } { $n ->
        [one] record
       *[other] records
    }) to { $path }
cli-wrote-resume-profile = Wrote a résumé (your profile and { $n } { $n ->
        [one] record
       *[other] records
    }) to { $path }
cli-resume-no-profile = musette: note: you have no profile, so the résumé has no basics (name, contact details): set it with `musette profile --set name=…`
cli-export-not-empty = { $path } exists and is not an empty folder: give a new folder to export into
cli-exported-all = Exported { $n } { $n ->
        [one] record
       *[other] records
    } ({ $size } of attachments) to { $path }: see its README.md
cli-ui-port = cannot listen on 127.0.0.1:{ $port }: { $why }; choose another port with --port, or leave it out for a free one
cli-ui-served = musette is served at http://127.0.0.1:{ $port }/ (this machine only). The link above opens it once, in one browser; stop with Ctrl-C.
cli-ui-no-browser = musette: note: no browser could be opened: open the link above yourself
cli-profile-created = Created your profile ({ $id })
cli-profile-updated = Updated your profile ({ $id })
cli-profile-unchanged = No change to your profile ({ $id })
cli-no-profile = No profile yet: set yours with `musette profile --set name="…" --set label="…"`, or import a résumé (`musette import resume.json`).
cli-wrote-presentation = Wrote the signed presentation to { $path }
cli-wrote-credential = Wrote the signed credential to { $path }
cli-sign-ask = Sign it with your key? [y/N]
cli-not-confirmed-signed = not confirmed: nothing was signed
cli-signed-queued = Signed: it goes back to its owner at your next `musette sync` with them.
cli-request-queued = Queued for { $name }: the request travels at the next `musette sync` with it, and its signature comes back the same way.
cli-write-inside-vault = { $path } is inside the vault's folder: write it elsewhere
cli-write-folder = cannot write { $path }: it is a folder; give a file name (for example { $example })
cli-cannot-write-in = cannot write { $path } in { $dir }: { $why }
cli-cannot-write = cannot write { $path }: { $why }
cli-file-too-large = { $path } is larger than { $mib } MiB: musette reads no file that large whole (a LinkedIn export can be unzipped and its folder imported)
cli-json-other-kind = the JSON holds a { $held }, but record { $id } is a { $kind }
cli-edit-add-yes = Add --yes to edit it anyway
cli-profile-not-contact = { $path } holds a { $held }: a profile is a contact
cli-profile-did = the profile's did is your vault's own (`musette id`): it cannot be set or removed
cli-profile-name = a profile needs a name: change it with --set name=…, it cannot be removed
cli-profile-new-name = you have no profile yet, and a profile needs a name: add --set name="…"
cli-json-not-kind = { $path } holds a { $held }, not a { $kind }
cli-cannot-read-stdin = cannot read JSON from stdin: { $why }
cli-bad-json = { $path } is not valid JSON ({ $why }): give an object of fields, e.g. {"{"}"title": "…"{"}"}
cli-json-not-object = { $path } must hold a JSON object of fields
cli-bad-today = MUSETTE_TODAY={ $value } is not a date: write it as YYYY-MM-DD
cli-list-damaged = { $n } record(s) could not be read; the others are listed
cli-cannot-write-dir = cannot write in { $dir }: { $why }
cli-not-a-backup = { $path } is not a whole musette backup: { $why }; nothing was restored
cli-folder-missing = that folder does not exist
cli-folder-read-only = that folder is not writable
devices-unreachable = It did not answer: check that musette runs there (this app, open and unlocked, or `musette serve`) and that both computers are online.
join-not-an-invitation = This is not an invitation ({ $why }): on your other computer, open Devices, make an invitation, and paste its whole text here.
join-refused = The other computer refused this invitation: it was already used, cancelled or mistyped. Make a new one there (Devices) and paste it here.
join-unreachable = The other computer did not answer: the invitation may have expired or been cancelled, or musette is not open there. Make a new invitation there (Devices) and paste it here.
join-locked-meanwhile = The app was locked while joining: this computer now holds your vault, locked. Unlock it with the passphrase you just chose; its recovery key was not shown, so make a new one with `musette rekey`.
recovery-joined = This computer now holds your vault, and the records were copied over. Below is this computer's own recovery key: your other computer's key still opens that one, and this one opens only this computer's copy.
join-busy = Joining: copying your records…
cli-ask-invitation = Invitation (paste it; it is not shown):
cli-no-invitation = no invitation was given: paste the text `musette device invite` (or the app's Devices page) shows, when asked, or pipe it in
cli-due-waiting = waiting for you
cli-due-was = was due { $n } { $n ->
        [one] day
       *[other] days
    } ago
cli-due-expired = expired { $n } { $n ->
        [one] day
       *[other] days
    } ago
cli-due-today = due today
cli-due-expires-today = expires today
cli-due-in = due in { $n } { $n ->
        [one] day
       *[other] days
    }
cli-due-expires-in = expires in { $n } { $n ->
        [one] day
       *[other] days
    }
records-tag-hint = Separated by commas: a record must carry every one.
import-unknown-file = musette could not tell what this file is: it imports a JSON Resume, a LinkedIn export (its ZIP), vCards (.vcf) and badges (JSON, PNG or SVG).
import-badge-invalid = This badge's signature does not hold ({ $why }): nothing was imported.
import-not-badge = This JSON is not an Open Badge.
import-no-vcard = This file holds no vCard.
import-badge-verified = Its signature holds: verified.
import-badge-status = Its signature: { $status }
cli-verify-none = no file and no received item { $id }: give a file's path, or an id `musette received` lists
cli-verify-held-by = held by { $who }
cli-verify-issued-by = issued by { $who }
cli-verify-self = self-asserted: signed by its own subject, { $who }
cli-verify-attested = attested by { $by }
cli-verify-attested-about = attested by { $by } about { $about }
cli-verify-no-proof = FAILED: it carries no proof
cli-verify-jwk = the key in its own header (which shows it is unaltered, not who made it)
cli-verify-no-date = no date
cli-verify-proof-ok = ok      signed by { $signer } on { $when }
cli-verify-proof-failed = FAILED  proof by { $signer }: { $why }
cli-verify-proof-unchecked = cannot be checked  proof by { $signer }: { $why }
cli-verify-no-issuer = FAILED  it names no issuer
cli-verify-not-by-holder = FAILED  no valid proof is by its holder
cli-verify-not-by-issuer = FAILED  no valid proof is by its issuer
cli-verify-issuer-unchecked = cannot be checked  no proof by its issuer could be checked
cli-verify-not-now = NOT VALID NOW  { $why }
cli-verify-unchecked = cannot be checked  { $why }
cli-verify-signers = signers
cli-verified = Verified: every proof holds.
cli-verify-verdict-not-now = Not valid now: its proofs hold, but see above.
cli-verify-verdict-unchecked = Cannot be checked offline: nothing shows it was altered, nothing confirms it either.
cli-verify-verdict-failed = FAILED: see the failed proofs above
cli-verify-exit-failed = { $file } does not verify: see the failed proofs above
cli-verify-exit-not-now = { $file } is not valid today ({ $why }), though its proofs hold
cli-see-above = see above
cli-verify-exit-unchecked = { $file } cannot be checked offline: see above; it is not shown to be altered either
cli-signer-you = you
cli-signer-owner = this vault's owner
cli-signer-contact = your contact
cli-signer-self-named = the name it gives itself, not one of your contacts
cli-signer-n = signer { $n }
cli-signer-unknown = an unknown signer
cli-show-removed = removed: restore with `musette rm --undo`
cli-show-original = original credential kept; { $status }
cli-show-tags = tags
cli-show-created = created
cli-show-updated = updated
cli-show-signed = signed
cli-show-signed-void = signed (void: edited since)
cli-show-void = these signatures cover an earlier text: `musette recommend request { $id }` and ask again
cli-show-evidence = evidence
cli-show-recommended = recommended
cli-show-attached = attached
cli-history-this-device = this device
cli-history-device = device { $id }
cli-sync-invitation = that is an invitation for a new device: use it on the new device with `musette device join`
cli-sync-unknown-ticket = that ticket is neither one of your devices nor a peer you know: add it first with `musette peer add NAME TICKET`
cli-sync-peer-address = the address of peer { $name } is unreadable: add its ticket again with `musette peer add { $name } TICKET`
cli-sync-unknown = { $name } is neither a peer, nor a device this one synced with, nor a ticket: see `musette peer list` and `musette device list`
cli-keys-how = take them by running `musette sync` again with --accept-new-keys (or on a terminal), with this device's passphrase
cli-keys-ask = Take the new keys (only if you removed that device yourself)? [y/N]
cli-keys-not-confirmed = not confirmed: the keys were not changed
cli-peer-refused = { $name } refused this vault: { $why }
cli-peer-refused-add = { $name } refused this vault: { $why }. Ask its owner to add your ticket (`musette ticket`) with `musette peer add`
cli-peer-unreachable = could not reach { $name }: { $why }. Check that it runs `musette serve`, or add its newer ticket with `musette peer add { $name } TICKET`
cli-peer-sync-failed = sync with { $name } failed: { $why }
error-wrong-type = { $field } must be { $want }, not { $value }
error-want-text = text
error-want-json = JSON text
error-want-date = a date
error-want-list = a list of text
error-want-id = a record id
error-attachment-exists = Record { $record } already has an attachment named "{ $name }": detach it first, or choose another name
cli-record-held = this { $kind } is already in your vault as { $id }: nothing was imported
cli-restored-record = Imported your { $kind } from its credential (its proofs hold).
cli-unnamed-issuer = an unnamed issuer
cli-kept-received = Kept { $kind } { $title } from { $from } as received ({ $outcome }): see `musette received`, and `musette verify { $id }` for its proofs
devices-served-elsewhere = Another musette already answers for this vault on this computer (`musette serve`, or this app in another window): make the invitation there, or stop it first.
devices-keys-while-served = `musette serve` or `musette device invite` runs on this vault in another process, and would go on with the old keys: stop it, do this again, then start it again.
cli-import-pdf = a PDF cannot be imported as records: keep it with one (`musette attach ID FILE`)
cli-import-linkedin-part = { $name } is one file of a LinkedIn export: import the whole export, its ZIP or the folder it unzips to
cli-import-bad-json = it is not valid JSON ({ $why }): a résumé, a badge or a credential is one whole JSON document
cli-import-unknown = musette could not tell what it is: it imports a JSON Resume, a LinkedIn export (its ZIP or folder), vCards (.vcf), badges (JSON, PNG or SVG) and credentials someone gave you; name the format to be told what is wrong (`musette import json-resume FILE`)
cli-badge-verified = verified
cli-badge-unsigned = unsigned
cli-badge-unchecked = cannot be checked: { $why }
error-invalid-tag = "{ $tag }" is not a tag: a tag is 1 to 64 characters of text, without control or text-direction characters
error-invalid-field-name = "{ $name }" is not a field name: use lowercase letters, digits, '_' or '-', starting with a letter
error-invalid-attachment-name = "{ $name }" cannot name an attachment: use a plain file name (no '/' or '\', no control or invisible characters such as a right-to-left mark, no space at either end, at most { $max } bytes)
error-no-such-field = This { $kind } has no field "{ $field }": its fields are { $fields }
error-no-term = The field "{ $field }" of this { $kind } has no term in a credential (VC 2.0 and Open Badges 3.0 define none that carries it): leave it out
error-cosigned-whole = This recommendation is co-signed: it can only be issued whole, with all its fields
join-why-prefix = it does not start with musettejoin1
join-why-mistyped = it is cut short or mistyped
devices-actions = Actions
devices-remove-link = Remove…
devices-remove-title = Remove a device
devices-remove-what = Remove a device that was lost, sold, or that you no longer trust. It gets nothing more from this vault: its next sync is refused. Your vault gets a new master key and a new recovery key (shown next: write it down, the old one stops working); your other devices take the new keys at their next sync with this one. What the removed device already holds stays on it.
devices-remove-passphrase = Your passphrase (the keys change)
devices-remove-button = Remove this device
devices-remove-busy = Changing the keys…
devices-remove-cancel = Keep it
devices-remove-self = This is the device you are using: remove it from another of your devices.
devices-remove-unknown = There is no such device to remove: it was removed already, or this vault never synced with it.
recovery-rekeyed = The device was removed and your vault has new keys. Here is its new recovery key: the old one no longer opens it.
devices-remove-wrong = Wrong passphrase: nothing was changed. Type the passphrase that opens this vault on this computer.
devices-keys-title = New keys offered
devices-keys-offer = { $from } removed { $removed } from your vault and offers this computer the vault's new keys.
devices-keys-offer-rekey = { $from } made new keys for your vault and offers them to this computer.
devices-keys-what = Take them only if you made them yourself, on that computer (by removing a device, or with `musette rekey`): a device you removed could offer keys of its own making. This computer then gets a new recovery key (shown next: write it down); its passphrase stays the same. Then press "Sync with every device and peer" again.
devices-keys-confirm = I removed that device myself
devices-keys-button = Take the new keys
devices-keys-none = No device offers new keys now: press "Sync with every device and peer" to hear from your devices.
devices-keys-confirm-needed = Tick the box to say you removed that device yourself, or leave the keys alone.
recovery-adopted = This computer took the vault's new keys. Here is its new recovery key: the old one no longer opens it.
devices-sync-refused = It refused to sync with this computer: if this computer was removed from your vault there, it gets nothing more from it; otherwise, check that both hold the same vault.
error-cosign-not-recommendation = { $id } is a { $kind } record, not a recommendation: only recommendations are co-signed
error-cosign-changed = Recommendation { $id } changed after it was signed: ask for co-signatures again to sign the new text (`musette recommend request { $id }`)
error-cosign-edited = Recommendation { $id } was edited after it was sent for co-signing, so this signature does not cover its text: ask again (`musette recommend request { $id }`); nothing was stored
error-cosign-not-endorsement = This file is not a recommendation to co-sign (its type is not EndorsementCredential)
error-cosign-unsigned = This recommendation carries no signature of its owner: ask for a new request
error-cosign-names-you = This request names you as its issuer: a request to co-sign comes from the colleague it recommends, signed by them
error-cosign-not-issuer = This request is not signed by its issuer: ask its owner for a new one
error-cosign-content = This file is not a recommendation musette can co-sign: its content is not a recommendation's
error-cosign-already = You have already signed this recommendation
devices-remove-invitation = An invitation for a new device is waiting: cancel it first (Devices page), then remove the device.

## Command line, more messages

cli-cannot-read-secret = cannot read the { $what ->
        [passphrase] passphrase
        [new-passphrase] new passphrase
       *[recovery-key] recovery key
    } file { $path }: { $why }
cli-secret-file-shared = musette: warning: the { $what ->
        [passphrase] passphrase
        [new-passphrase] new passphrase
       *[recovery-key] recovery key
    } file { $path } can be read by other users (mode { $mode }): make it yours alone with `chmod 600 { $path }`
cli-terminal-read = cannot read from the terminal: { $why }
cli-session-needs-passphrase = this command needs your passphrase even during a session, and there is no terminal to ask for it: pass --passphrase-file FILE or --passphrase-env VAR
cli-no-terminal-new-passphrase = there is no terminal to ask for the new passphrase: pass it in a file with { $flag } FILE
cli-no-terminal-recovery-key = there is no terminal to ask for the recovery key: pass it in a file with --recovery-key-file FILE
cli-config-cannot-read = cannot read the configuration file { $path }: { $why }
cli-config-missing = there is no such file (MUSETTE_CONFIG names it): correct the name, or unset MUSETTE_CONFIG to use the default file
cli-config-not-regular = it is not a regular file
cli-config-too-large = it is larger than { $kib } KiB
cli-config-invalid = the configuration file { $path } is not valid: { $why }
cli-config-invalid-at = the configuration file { $path } is not valid at line { $line }: { $why }
cli-config-relay-https = it does not start with https://
cli-config-relay = the relay { $url } in the configuration file { $path }, line { $line }, is not a relay URL ({ $why }): write it as "https://relay.example.org"
cli-session-expired = musette: the session in { $var } has expired; asking for the passphrase instead (start a new session with `musette unlock`)
cli-session-invalid = musette: the session in { $var } is no longer valid (ended by `musette lock`, or from another vault); asking for the passphrase instead (start a new session with `musette unlock`)
cli-vault-did-not-open = musette: warning: the vault did not open ({ $why }): going on without it, so contacts are not named
cli-output-failed = musette: error: cannot write the output: { $why }
cli-duration-how = { $why }: write a duration such as 10m or 1h
cli-wait-range = wait between 1s and 24h
cli-progress-rekeying = re-keying
cli-rekey-cannot-show = cannot show the new recovery key, so the keys were not changed
cli-keys-while-served = `musette serve`, `musette device invite` or the web app is running on this vault, and would go on with the old keys, unable to read the vault or to hand the new keys to your other devices: stop it, run this again, then start it again
cli-device-this = (this device)
cli-device-last-synced = last synced { $when }
cli-device-never-synced = never synced with this one
cli-device-status-removed = REMOVED
cli-device-status-waiting = waiting for the new keys (run `musette sync` on it)
cli-cannot-read-invitation = cannot read the invitation from stdin: { $why }
cli-device-holds = This device now holds your vault at { $path }
cli-device-identity = Identity: { $did }
cli-device-recovery-shown-once = This device's recovery key (shown only now; write it down and keep it offline):
cli-join-unreachable = could not reach the inviting device: { $why }. Only a running `musette device invite` (or the app's invitation, still open) answers an invitation: check that it still runs there, or make a new invitation and join with it
cli-join-cannot-show = cannot show the recovery key, so this device did not join
cli-progress-copying = copying the records from your other device
cli-progress-backing-up = backing up
cli-backup-bad-start = it does not start as one (or is not one at all)
cli-backup-bad-size = it is { $size } bytes where its header announces { $announced }: truncated or padded
cli-progress-restoring = restoring
cli-backup-no-tag = its tag is missing
cli-backup-does-not-open = its vault does not open ({ $why })
cli-backup-altered = it was altered since it was made (its tag does not match)
cli-backup-damaged = its vault is damaged ({ $n } problem(s), the first: { $record }: { $what })
cli-restore-cannot-move = cannot move the restored vault into { $path }: { $why } (it is in { $kept })
cli-rekey-passphrase-new = The passphrase is the new one.
cli-rekey-passphrase-same = The passphrase is unchanged.
cli-rekey-new-keys = New keys: { $records } record keys rewrapped under a new master key; { $sessions } session(s) ended.
cli-rekey-rows-removed = { $n } row(s) that belonged to no record (put in the file outside musette) were removed.
cli-rekey-old-gone =
    The old recovery key no longer opens this vault. The new one (shown only now;
    write it down and keep it offline):
cli-recommend-not-json = { $path } is not a recommendation: it is not valid JSON ({ $why })
cli-recommend-wrote = Wrote the recommendation to { $path }: send it to the co-signer
cli-recommend-no-request = { $request } is neither a file nor a request id: see requests with `musette recommend requests`
cli-request-not-json = the request is not JSON
cli-sign-no-terminal = there is no terminal to confirm the signature: read the request (`musette verify FILE` shows who asks and what it says), then sign with --yes
cli-no-author = (no author)
cli-sign-from-contact = { $name } (your contact, { $did })
cli-sign-from-named = { $did } (which calls itself { $name }; not one of your contacts)
cli-sign-from-unknown = { $did } (not one of your contacts)
cli-sign-recommendation = Recommendation from { $issuer }, written by { $author }:
cli-signed-send-back = Signed; send { $path } back to its owner
cli-accept-nothing-new = Nothing new: { $id } already had these signatures
cli-accept-added = Added the signature of { $name }{ $did } to { $id }
cli-requests-from = from
cli-requests-to = to
cli-requests-record = record { $id }
cli-no-requests = No co-signing requests.
cli-verify-challenge = challenge
cli-verify-domain = domain
cli-verify-other-request = the holder signed it for another request: { $what } { $want } expected, { $found } found
cli-verify-without = the holder signed it without a { $what }: { $want } expected
cli-verify-challenge-credential = --challenge and --domain check presentations; this is a credential
cli-verify-request-failed = FAILED: { $why }
cli-verify-made-for = It was made for challenge { $challenge }: pass --challenge (and --domain) to check it is the one you gave.
cli-verify-made-for-domain = It was made for challenge { $challenge } and domain { $domain }: pass --challenge (and --domain) to check it is the one you gave.
cli-verify-no-challenge = musette: note: this presentation carries no challenge: anyone holding the file can show it again; ask the holder for one made with `present --challenge`
cli-verify-request-mismatch = { $file } does not verify for this request: { $why }
cli-verify-legacy = Open Badge (1.0/2.0 assertion)
cli-verify-legacy-exit = { $file } cannot be checked offline: see above
cli-verify-ambiguous = { $file } holds the key { $key } twice in one object: tools disagree on which counts, so what it says is ambiguous
cli-verify-twice = { $file } is ambiguous: { $why }
cli-verify-too-large = { $path } is larger than { $mib } MiB: no credential, presentation or badge image is that large
cli-verify-hosted = { $file } cannot be checked offline: { $why }
cli-verify-empty = { $file } is empty: give the credential's file
cli-verify-not-credential = { $file } is not a verifiable credential or presentation: { $why }
cli-verify-kind = { $kind ->
        [credential] credential
        [presentation] presentation
       *[other] { $kind }
    }
cli-option-text = --{ $what } takes 1 to 512 characters, without control characters
cli-suite = musette signs with eddsa-rdfc-2022 or eddsa-jcs-2022, not { $name }
cli-fields-empty = a field name is empty: give the names separated by commas, e.g. --fields title,organization (`musette show ID` lists a record's fields)
cli-option-to = --to takes a name of 1 to 200 characters, without control or invisible characters (such as a text-direction override)
cli-shares-revoked = (revoked)
cli-shares-record-removed = (record removed: revoked at the next sync)
cli-shares-not-sent = (not sent yet)
cli-shares-guild-empty = (nobody receives it: the guild has no members now)
cli-shares-peer-gone = (nobody receives it: that peer was removed)
cli-shares-received-by = (received by { $who })
cli-shares-with = with
cli-shares-guild = guild { $name }
cli-ticket-no-address = relays are off and this ticket names no address, so no peer can reach you with it: give the address `serve` listens on, with `musette ticket --bind ADDR:PORT` and `musette serve --bind ADDR:PORT` the same (or leave the relays on)
cli-forgot-received = Forgot received { $kind } { $id }.
cli-forgot-received-item = Forgot received item { $id }.
cli-received-revoked = REVOKED
cli-received-signature-fails = SIGNATURE FAILS
cli-received-not-valid-now = NOT VALID NOW
cli-received-unchecked = cannot be checked offline
cli-received-file-kept = (a file, kept { $when })
cli-no-record-nor-received = no record with id { $id }, nor a received item: see `musette list` and `musette received` (give 6 characters of an id or more)
cli-received-heading = { $kind } { $id } shared by { $from } ({ $did })
cli-received-revoked-heading = REVOKED: no more updates
cli-received-version = version
cli-received-signed = signed
cli-received-received = received
cli-received-verified = verified
cli-received-holds = yes: the sender's signature holds
cli-received-does-not-hold = NO: the signature does not hold
cli-received-ok = ok      shared item { $id } signed by { $from } ({ $did }) on { $when }
cli-received-ok-revoked = ok      shared item { $id } signed by { $from } ({ $did }) on { $when } (since revoked)
cli-received-fails = shared item { $id } does not verify: its content is not what { $did } signed
cli-audit-guild = guild { $guild }
cli-audit-item = item { $id }
cli-audit-fields = fields { $fields }
cli-progress-checking = checking
cli-doctor-forgotten = { $n } forgotten record(s) are remembered by id, so their rows cannot come back.
cli-doctor-damaged = DAMAGED { $record }: { $what }
cli-doctor-problems-records = { $n } problem(s) found; every other record opens. Restore damaged records from a backup, or `musette forget` them
cli-doctor-problems = { $n } problem(s) found; see what each line above says to do
cli-list-removed = (removed)
cli-list-void = (signatures void: edited since)
cli-other-device = the other device
cli-progress-syncing = syncing with { $name }
cli-sync-too-large = musette: warning: record { $id } was not sent: its document alone (without attachments) is over 64 MiB, more than one sync message holds
cli-sync-damaged = musette: warning: record { $id } was not sent: it is damaged on this device; `musette doctor` says how
cli-sync-left-out = musette: warning: a record the other device sent was left out, the others were taken: { $why }. If it is damaged there, `musette doctor` on that device says how; it comes again at each sync until then
cli-sync-failed-with = musette: { $name }: { $why }
cli-keys-offered = musette: { $from } removed { $removed } from this vault and offers this device the vault's new keys.
cli-keys-offered-rekey = musette: { $from } made new keys for this vault (`musette rekey`) and offers them to this device: take them only if you did that yourself, on that device.
cli-lock-poisoned = the vault's lock was poisoned
cli-ui-no-browser-why = musette: note: no browser was opened ({ $why }): open the link above yourself
cli-ui-stopped = the web app stopped: { $why }
cli-ui-open-link = Open musette
cli-session-duration-how = { $why }: write a duration such as 30m, 2h or 1d
cli-session-range = a session lasts between 1s and 30 days
cli-no-runtime = cannot start the network runtime: { $why }
cli-init-cannot-show = cannot show the recovery key, so no vault was created
cli-cannot-bake = cannot bake into { $path }: { $why }
cli-not-utf8-svg = { $path } is not a UTF-8 SVG
cli-vcard-not-contact = { $id } is { $article } { $kind }, not a contact: only contacts export as vCard
cli-export-damaged = { $n } record(s) cannot be read (see `musette doctor`): nothing was exported
cli-progress-exporting = exporting
cli-export-cannot-move = cannot move the export into { $path }: { $why } (it is in { $kept })
cli-progress-importing = importing
cli-import-own-proofs = { $path } is one of your records, but its proofs do not all hold (see `musette verify { $path }`): nothing was imported
cli-import-ambiguous = { $path } holds the key { $key } twice in one object: tools disagree on which counts, so it is not kept
cli-import-does-not-verify = { $path } does not verify (see `musette verify { $path }`): nothing was imported; use --allow-invalid to keep it anyway
cli-outcome = { $outcome ->
        [verified] verified
        [failed] failed
        [not_valid_now] not valid now
        [cannot_be_checked] cannot be checked
       *[other] { $text }
    }
cli-progress-attaching = attaching
cli-progress-extracting = extracting
cli-unreadable = unreadable: { $why }
cli-damaged-record = the damaged record { $id }
cli-edit-voids = recommendation { $id } is signed by { $signers } (you and { $n } co-signer(s)): changing its fields voids every signature, and it must be requested and signed again
cli-peer-bad-ticket = { $why } (a peer's ticket is what `musette ticket` printed on its machine)
cli-peer-last-sync = last sync { $when }
cli-peer-never = never
cli-peer-guilds = guilds: { $guilds }
cli-profile-several = musette: note: { $n } contacts carry your own did ({ $id }, { $others }): the profile is { $id }; copy what you want from the others and remove them with `musette rm`
cli-profile-extra = musette: note: { $name } is not a field of a profile; it was kept as an extra field (the fields: name, role (label), email, phone, url, notes (summary), location, image)
cli-contacts-unreadable = musette: warning: your contacts' names cannot be read ({ $why }): signers are shown by did; run `musette doctor`

## Verification.
verify-refused-ambiguous = it holds the key { $key } twice in one object: what it says is ambiguous
verify-refused-not-vc = it is not a verifiable credential or presentation: { $why }
cli-missing-subcommand = { $command } needs a command: { $commands }
cli-argument-twice = { $arg } is given twice: give it once
cli-argument-conflict = { $arg } cannot be used with { $other }: give one of them
cli-hint-list = list records with `musette list`
cli-hint-recover = `musette recover` and the recovery key set a new passphrase
cli-hint-attachments = see its attachments with `musette show { $record }`
