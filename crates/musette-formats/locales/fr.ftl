## Messages des formats d'import et d'export (musette-formats). L'anglais est ce que voient `--json`,
## les journaux et les scripts.

## Ce qu'est une valeur JSON.
json-kind =
    { $kind ->
        [null] null
        [bool] true ou false
        [number] un nombre
        [text] du texte
        [list] une liste
       *[object] un objet
    }

## JSON Resume.
not-json = ce n'est pas du JSON ({ $why })
resume-key-twice = le CV contient deux fois la clé { $key } dans un même objet : les outils ne s'accordent pas sur celle qui compte, il n'est donc pas importé ; gardez-en une
resume-too-large = le CV fait { $len } octets : musette en lit au plus { $max }
resume-unrecognised = ce n'est pas un JSON Resume : il n'a aucune des sections basics, work, education, skills, volunteer ou projects
resume-too-many = { $section } compte { $n } entrées : musette en lit au plus { $max }
resume-basics = basics
resume-entry = { $section } { $n }
resume-entry-named = { $section } { $n } ({ $name })
resume-text-long = { $at } : { $key } fait { $len } octets, plus qu'aucun CV n'en demande ({ $max }) : valeur laissée de côté
resume-not-text = { $at } : { $key } devrait être du texte, et non { $kind } : valeur laissée de côté
resume-not-date = { $at } : { $key } { $raw } n'est pas une date (AAAA, AAAA-MM ou AAAA-MM-JJ) : valeur laissée de côté
resume-not-list-of-text = { $at } : { $key } devrait être une liste de textes, et non { $kind } : valeur laissée de côté
resume-item-not-text = { $at } : une entrée de { $key } devrait être du texte, et non { $kind } : laissée de côté
resume-not-list = { $at } : devrait être une liste, et non { $kind } : section laissée de côté
resume-not-object = { $at } : devrait être un objet, et non { $kind } : laissé de côté
resume-nothing-to-key = { $at } : rien pour la reconnaître (il lui manque son nom, son titre ou son texte) : entrée laissée de côté
resume-out-not-web-address =
    { $kind ->
        [contact] contact
        [experience] expérience
        [skill] compétence
        [badge] badge
        [evidence] preuve
        [recommendation] recommandation
       *[other] { $kind }
    } { $title } : { $name } { $raw } n'est pas une adresse web : laissé de côté
resume-out-network-url = votre profil : l'url { $raw } d'un profil de réseau n'est pas une adresse web : laissée de côté
resume-out-url = votre profil : l'url { $raw } n'est pas une adresse web : laissée de côté
resume-out-email = votre profil : l'email { $raw } n'est pas une adresse e-mail : laissé de côté

## Exports LinkedIn.
cannot-read = impossible de lire { $what } ({ $why })
linkedin-zip-not-export = ce ZIP n'est pas un export de données LinkedIn : il ne contient aucun des fichiers { $files }
linkedin-folder-not-export = le dossier { $path } n'est pas un export de données LinkedIn : il ne contient aucun des fichiers { $files }
linkedin-not-zip = ce n'est pas une archive ZIP lisible ({ $why })
linkedin-zip-entry = l'entrée { $n } du ZIP est illisible ({ $why })
linkedin-zip-twice = le ZIP contient deux fois { $file } : un export n'en a qu'un
linkedin-folder-twice = { $folder } contient deux fois { $file } ({ $one } et { $two }) : un export n'en a qu'un
linkedin-several = { $folder } contient plusieurs exports LinkedIn ({ $exports }) : importez un dossier à la fois
linkedin-file-too-large = { $file } dépasse { $mib } Mio une fois décompressé : il n'est pas lu
linkedin-export-too-large = l'export dépasse { $mib } Mio une fois décompressé : il n'est pas lu
linkedin-windows-1252 = { $file } n'est pas en UTF-8 : il a été lu comme du Windows-1252 (ainsi qu'Excel enregistre les fichiers CSV) ; vérifiez ses lettres accentuées
linkedin-no-header = { $file } : aucun en-tête n'a de colonne { $column } : le fichier a été laissé de côté
linkedin-at = { $file } ligne { $line }
linkedin-not-csv = { $at } : illisible en CSV ({ $why }) : la suite du fichier a été laissée de côté
linkedin-long-value = { $at } : une valeur de plus de { $kib } Kio : ligne laissée de côté
linkedin-too-many-rows = { $file } : plus de { $max } lignes : la suite a été laissée de côté
linkedin-not-date = { $at } : { $column } { $raw } n'est pas une date que musette sait lire : valeur laissée de côté
linkedin-row-left-out = { $at } : { $why } : ligne laissée de côté
linkedin-no-title-company = ni titre ni entreprise
linkedin-no-school-degree = ni école ni diplôme
linkedin-no-title = pas de titre
linkedin-no-language = pas de nom de langue
linkedin-no-certification = pas de nom de certification
linkedin-no-text = pas de texte
linkedin-no-name = pas de nom
linkedin-no-skill = pas de nom de compétence

