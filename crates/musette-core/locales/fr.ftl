## Messages of the vault library (musette-core). English is what `--json`, logs and scripts see.
## Refused input.
share-field-refers = le champ { $name } renvoie à une autre fiche de votre coffre : il ne peut pas être partagé
credential-not-vc = ce n'est ni une attestation vérifiable ni une présentation : son type ne nomme ni l'une ni l'autre
credential-not-object = une attestation est un objet JSON
credential-not-jwt = ce n'est pas un JWT : son contenu n'est pas du JSON en base64url
present-nothing = nommez au moins une fiche à présenter
present-no-fields = la fiche { $id } n'a aucun des champs { $chosen } : ses champs sont { $have }
present-no-field = aucune des fiches présentées n'a de champ { $name }
seed-length = une graine Ed25519 fait 32 octets
not-a-did-key = { $input } n'est pas une did:key Ed25519 valable : { $why }
did-no-prefix = elle ne commence pas par did:key:
did-fragment = son fragment ne répète pas la clé
did-not-z = la clé n'est pas en base58btc (elle doit commencer par z)
did-not-base58 = la clé n'est pas du base58 valable
did-not-ed25519 = la clé n'est pas une clé publique Ed25519
kept-too-large = il dépasse { $kib } Kio, plus que ce que musette garde d'un fichier reçu
kept-not-json = ce n'est pas du JSON ({ $why })
kept-not-vc = ce n'est ni une attestation vérifiable ni une présentation : son type ne nomme ni l'une ni l'autre
kept-already =
    { $kind ->
        [presentation] cette présentation est déjà gardée
       *[other] cette attestation est déjà gardée
    } comme élément reçu { $id } : rien n'a été importé
kept-total = les fichiers reçus gardés atteignent { $mib } Mio : oubliez-en avec `musette received --forget ID`
kept-count = { $n } fichiers reçus sont déjà gardés : oubliez-en avec `musette received --forget ID`
kept-ambiguous = { $n } fichiers reçus commencent par { $prefix } : donnez davantage de l'identifiant
kdf-memory-range = --kdf-memory-mib doit être compris entre { $min } et { $max }
kdf-iterations-range = --kdf-iterations doit être compris entre { $min } et { $max }
kdf-work = --kdf-memory-mib multiplié par --kdf-iterations ne doit pas dépasser { $max } (par exemple 1024 Mio et 16 passes)
kdf-parallelism = le parallélisme de la dérivation de clé doit être compris entre 1 et 16
not-a-recovery-key = ce n'est pas une clé de secours : elle compte 52 lettres et chiffres, par groupes de 4, comme `musette init` l'a affichée
field-not-json = le champ { $name } d'une fiche { $kind } doit contenir du JSON (l'attestation d'origine), et ceci n'est pas du JSON valable
record-too-large = une fiche contient au plus { $max } Mio (ses champs et leur historique, hors pièces jointes), et celle-ci en contiendrait { $size } Mio : gardez les contenus volumineux en pièce jointe (`musette attach ID FICHIER`)
canonicalise-failed = impossible de canoniser le JSON : { $why }
sign-rdfc-refused = impossible de signer ce document avec eddsa-rdfc-2022 : { $why } ; signez-le avec --suite eddsa-jcs-2022
sign-not-object = seul un objet JSON peut être signé
id-prefix-ambiguous = le début d'identifiant { $prefix } correspond à plusieurs fiches : tapez-en davantage
device-keys-length = les clés d'un appareil font 80 octets
master-key-length = une clé maîtresse fait 32 octets
backup-path-utf8 = le chemin temporaire de la sauvegarde n'est pas en UTF-8
not-a-record-id = { $id } n'est pas un identifiant de fiche
folder-not-empty = le dossier { $path } n'est pas vide : un coffre a besoin d'un dossier à lui (lisible par vous seul) ; choisissez un dossier nouveau ou vide avec --vault
keys-other-vault = ces clés sont celles d'un autre coffre
keys-other-owner = ces clés sont celles d'un autre propriétaire
passphrase-empty = la phrase secrète est vide : choisissez-en une d'au moins 8 caractères
passphrase-short = la phrase secrète est trop courte : utilisez au moins 8 caractères

