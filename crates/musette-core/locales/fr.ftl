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