## Fichiers de nombreuses fiches, et le profil du propriétaire.
vcard-windows-1252 = le fichier n'est pas en UTF-8 : il a été lu comme du Windows-1252 (Latin-1), ainsi que l'enregistrent d'anciens carnets d'adresses ; vérifiez ses lettres accentuées
many-not-utf8 = un fichier { $format } est du texte (UTF-8), et celui-ci n'en est pas
your-profile = votre profil
profile-renamed = votre profil : son nom passe de { $old } à { $new }, et les détails du fichier s'ajoutent aux siens (il n'en retire aucun) : vérifiez-le avec `musette profile`
profile-no-name = votre profil : le fichier ne donne pas de nom, et vous n'avez pas encore de profil : il a été laissé de côté (donnez-en un avec `musette profile --set name=…`)

## vCard.
vcard-at = ligne { $line }
vcard-own-did = { $at } : sa KEY est votre propre did, que seul votre profil porte : laissée de côté pour ce contact
vcard-unended = ligne { $line } : une carte sans END:VCARD (ignorée)
vcard-outside = ligne { $line } : hors de toute carte (ignorée)
vcard-too-large = ligne { $line } : une carte de plus de 1 Mio (ignorée)
vcard-bad = ligne { $line } : { $why } (ignorée)
vcard-invalid = une carte non valable : { $why }
vcard-no-name = une carte sans FN ni N : un contact a besoin d'un nom
vcard-empty = une carte vide
vcard-too-many = plus de { $max } cartes dans un seul fichier : découpez-le
vcard-none-read = aucune carte de ce fichier n'a pu être lue : { $first }
vcard-none = ce fichier ne contient aucune vCard (pas de ligne BEGIN:VCARD)

## Open Badges.
badge-unrecognised = ce fichier n'est pas un badge : ce n'est ni du JSON, ni un PNG, ni un SVG
badge-png-none = ce PNG ne contient pas de badge intégré (aucun bloc iTXt nommé openbadgecredential ou openbadges)
badge-svg-none = ce SVG ne contient pas de badge intégré (aucun élément openbadges:credential ou openbadges:assertion)
badge-key-twice = le badge contient deux fois la clé { $key } dans un même objet : les outils divergent sur celle qui compte, ce qu'il dit est donc ambigu
badge-hosted = ce badge est hébergé à { $url } et ne fait que renvoyer là-bas ; il ne peut pas être récupéré hors ligne : téléchargez le JSON de l'assertion et importez-le
badge-empty = le badge intégré est vide
badge-not-jws = le badge n'est ni du JSON ni un JWS lisible
badge-jws-not-json = la charge utile JWS du badge n'est pas du JSON
badge-not-json = le badge n'est pas du JSON valable ({ $why }) ; le fichier serait-il tronqué ?
badge-not-object = le badge n'est pas un objet JSON
badge-not-open-badge = ce JSON n'est pas un Open Badge : son type n'est ni OpenBadgeCredential, ni AchievementCredential, ni EndorsementCredential, ni Assertion
badge-missing-v3 =
    l'attestation Open Badges 3.0 n'a pas { $what ->
        [name] de nom (ni le sien, ni celui de son achievement)
       *[other] de champ { $what }
    } : il est pourtant obligatoire
