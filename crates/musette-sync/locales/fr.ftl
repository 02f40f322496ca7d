## Messages of peer sync (musette-sync). English is what `--json`, logs and scripts see.
## Refused input.
cosign-removed = la recommandation { $id } est supprimée : rétablissez-la d'abord avec `musette rm --undo { $id }`
cosign-already = { $peer } a déjà cosigné la recommandation { $id }
cosign-too-long = cette recommandation est trop longue pour être envoyée (plus de 256 Kio)
cosign-too-many = trop de demandes de cosignature
cosign-peer-full = { $n } demandes de cosignature de ce pair attendent déjà : signez-les ou laissez-les d'abord
cosign-ambiguous = { $n } demandes commencent par { $prefix } : donnez davantage de l'identifiant
cosign-no-request = pas de demande de cosignature { $id } : voyez-les avec `musette recommend requests`
cosign-signed = la demande { $id } est déjà signée
device-none = pas d'appareil { $which } : voyez-les avec `musette device list`
device-short = { $which } est trop court pour désigner un appareil : donnez son nom, ou au moins 6 caractères de son identifiant (`musette device list`)
device-ambiguous = { $n } appareils correspondent à { $which } : donnez davantage de son identifiant
name-empty =
    le nom { $what ->
        [guild] de guilde
       *[other] de pair
    } { $name } est vide : donnez un nom court comme acme ou mentor
name-long =
    le nom { $what ->
        [guild] de guilde
       *[other] de pair
    } { $name } dépasse 64 caractères
name-control =
    le nom { $what ->
        [guild] de guilde
       *[other] de pair
    } { $name } contient des caractères de contrôle
name-shape =
    le nom { $what ->
        [guild] de guilde
       *[other] de pair
    } { $name } ne peut ni commencer par « - », ni contenir de virgule, ni commencer ou finir par des espaces
name-musette =
    le nom { $what ->
        [guild] de guilde
       *[other] de pair
    } { $name } ne peut pas commencer par « musette » (les tickets commencent ainsi)
peer-none = pas de pair nommé { $name } : voyez-les avec `musette peer list`, ajoutez-en un avec `musette peer add NOM TICKET`
peer-own-device = ce ticket est celui d'un de vos propres appareils : synchronisez-le avec `musette sync --with TICKET`, inutile de l'ajouter comme pair
peer-name-is-guild = { $name } est déjà le nom d'une guilde : choisissez un autre nom pour le pair
peer-known = ce ticket est celui du pair déjà connu sous le nom { $name } : lancez `musette peer add { $name } TICKET` pour le mettre à jour, ou d'abord `musette peer remove { $name }`
peer-name-taken = un pair nommé { $name } existe déjà avec une autre identité : choisissez un autre nom, ou d'abord `musette peer remove { $name }`
peer-too-many = ce coffre connaît déjà { $n } pairs : retirez-en d'abord
peer-none-short = pas de pair nommé { $name } : voyez-les avec `musette peer list`
guild-name-is-peer = { $name } est déjà le nom d'un pair : choisissez un autre nom pour la guilde
guild-exists = une guilde nommée { $name } existe déjà
guild-too-many = trop de guildes : supprimez-en d'abord
guild-none = pas de guilde nommée { $name } : voyez-les avec `musette guild list`, créez-en une avec `musette guild create NOM`
share-too-large = les champs partagés de la fiche { $id } dépassent 1 Mio : partagez moins de champs, ou des champs plus courts
share-total-too-large = vos partages prendraient { $size } Mio en tout, plus que les { $max } Mio que vos appareils échangent en un message : partagez moins de fiches ou de champs, ou retirez-en (`musette unshare`)
share-no-target = pas de pair ni de guilde nommés { $name } : voyez-les avec `musette peer list` et `musette guild list`
share-removed = la fiche { $id } est supprimée : rétablissez-la d'abord avec `musette rm --undo { $id }`
share-too-many-fields = trop de champs, ou un nom de champ trop long, pour être partagés
share-no-field = la fiche { $id } n'a pas de champ { $field } : ses champs sont { $have }
share-fields-empty = --fields ne nomme aucun champ : donnez-les sous la forme title,organization
share-too-many = ce coffre a déjà trop de partages
share-not-shared = la fiche { $id } n'est pas partagée avec { $target } : voyez ce qui l'est avec `musette shares`
received-peer-full = ce coffre garde déjà tout ce qu'il accepte d'un même pair ({ $n } éléments ou 64 Mio) : retirez-en avec `musette received --forget ID`
received-peer-too-much = les éléments de ce pair dépasseraient ce que ce coffre garde d'un même pair (64 Mio) : retirez-en avec `musette received --forget ID`
received-none = pas d'élément reçu { $prefix } : voyez-les avec `musette received`
received-short = l'identifiant d'élément reçu { $prefix } est trop court : donnez au moins 6 caractères d'un identifiant qu'affiche `musette received`
received-ambiguous = { $n } éléments reçus commencent par { $prefix } : donnez davantage de l'identifiant