## Imports.
import-twice = { $at } : la même entrée figure deux fois dans le fichier
import-invalid = { $at } : { $why }
import-did-kept = { $at } : changerait ou retirerait le did de { $id } : gardé tel quel (changez-le à la main avec `musette edit`, s'il est juste)

## Damage found in the file, forgeries, input and output.
damaged-vault = le coffre est endommagé ou a été altéré : { $what } ; lancez `musette doctor` pour un rapport complet
damaged-record = la fiche { $record } est endommagée ou a été altérée : { $what } ; lancez `musette doctor` pour un rapport complet
io-failed = { $context } : { $why }
error-as-is = { $error }
io-read-attachment = impossible de lire le fichier de la pièce jointe { $name }
io-write-attachment = impossible d'écrire la pièce jointe
attachment-damaged = pièce jointe { $name } : { $what }
chunk-missing = le bloc { $n } manque
chunk-integrity = le bloc { $n } ne passe pas son contrôle d'intégrité
chunk-short = le bloc { $n } est plus court que le contenu
attachment-chunk-count =
    { $count ->
        [one] elle a { $count } bloc enregistré
       *[other] elle a { $count } blocs enregistrés
    } au lieu de { $expected }
attachment-content = son contenu ne correspond pas à la taille ni au SHA-256 enregistrés
io-backup-image = lecture de l'image de la sauvegarde
io-backup-write = écriture de la sauvegarde
manifest-missing = le manifeste (la liste des fiches du coffre) manque : il a été supprimé en dehors de musette
manifest-integrity = le manifeste ne passe pas son contrôle d'intégrité : il a été altéré, ou la clé qui a ouvert le coffre est plus ancienne que le coffre (un emplacement de clé ou une session remis depuis une copie plus ancienne)
manifest-decode = le manifeste ne peut pas être décodé
bucket-type = le compartiment { $bucket } du manifeste a le mauvais type
bucket-missing = le compartiment { $bucket } du manifeste manque : il a été supprimé en dehors de musette
bucket-not-named = le compartiment { $bucket } du manifeste n'est pas celui que nomme le manifeste : il a été altéré ou remis depuis une copie plus ancienne
bucket-decode = le compartiment { $bucket } du manifeste ne peut pas être décodé
bucket-other = le compartiment { $bucket } du manifeste contient une entrée d'un autre compartiment
manifest-entry-unreadable = son entrée dans le manifeste ne peut pas être lue ({ $why })
manifest-row-no-bucket = la table du manifeste contient une ligne sans numéro de compartiment valable
manifest-row-unwritten = la table du manifeste contient une ligne pour le compartiment { $bucket }, que le manifeste n'a jamais écrit
io-create-vault = impossible de créer { $path }
io-folder-parent = impossible de créer le dossier qui contient le dossier du coffre { $path }
io-folder-create = impossible de créer le dossier du coffre { $path }
io-folder-private = impossible de rendre privé (chmod 700) le dossier du coffre { $path }
session-put-back = cette session a été fermée (par `lock`, `passwd` ou `rekey`), et sa ligne a été remise depuis une copie plus ancienne
device-id-changed = l'identifiant de cet appareil dans le fichier n'est pas celui que détient le coffre : il a été changé en dehors de musette
slot-name =
    { $slot ->
        [recovery] l'emplacement de la clé de secours
       *[other] l'emplacement de clé de la phrase secrète
    }
slot-not-last = { $slot } n'est pas celui que ce coffre a écrit en dernier : il a été altéré ou remis depuis une copie plus ancienne. Lancez `musette doctor`, puis `musette rekey` pour créer de nouvelles clés
vault-file-replaced = le fichier de ce dossier n'est plus le coffre qui a été ouvert : ouvrez-le à nouveau
rekey-record-key = sa clé de données ne s'ouvre pas, elle ne peut donc pas passer aux nouvelles clés : rien n'a été changé. Oubliez la fiche avec `musette forget` (ou restaurez-la depuis une sauvegarde), puis changez à nouveau les clés
rekey-owner-key = la clé de signature du propriétaire ne s'ouvre pas, elle ne peut donc pas passer aux nouvelles clés : rien n'a été changé
manifest-missing-restore = le manifeste (la liste des fiches du coffre) manque : il a été supprimé en dehors de musette ; restaurez le coffre depuis une sauvegarde
owner-key-not-open = la clé de signature du propriétaire ne s'ouvre pas
manifest-owner-missing = le manifeste (la liste des fiches du coffre) et la clé de signature du propriétaire manquent tous deux : ils ont été supprimés en dehors de musette ; restaurez le coffre depuis une sauvegarde
header-integrity = son en-tête ne passe pas son contrôle d'intégrité
slot-advice-recovery = votre clé de secours n'ouvre plus ce coffre : lancez `musette rekey` pour en créer une nouvelle
slot-advice-passphrase = votre phrase secrète n'ouvre peut-être plus ce coffre : ouvrez-le avec votre clé de secours (`musette recover`), puis lancez `musette rekey`
slot-insane = { $slot } est endommagé : ses paramètres ne sont pas de ceux qu'écrit musette ; { $advice }
slot-altered = { $slot } a été altéré ou remis depuis une copie plus ancienne ; { $advice }
slot-missing-advice = { $slot } manque ; { $advice }
slot-unreadable = { $slot } est illisible ({ $why }) ; { $advice }
slot-row-type = { $slot } est endommagé : sa ligne a des valeurs du mauvais type
slot-malformed = { $slot } a des paramètres mal formés
slot-missing = { $slot } manque
doctor-database = le fichier de la base de données est endommagé : { $check }
doctor-setting-stray = le réglage { $name } a été mis dans le fichier en dehors de musette (le manifeste ne le connaît pas)
doctor-stray = { $what } : `musette rekey` la retire
doctor-counts =
    { $counted ->
        [one] le manifeste compte { $counted } fiche
       *[other] le manifeste compte { $counted } fiches
    } et { $counted_forgotten ->
        [one] { $counted_forgotten } oubliée
       *[other] { $counted_forgotten } oubliées
    }, mais en liste { $live } et { $forgotten }
doctor-sync-digest = l'empreinte de synchronisation du manifeste ne correspond pas à ses entrées
doctor-header-document = son en-tête ne correspond pas à son document
doctor-heads = les modifications de son document ne sont pas celles que nomme le manifeste
doctor-chunks-stray = des blocs de document sont enregistrés pour une fiche qui n'est pas dans le fichier (ils y ont été mis en dehors de musette)
doctor-meta-stray = le fichier contient un réglage que musette n'écrit jamais ({ $name })
doctor-blob-type = une ligne de pièce jointe a des valeurs du mauvais type
doctor-blob-stray = les données de pièce jointe enregistrées { $attachment } n'appartiennent à aucune pièce jointe de la fiche
owner-key-deleted = la clé de signature du propriétaire manque : elle a été supprimée en dehors de musette. musette ne crée jamais de nouvelle identité de lui-même (ceux qui connaissent votre did:key ne vous reconnaîtraient plus) : restaurez le coffre depuis une sauvegarde
owner-key-replaced = la clé de signature du propriétaire n'est pas celle que détient ce coffre : elle a été remplacée en dehors de musette ; restaurez le coffre depuis une sauvegarde
slot-params-altered = cet emplacement de clé est endommagé : ses paramètres ne sont pas de ceux qu'écrit musette (il a été altéré) ; ouvrez le coffre avec votre clé de secours (`musette recover`) ou restaurez une sauvegarde
header-decode = son en-tête ne peut pas être décodé : { $why }
kept-decode = les fichiers reçus ne peuvent pas être décodés
data-key-not-open = sa clé de données ne s'ouvre pas
row-column-type = sa ligne a une valeur du mauvais type dans la colonne { $column }
row-id-invalid = une ligne de fiche n'a pas d'identifiant valable (ce ne sont pas 26 lettres et chiffres)
row-id-type = une ligne de fiche n'a pas d'identifiant valable (son identifiant est de type { $kind })
chunk-negative = un bloc a un numéro négatif
chunk-out-of-place = le bloc { $n } n'est pas là où la fiche attend des blocs { $first }..={ $last }
chunk-kind = le bloc { $n } est du mauvais type
chunk-length = le bloc { $n } a une longueur incorrecte
chunk-decode = le bloc { $n } ne peut pas être décodé : { $why }
document-no-chunks = son document n'a aucun bloc
document-missing-changes = il manque des modifications à son document
rows-missing = ses lignes manquent dans le fichier : elles ont été supprimées en dehors de musette
record-unknown = le manifeste du coffre ne connaît pas cette fiche : ses lignes ont été ajoutées en dehors de musette ou remises depuis une copie plus ancienne
record-forgotten-back = cette fiche a été oubliée, et pourtant ses lignes sont de nouveau dans le fichier : elles ont été remises depuis une copie plus ancienne
header-rolled-back = son en-tête n'est pas celui que le coffre a écrit en dernier : il a été ramené à une copie plus ancienne ou remplacé
chunks-replaced = ses blocs ne sont pas ceux que nomme son en-tête : l'un d'eux a été remplacé (par le bloc de même numéro d'un autre appareil, ou par une copie plus ancienne)
document-unreadable = document illisible : { $why }
document-no-property = le document n'a pas de propriété « { $name } »
document-kind-unknown = type de fiche inconnu dans le document
attachment-malformed = la pièce jointe { $key } est mal formée : { $why }
file-structure-changed = la structure du fichier a été changée en dehors de musette : il contient un objet { $kind } nommé { $name } que musette ne crée jamais ; restaurez le coffre depuis une sauvegarde
io-create-private = impossible de créer { $path } (lisible par vous seul)
io-make-private = impossible de rendre { $path } lisible par vous seul
forged-recommendation-signature = la recommandation a été altérée ou est falsifiée : la signature de { $who } n'est pas valide ({ $why })
stored-credential-not-json = son attestation enregistrée n'est pas du JSON
forged-recommendation-none = cette recommandation ne correspond à aucune des vôtres : son texte ou ses détails ont été changés après votre envoi, ou elle n'est pas à vous ; rien n'a été enregistré
owner-key-missing = la clé de signature du propriétaire manque
network-key-not-open = la clé réseau de cet appareil ne s'ouvre pas
network-key-malformed = la clé réseau de cet appareil est mal formée
network-key-missing = la clé réseau de cet appareil manque
setting-deleted = le réglage { $name } a été supprimé en dehors de musette
setting-not-last = le réglage { $name } n'est pas celui que ce coffre a écrit en dernier : il a été altéré, ou remis depuis une copie plus ancienne
setting-not-open = le réglage { $name } ne s'ouvre pas
setting-decode = le réglage { $name } ne peut pas être décodé
blob-chunk-type = un bloc de pièce jointe a le mauvais type
blob-chunk-negative = un bloc de pièce jointe a un indice négatif
forged-record-key = fiche { $id } : sa clé ne s'ouvre pas avec les clés de ce coffre
forged-no-chunks = la fiche { $id } est arrivée sans aucun bloc
forged-chunk-number = fiche { $id } : un numéro de bloc est trop grand
forged-header-chunks = fiche { $id } : son en-tête nomme d'autres blocs que ceux qui sont arrivés avec elle
forged-merge = fiche { $id } : { $why }
forged-blob-beyond = fiche { $id } : le bloc { $n } de sa pièce jointe { $name } est au-delà de son dernier bloc
forged-blob-key = fiche { $id } : le bloc { $n } de sa pièce jointe { $name } ne s'ouvre pas avec la clé de sa fiche
forged-blob-count = fiche { $id } : sa pièce jointe { $name } est arrivée avec { $came } de ses { $chunks } blocs

## Verification.
proof-not-object = la preuve n'est pas un objet JSON
proof-unknown-suite = la suite cryptographique { $suite }, que musette ne connaît pas
proof-no-cryptosuite = la preuve n'a pas de cryptosuite
proof-unknown-type = le type de preuve { $kind }, que musette ne connaît pas
proof-no-type = la preuve n'a pas de type
proof-created-not-datetime = son created n'est pas un dateTime
proof-no-purpose = la preuve n'a pas de proofPurpose
proof-value-malformed = son proofValue n'est pas une signature Ed25519 en base58btc
proof-context-mismatch = le @context du document ne commence pas par celui de la preuve
proof-previous-malformed = son previousProof est mal formé
proof-previous-missing = une preuve sur laquelle elle s'appuie (previousProof) manque
proof-vm-not-did-key = son verificationMethod n'est pas une did:key valable
proof-key-at-url = sa clé est publiée à { $did }, ce qui ne peut pas être vérifié hors ligne
proof-key-did-method = sa clé appartient à { $did }, un identifiant { $method } que seul le réseau peut résoudre
proof-key-fragment-mismatch = la signature ne correspond pas à la clé que nomme le fragment de sa méthode : le document a été modifié depuis sa signature
proof-context-unsigned = son @context ajoute des entrées après celles que signe sa preuve : ce qu'elles changent, aucune signature ne le couvre
proof-purpose-wrong = sa preuve a été faite pour { $purpose }, alors que ce genre de document est signé pour { $wanted }
proof-key-fragment-matches = { $why } ; la signature correspond bien à la clé que nomme son fragment, mais seul ce site peut dire que cette clé est celle de l'émetteur
proof-mismatch = la signature ne correspond pas au document
proof-rdf-shape = la signature tient sur son RDF, mais { $problems }
proof-too-many = elle porte { $n } preuves ; musette en vérifie { $max } au plus
list-semicolon = { $first } ; { $rest }
ld-unknown-context = elle utilise le contexte JSON-LD { $url }, que musette n'a pas (il n'en télécharge jamais)
ld-undefined = aucune signature ne couvre { $terms } : ses contextes ne { $n ->
        [one] lui
       *[other] leur
    } donnent aucun sens
ld-invalid = ce n'est pas du JSON-LD valable : { $why }
ld-limit = { $what }, au-delà de ce que musette canonise
ld-larger = elle dépasse { $kib } Kio
ld-statements = elle se développe en plus de { $max } énoncés
ld-contexts = elle nomme plus de { $max } contextes
ld-blank-nodes = elle contient plus de { $max } nœuds anonymes
ld-alike = elle contient { $size } nœuds anonymes semblables, que la canonisation devrait essayer dans tous les ordres (un document fait pour épuiser les vérificateurs)
ld-slow = la canoniser prend plus de { $secs } secondes (un document fait pour épuiser les vérificateurs)
ld-inline-context = elle définit ses propres termes dans son @context, ce qui peut changer le sens de ses mots
ld-context-not-list = son @context n'est pas une liste d'URL de contextes
ld-date-not-plain = son { $key } n'est pas une simple date
ld-defines-at = elle définit ses propres termes en { $at }, ce qui peut changer le sens de ses mots
ld-keyword = elle utilise le mot-clé JSON-LD { $key } en { $at }
ld-property-iri = elle nomme une propriété par son IRI ({ $key }) au lieu d'un terme
ld-type-not-term = son type en { $at } n'est pas un terme
jws-not-compact = ce n'est pas un JWS compact (trois parties séparées par des points)
jws-header = son en-tête n'est pas du JSON en base64url
jws-signature-encoding = sa signature n'est pas en base64url
jws-unsigned = il n'est pas signé (son alg est none)
jws-rsa-key = sa clé RSA n'a pas de n ou de e
jws-p256-key = sa clé P-256 est mal formée
jws-ed25519-key = sa clé Ed25519 est mal formée
jws-algorithm = l'algorithme JWS { $alg } avec une clé { $kty }, que musette ne vérifie pas
jws-did-key-alg = sa clé est une did:key (Ed25519), qui signe avec EdDSA, pas { $alg }
jws-no-key = sa clé n'est pas dans le jeton et il n'en nomme aucune (ni jwk, ni kid)
jws-key-online = sa clé ({ $kid }) n'est pas dans le jeton : la récupérer demande le réseau
jws-mismatch = la signature ne correspond pas au jeton
validity-expired = expirée le { $date }
validity-not-yet = valable seulement à partir du { $date }
unchecked-date = son { $key } { $value } n'est pas une date que musette sait lire : on ne peut donc pas vérifier si elle est valable aujourd'hui
unchecked-status = son statut (révocation) est publié à { $url }, ce qui demande le réseau
status-list-unnamed = une liste qu'elle nomme
unbound-issuer = rien ne lie { $who } à son émetteur { $issuer } : seul l'émetteur, en ligne, peut dire quelles clés sont les siennes
unbound-no-issuer = rien ne lie { $who } à un émetteur : elle n'en nomme aucun
signer-unnamed = son signataire
signer-dids = son signataire ({ $dids })
jwt-ambiguous = le jeton contient deux fois la clé { $key } dans un même objet : les outils ne s'accordent pas sur celle qui compte, il est donc refusé
jwt-date-not-a-number = le { $claim } du jeton vaut { $value }, pas une date en secondes depuis 1970 (RFC 7519) : les outils ne s'accordent pas sur son sens, il est donc refusé
jwt-embedded-key = la clé qui l'a signé voyage dans le jeton lui-même, et n'importe qui peut fabriquer une telle clé : elle montre que le badge n'a pas été modifié depuis sa signature, pas qui l'a émis
## More.
vault-mode-open =
    { $what ->
        [folder] le dossier
       *[other] le fichier
    } du coffre { $path } peut être lu ou modifié par d'autres utilisateurs (mode { $mode }) : lancez `chmod { $want } { $path }`
database-damaged = le fichier du coffre est endommagé ({ $why }) : lancez `musette doctor`, ou restaurez le coffre depuis une sauvegarde