badge-missing-v2 =
    l'assertion Open Badges 2.0 n'a pas { $what ->
        [badge-name] de nom de badge
       *[other] de champ { $what }
    } : il est pourtant obligatoire
badge-unwritable = le badge ne peut pas être écrit en JSON ({ $why })

## Images PNG.
png-not-png = ce n'est pas une image PNG (sa signature est fausse)
png-truncated-header = le PNG est tronqué au milieu de l'en-tête d'un bloc
png-truncated-chunk = le PNG est tronqué : un bloc dépasse la fin du fichier
png-checksum = le PNG est endommagé : la somme de contrôle du bloc { $chunk } est fausse
png-no-ihdr = le PNG ne commence pas par un bloc IHDR
png-itxt-truncated = un bloc iTXt du PNG est tronqué
png-compressed = le texte { $keyword } du PNG est compressé, ce que l'intégration d'un Open Badge ne permet pas
png-not-utf8 = le texte { $keyword } du PNG n'est pas en UTF-8
png-two-badges = ce PNG contient deux badges intégrés (blocs de texte { $first } et { $second }) : les outils divergent sur celui qui compte, aucun n'est donc lu
png-text-too-large = le texte est trop grand pour un bloc PNG

## Images SVG.
svg-not-utf8 = le SVG n'est pas en UTF-8
svg-not-xml = le SVG n'est pas du XML bien formé : { $why }
svg-root-not-svg = ce XML n'est pas une image SVG (son élément racine n'est pas svg)
svg-unknown-entity = le SVG utilise une entité inconnue &{ $entity };
svg-two-badges = ce SVG contient deux badges intégrés (deux éléments openbadges:{ $first } et { $second }) : les outils ne s'accordent pas sur celui qui compte, aucun n'est donc lu
svg-unended-badge = le SVG se termine à l'intérieur de son élément openbadges
svg-no-svg = ce n'est pas une image SVG (aucun élément svg)
svg-cdata-end = l'attestation contient ]]>, qui ne peut pas figurer dans une section CDATA
svg-root-empty = l'élément racine du SVG est vide : il n'y a pas d'image où intégrer le badge

## Verification.
received-baked-not-json = l'attestation intégrée à l'image n'est pas du JSON ({ $why })
received-wrong-type = son type ne nomme ni une attestation vérifiable ni une présentation
received-empty = il est vide
received-not-json = il commence comme du JSON mais n'en est pas : { $why }
received-unknown = ce n'est ni du JSON, ni un JWT, ni une image de badge (PNG, SVG)
badge-status-verified = vérifié
badge-status-invalid = non valable : { $why }
badge-status-unsigned = non signé
badge-status-unchecked = invérifiable : { $why }
badge-status-not-now = la signature tient, mais { $when }
badge-not-by-issuer = aucune preuve n'est de l'émetteur de l'attestation
badge-status-online = ses preuves tiennent, mais son statut (révocation) est publié à { $url }, ce qui demande le réseau
badge-no-offline-proof = aucune preuve de son émetteur ne peut être vérifiée hors ligne
badge-signed-v2 = un badge Open Badges { $version } signé (JWS) dont la clé est publiée à { $key } : le vérifier demande le réseau
badge-hosted-v2 = un badge Open Badges { $version } hébergé ne porte aucune signature : il est authentique tant que son émetteur publie toujours la même assertion à { $url }, et seule une visite de ce site, en ligne, peut le dire
badge-issuer-site = le site de son émetteur