## Damage found in the file, forgeries, input and output.
share-decode = le document d'un partage ne peut pas être décodé
share-id-malformed = un identifiant de partage est mal formé
setting-decode = le réglage { $name } ne peut pas être décodé
share-version-forged = le pair dit détenir la version { $version } d'un partage dont ce coffre n'a fait que { $made } versions
spool-read-back = relecture des pièces jointes d'une grande fiche
cosign-request-not-json = une demande de cosignature n'est pas du JSON
cosign-request-not-signed = une demande de cosignature n'est pas une recommandation signée par le pair qui l'a envoyée
cosign-answer-not-json = ce n'est pas du JSON
cosign-answer-unsigned = elle est revenue sans la signature du cosignataire
cosign-request-json = la demande n'est pas du JSON
## Network failures (see `said.rs`: a refusal travels as its English and is recognised here).
as-is = { $text }
refusal-other-vault = il contient un autre coffre
refusal-not-this-peer = ce n'est pas le pair que nomme ce ticket
refusal-unknown-peer = ce coffre ne connaît pas le vôtre : son propriétaire doit ajouter votre ticket avec `musette peer add NOM TICKET`
refusal-not-a-device = cet appareil n'est pas un de ceux de ce coffre : { $why }
refusal-take-records = impossible de prendre ses fiches : { $why }
refusal-send-records = impossible d'envoyer ses fiches : { $why }
refusal-forgets = impossible d'appliquer ses oublis : { $why }
refusal-peers = impossible de fusionner ses pairs et ses partages : { $why }
refusal-keep = impossible de garder ce qu'il a envoyé : { $why }
cert-bad-signature = son certificat n'est pas signé par le propriétaire de ce coffre
cert-wrong-endpoint = son certificat nomme un autre appareil que celui qui est connecté
cert-bad-did = l'identité du propriétaire n'est pas une did:key
ticket-prefix = il ne commence pas par { $prefix } : copiez le ticket en entier
ticket-invitation-prefix = elle ne commence pas par { $prefix } : utilisez ce qu'a affiché `musette device invite`
ticket-is-invitation = c'est une invitation d'appareil (musettejoin1…) : utilisez-la sur votre nouvel appareil avec `musette device join` ; pour un pair, demandez le ticket qu'affiche `musette serve` ou `musette ticket`
invitation-is-ticket = c'est un ticket (musette1…), que prennent `musette peer add` et `musette sync --with` : pour rejoindre le coffre, utilisez l'invitation qu'a affichée `musette device invite` (musettejoin1…)
ticket-too-long = il est trop long
ticket-checksum = il est coupé ou mal recopié (sa somme de contrôle ne correspond pas) : copiez-le de nouveau
ticket-cut = il est coupé ou mal recopié
ticket-did = son identité n'est pas une did:key
ticket-endpoint = l'identifiant de son point d'accès n'est pas une clé
net-bind = impossible d'ouvrir le point d'accès réseau : { $why }
net-address = impossible d'écouter sur { $addr } : { $why }. Donnez à --bind (ou MUSETTE_BIND) une adresse de cette machine, comme 127.0.0.1:0, ou 0.0.0.0:PORT pour toutes ses interfaces, avec un port qu'aucun autre programme n'utilise
net-unreachable = impossible de joindre { $who } : { $why }. Vérifiez qu'il fait tourner `musette serve` (ou l'application, ouverte et déverrouillée) et que l'adresse connue pour lui est à jour (un ticket plus récent la met à jour)
net-no-answer = aucune réponse en { $secs } s aux adresses données
net-already-served = un autre musette sert déjà ce coffre (`musette serve`, `musette device invite`, ou l'application web dans une autre fenêtre) : utilisez celui-là, ou arrêtez-le d'abord
net-keys-changing = une autre commande musette change les clés de ce coffre (rekey, device remove, nouvelles clés prises) : réessayez quand elle aura fini
net-bad-ticket = ce n'est pas un ticket musette : { $why }
net-bad-invitation = ce n'est pas une invitation musette : { $why }
sync-wire = l'échange a échoué : { $why }
sync-refused = l'autre appareil a refusé : { $why }
sync-refusing = l'autre appareil a été refusé : { $why }
sync-protocol = l'autre appareil n'a pas respecté le protocole : { $why }
sync-new-keys = l'autre appareil a retiré { $removed } de ce coffre et donne à celui-ci les nouvelles clés
sync-new-keys-rekey = l'autre appareil a fait de nouvelles clés pour ce coffre (`musette rekey`) et les donne à celui-ci
who-other-device = l'autre appareil
who-device-at = l'appareil à { $prefix }
refusal-peer-cert = son certificat de pair ne tient pas : { $why }
refusal-own-device = c'est un des propres appareils de ce coffre : synchronisez-vous avec lui comme appareil
refusal-busy = il est occupé avec d'autres appareils et pairs : réessayez dans un instant
