# Application web musette : français.
skip-to-content = Aller au contenu
nav-label = Principal
nav-dashboard = Tableau de bord
nav-records = Fiches
nav-add = Ajouter une fiche
nav-profile = Votre profil
profile-title = Votre profil
profile-intro = Votre propre fiche contact, avec votre identité (did) : elle ouvre vos exports de CV et accompagne votre vCard. Remplissez ce que vous voulez montrer.
nav-lock = Verrouiller
back-home = Retour au tableau de bord
error-title = Un problème est survenu

unlock-title = Ouvrir votre musette
unlock-button = Ouvrir
unlock-wrong = Phrase secrète incorrecte : réessayez. Oubliée ? Utilisez votre clé de secours (le lien ci-dessous).
unlock-forgot = Phrase secrète oubliée ? Utilisez votre clé de secours.
create-title = Créer votre musette
create-intro = Il n'y a pas encore de coffre ici. Choisissez une phrase secrète : elle chiffre tout ce que vous gardez, sur cet appareil seulement.
create-hint = Au moins 8 caractères. Quelques mots sans rapport entre eux se retiennent facilement et se devinent mal.
create-button = Créer ma musette
create-too-short = La phrase secrète est trop courte : au moins 8 caractères.
create-mismatch = Les deux phrases diffèrent : tapez deux fois la même.
field-passphrase = Phrase secrète
field-confirm = Phrase secrète, à nouveau

recovery-title = Votre clé de secours
recovery-intro = Si vous oubliez votre phrase secrète, cette clé est le seul moyen de rouvrir votre musette. Elle n'est montrée qu'une fois.
recovery-warning = Recopiez-la sur papier ou imprimez-la, et rangez-la en lieu sûr, loin de cet appareil. Qui la détient peut ouvrir votre musette.
recovery-print = Imprimer
recovery-done = Je l'ai notée

dashboard-title = Votre musette
dashboard-records = { $n ->
    [0] Aucune fiche pour l'instant
    [one] Une fiche
   *[other] { $n } fiches
}
dashboard-empty = Commencez par une expérience, une compétence ou un contact.
dashboard-due = À faire
dashboard-nothing-due = Rien en retard, rien à faire dans les 30 prochains jours.
dashboard-received = Reçu
dashboard-received-count = { $n ->
    [0] Rien reçu pour l'instant.
    [one] Une attestation ou présentation reçue.
   *[other] { $n } attestations ou présentations reçues.
}
due-waiting = vous attend
due-overdue = { $n ->
    [1] en retard d'un jour
   *[other] en retard de { $n } jours
}
due-expired = { $n ->
    [1] a expiré hier
   *[other] a expiré il y a { $n } jours
}
due-in = { $n ->
    [0] à faire aujourd'hui
    [one] à faire demain
   *[other] à faire dans { $n } jours
}
due-expires-in = { $n ->
    [0] expire aujourd'hui
    [one] expire demain
   *[other] expire dans { $n } jours
}

records-title = Fiches
records-search = Rechercher
records-kind = Nature de la fiche
records-any-kind = Tous les types
records-tag = Étiquettes
records-filter = Afficher
records-count = { $n ->
    [0] Aucune fiche ne correspond.
    [one] Une fiche.
   *[other] { $n } fiches.
}
records-col-title = Titre
records-col-date = Date

record-title = Fiche
record-removed = retirée
record-edit = Modifier
record-attachments = Pièces jointes
record-no-attachments = Aucune pièce jointe.
record-history = Historique
history-when = Quand
history-device = Appareil
history-what = Quoi
history-fields = Champs
history-this-device = cet appareil
record-remove-h = Retirer
record-remove = Retirer (réversible)
record-restore = Rétablir
record-forget = Oublier définitivement…

new-title = Ajouter une fiche
edit-title = Modifier une fiche
form-change-kind = Changer de type
form-save = Enregistrer
hint-date = AAAA, AAAA-MM ou AAAA-MM-JJ, par exemple 2024-09.
hint-list = Séparez-en plusieurs par des virgules.
hint-ref = L'identifiant d'une autre fiche (ses 6 premiers caractères suffisent).

forget-title = Oublier une fiche
forget-warning = Oublier détruit la clé et le contenu de la fiche sur cet appareil : c'est irréversible, même depuis une sauvegarde faite après aujourd'hui. Pour cacher une fiche en la gardant, retirez-la plutôt.
forget-confirm = Je comprends que cette fiche aura disparu pour de bon.
forget-button = L'oublier
forget-cancel = La garder
forget-unconfirmed = Cochez la case pour confirmer : rien n'a été oublié.

kind-contact = contact
kind-experience = expérience
kind-skill = compétence
kind-badge = badge
kind-evidence = preuve
kind-recommendation = recommandation
kind-document = document

choice-employment = emploi salarié
choice-freelance = indépendant
choice-volunteer = bénévolat
choice-education = formation
choice-project = projet
choice-other = autre
choice-contract = contrat
choice-payslip = bulletin de paie
choice-certificate = certificat
choice-training = formation
choice-id = pièce d'identité

field-name = Nom
field-organization = Organisation
field-role = Fonction
field-email = Courriel
field-phone = Téléphone
field-url = Adresse web
field-notes = Notes
field-did = Identifiant décentralisé (did)
field-title = Intitulé
field-type = Type
field-start = Début
field-end = Fin
field-location = Lieu
field-description = Description
field-skills = Compétences
field-level = Niveau
field-keywords = Mots-clés
field-issuer = Émetteur
field-issued = Délivré le
field-expires = Expire le
field-criteria = Critères
field-credential = Attestation d'origine
field-date = Date
field-experience = Expérience
field-text = Texte
field-author = Auteur
field-author_did = did de l'auteur
field-about = Au sujet de
field-category = Catégorie
field-due = Échéance
field-tags = Étiquettes

attach-label = Joindre un fichier
attach-hint = Ou déposez un fichier sur ce cadre. Les fichiers de toute taille sont envoyés par morceaux.
attach-progress = Envoi du fichier
attach-button = Joindre
attach-none = Choisissez un fichier à joindre.
attach-done = Joint.
attach-failed = Le fichier n'a pas été joint :

nav-verify = Vérifier
record-issue = Partager en attestation signée
verify-title = Vérifier une attestation
verify-intro = Déposez une attestation ou une présentation qu'on vous a remise (JSON, un JWT ou une image de badge) : voyez ce qu'elle dit, qui l'a signée, et si chaque signature est valide. Rien ne quitte cette machine.
verify-file = Le fichier
verify-button = Vérifier
verify-no-file = Choisissez un fichier à vérifier.
verify-verified = Vérifiée : toutes les signatures sont valides.
verify-failed = Non vérifiée : une signature n'est pas valide, ou aucune n'est de son émetteur.
verify-unchecked = Invérifiable hors ligne : rien ne montre qu'elle a été modifiée, rien ne le confirme non plus.
verify-not-now = Pas valable aujourd'hui : ses signatures sont valides, mais elle a expiré ou n'est pas encore valable.
verify-what = Quoi
verify-kind = Nature
verify-issuer = Émise par
verify-subject = Au sujet de
verify-says = Ce qu'elle dit
verify-proofs = Signatures
verify-no-proof = Elle ne porte aucune signature.
verify-proof-holds = la signature est valide
verify-proof-fails = la signature n'est pas valide :
verify-proof-unchecked = invérifiable hors ligne :
verify-not-by-issuer = Aucune signature n'est de son émetteur : elle ne dit rien dont l'émetteur se porte garant.
issue-title = Partager en attestation signée
issue-intro = Cochez ce que le destinataire verra : seul cela est signé et remis. Vous obtenez un fichier à lui envoyer (par courriel, sur une clé USB) ; il peut le contrôler sur la page Vérifier de sa propre musette, ou avec tout outil qui vérifie les attestations.
issue-fields = Champs à partager
issue-to = Pour qui (facultatif)
issue-to-hint = Pour garder trace de ce que vous avez remis à qui, par exemple « RH Acme ».
issue-suite = Signature
issue-suite-rdfc = celle que vérifient les outils Open Badges et les portefeuilles
issue-suite-jcs = pour les vérificateurs sans JSON-LD
issue-button = Signer et télécharger
issue-no-field = Cochez au moins un champ à partager.

records-page = (page { $page } sur { $pages })
records-pages = Pages
records-prev = Page précédente
records-next = Page suivante
dashboard-more-due = { $n ->
    [1] Et une autre.
   *[other] Et { $n } autres.
}

nav-transfer = Importer et exporter
transfer-title = Importer et exporter
import-h = Apporter votre musette
import-intro = Un JSON Resume, le ZIP que LinkedIn envoie avec « Obtenir une copie de vos données », des vCards d'un carnet d'adresses, ou un Open Badge. Importer deux fois le même fichier n'ajoute rien : ce qui a changé est mis à jour.
import-format = Format
import-guess = Le reconnaître
import-dry-run = Montrer seulement ce qui changerait
import-button = Importer
import-would = Ce que ferait l'import (rien n'a été écrit)
import-done = Importé
import-new = { $n ->
    [0] 0 nouvelle
    [1] 1 nouvelle
   *[other] { $n } nouvelles
}
import-updated = { $n ->
    [0] 0 mise à jour
    [1] 1 mise à jour
   *[other] { $n } mises à jour
}
import-unchanged = { $n ->
    [0] 0 inchangée
    [1] 1 inchangée
   *[other] { $n } inchangées
}
import-skipped = { $n ->
    [0] Aucune entrée laissée de côté
    [1] Une entrée laissée de côté
   *[other] { $n } entrées laissées de côté
}
import-notes = Détails laissés de côté
export-h = L'emporter
export-resume = Votre CV (JSON Resume)
export-vcard = Vos contacts (vCard)
export-more = Tout, lisible sans musette, depuis la ligne de commande : `musette export all`. Une sauvegarde ne s'ouvre qu'avec votre phrase secrète ou votre clé de secours (`musette restore`) ; gardez-la sur un autre disque.

month-1 = janv.
month-2 = févr.
month-3 = mars
month-4 = avr.
month-5 = mai
month-6 = juin
month-7 = juil.
month-8 = août
month-9 = sept.
month-10 = oct.
month-11 = nov.
month-12 = déc.

records-show-removed = Inclure les fiches retirées
action-add = créée
action-edit = modifiée
action-attach = fichier joint
action-detach = fichier retiré
action-rm = retirée
action-undo = rétablie
action-import = importée
action-merge = fusionnée depuis un autre appareil
action-recommend = recommandation signée
verify-self = Auto-déclarée : elle est signée par la personne qu'elle concerne, et personne d'autre ne s'en porte garant. Demandez une attestation à qui peut confirmer (un employeur, une école), ou une recommandation cosignée.
verify-kind-credential = une attestation
verify-kind-presentation = une présentation (plusieurs attestations remises ensemble)
action-change = modifiée
action-cosign = cosignée

count-contact = { $n ->
    [one] contact
   *[other] contacts
}
count-experience = { $n ->
    [one] expérience
   *[other] expériences
}
count-skill = { $n ->
    [one] compétence
   *[other] compétences
}
count-badge = { $n ->
    [one] badge
   *[other] badges
}
count-evidence = { $n ->
    [one] preuve
   *[other] preuves
}
count-recommendation = { $n ->
    [one] recommandation
   *[other] recommandations
}
count-document = { $n ->
    [one] document
   *[other] documents
}
upload-network-error = La connexion a été coupée : réessayez.
recover-title = Utiliser votre clé de secours
recover-intro = La clé de secours notée à la création de votre musette l'ouvre ; choisissez ensuite une nouvelle phrase secrète.
recover-key-hint = Lettres et chiffres ; les tirets et les espaces ne comptent pas.
recover-new = Nouvelle phrase secrète
recover-button = Ouvrir et changer la phrase secrète
recover-back = Revenir à la phrase secrète
recover-wrong = Cette clé de secours n'ouvre pas cette musette : comparez-la à celle que vous avez notée (une plus récente remplace les anciennes).
issue-advanced = Avancé : le type de signature

nav-received = Reçu
received-title = Ce que l'on vous a remis
received-shared = Partagé avec vous par vos pairs
received-kept = Attestations et présentations gardées depuis des fichiers
received-none-shared = Aucun pair ne partage encore rien avec vous.
received-none-kept = Aucune pour l'instant : importez-en une depuis la page Importer, ou avec `musette import`.
received-from = de
received-signed = La signature de l'expéditeur est valide.
received-unsigned = La signature de l'expéditeur n'est pas valide : ne vous y fiez pas.
received-revoked = L'expéditeur l'a retiré.
verify-keep-intro = Gardez-la dans votre musette, telle que reçue : vous pourrez la montrer et la vérifier plus tard.
verify-keep = La garder
record-share = Partager avec un pair
share-title = Partager avec un pair
share-to = Avec
share-no-peers = Vous n'avez pas encore de pair : ajoutez-en un avec `musette peer add` (il vous donne son ticket), ou regroupez-les dans une guilde avec `musette guild`.
share-no-target = Choisissez avec qui partager.
share-preview = Voir ce qu'il verra
share-button = Partager
share-preview-h = Ce qu'il verra
share-preview-note = Exactement ces champs, signés par vous. Il les reçoit à votre prochaine synchronisation ; vous pouvez les retirer quand vous voulez (ce qu'il a déjà reçu lui reste).
share-current = Déjà partagé
share-guild-members = { $n ->
    [0] aucun membre
    [1] un membre
   *[other] { $n } membres
}
share-done = Partagé. Il part à votre prochaine synchronisation (`musette sync`), ou tout de suite si l'un de vos appareils fait tourner `musette serve`.
present-pick = Choisir
present-button = Signer ensemble les fiches choisies et télécharger
present-hint = Un seul fichier avec chaque fiche choisie, tous ses champs, signé par vous : pour choisir les champs, partagez plutôt les fiches une à une.
present-none = Cochez au moins une fiche à présenter.

error-unknown-kind = type de fiche inconnu « { $kind } » : utilisez contact, experience, skill, badge, evidence, recommendation ou document
error-missing-contact = Un contact a besoin d'un nom
error-missing-experience = Une expérience a besoin d'un intitulé
error-missing-skill = Une compétence a besoin d'un nom
error-missing-badge = Un badge a besoin d'un nom
error-missing-evidence = Une preuve a besoin d'un intitulé
error-missing-recommendation = Une recommandation a besoin de son texte
error-missing-document = Un document a besoin d'un intitulé
error-invalid-date = « { $value } » n'est pas une date : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ (par exemple 2024-09 ou 2024-09-30)
error-invalid-date-field = { $field } : « { $value } » n'est pas une date : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ (par exemple 2024-09 ou 2024-09-30)
error-end-before-start = La fin ({ $end }) précède le début ({ $start }) : vérifiez les deux
error-no-vault = Il n'y a pas de coffre dans { $path } : créez-en un avec `musette init`, ou indiquez le vôtre avec --vault ou MUSETTE_VAULT
error-wrong-passphrase = Phrase secrète incorrecte : réessayez, ou choisissez-en une nouvelle avec votre clé de secours
error-no-such-record = Il n'y a pas de fiche { $id }
cli-error = erreur
cli-hint-set = ajoutez --set { $field }=…
cli-invalid-value = « { $value } » n'est pas une valeur possible pour { $arg }
cli-unknown-argument = { $arg } n'est pas une option de cette commande
cli-unknown-command = « { $command } » n'est pas une commande de musette
cli-did-you-mean = vouliez-vous dire { $suggestion } ?
cli-missing-argument = il manque : { $arg }
cli-see-help = voir `musette --help`

nav-people = Personnes
people-title = Les personnes avec qui vous partagez
people-peers = Pairs
people-no-peers = Aucun pair pour l'instant.
people-last-sync = Dernière synchronisation
people-never = jamais
people-add = Ajouter un pair
people-add-hint = Demandez-lui son ticket (`musette ticket` sur son appareil) et collez-le ici. Partages et réceptions se font à chaque synchronisation (`musette sync`).
people-ticket = Son ticket
people-add-button = Ajouter
people-bad-ticket = Ce n'est pas un ticket musette : demandez le texte qu'affiche `musette ticket`, en entier.
people-guilds = Guildes
people-no-members = Aucun membre pour l'instant.
people-member = Pair
people-member-add = Ajouter à la guilde
people-member-remove = Retirer de la guilde
people-new-guild = Nouvelle guilde
people-create = Créer
export-backup = Une sauvegarde chiffrée de toute la musette

nav-cosign = Cosignatures
cosign-title = Recommandations cosignées
cosign-incoming = Ce qu'on vous demande
cosign-outgoing = Ce que vous avez demandé
cosign-none-incoming = Personne ne vous a demandé de cosigner quoi que ce soit.
cosign-none-outgoing = Vous n'avez encore rien demandé à cosigner (`musette recommend request`).
cosign-sign = La cosigner
cosign-sign-hint = Ne signez que ce dont vous pouvez répondre : votre signature dit que vous soutenez ces mots. Elle part à votre prochaine synchronisation.
cosign-state-pending = vous attend
cosign-state-signed = signée, part à la prochaine synchronisation
cosign-state-answered = signée et envoyée
cosign-state-queued = part à la prochaine synchronisation
cosign-state-sent = envoyée, en attente de réponse
cosign-state-refused = la réponse ne tient pas
record-saved = Enregistré.

## Appareils
nav-devices = Appareils
devices-title = Vos appareils
devices-list = Les appareils qui portent ce coffre
devices-id = Identifiant
devices-state = État
devices-this = Cet appareil
devices-removed = Retiré : il ne reçoit plus rien
devices-no-address = Laissé de côté : sans relais, cet appareil ne lui connaît aucune adresse (il s'est toujours connecté à celui-ci). Il se synchronise quand vous lancez la synchronisation sur lui.
devices-waiting-keys = N'a pas encore pris les nouvelles clés du coffre : sur cet appareil, appuyez sur « Synchroniser avec chaque appareil et chaque pair » dans sa page Appareils (ou lancez `musette sync`)
devices-sync = Synchroniser maintenant
devices-sync-hint = Met vos autres appareils à jour et échange ce que vous partagez avec vos pairs. Tant que cette application est ouverte et déverrouillée, eux aussi peuvent la joindre, comme ils joignent `musette serve`.
devices-sync-button = Synchroniser avec chaque appareil et chaque pair
devices-syncing = Synchronisation…
devices-sent = Envoyé
devices-received = Reçu
devices-synced = Synchronisé
devices-nobody = Ce coffre n'a encore aucun appareil ni aucun pair avec qui se synchroniser : ajoutez un appareil ci-dessous, ou un pair sur la page Personnes.
devices-busy = Une synchronisation ou un ajout est déjà en cours : attendez qu'il se termine.
devices-new-keys = Cet appareil a fait de nouvelles clés pour le coffre (il en a retiré un autre, ou changé les clés) et les propose à celui-ci : voyez « Nouvelles clés proposées » plus haut.
devices-timeout = Il n'a pas répondu en 90 secondes.
devices-other = L'autre appareil
devices-add = Ajouter un appareil
devices-add-hint = Votre téléphone, un deuxième ordinateur : créez une invitation ici, puis utilisez-la sur le nouvel appareil. Elle sert une fois, pendant dix minutes.
devices-invite-button = Créer une invitation
devices-invite-scan = Sur le nouvel ordinateur, ouvrez musette (`musette ui`) et collez le texte ci-dessous sous « Rejoindre mon coffre » ; ou scannez-y ce code.
devices-invite-until = Valable jusqu'au
devices-invite-text = L'invitation (elle contient un secret : ne la donnez à personne)
devices-invite-command = Ou, dans un terminal sur celui-ci, lancez ceci et collez l'invitation quand elle est demandée :
devices-invite-cancel = Annuler l'invitation
devices-invite-check = Voir si l'appareil a rejoint le coffre
devices-invite-waiting = En attente du nouvel appareil…
devices-invite-refused = { $n ->
    [1] Un appareil avec une mauvaise invitation a été refusé.
   *[other] { $n } appareils avec une mauvaise invitation ont été refusés.
}
devices-invite-expired = L'invitation a expiré : aucun appareil ne l'a utilisée en dix minutes. Créez-en une autre.
devices-invite-cancelled = L'invitation a été annulée.
devices-invite-withdrawn = Trois mauvaises invitations ont été essayées : celle-ci est retirée. Créez-en une autre.
devices-joined = { $name } a rejoint ce coffre, mais n'a pas encore copié les fiches : synchronisez-le depuis cet appareil.
devices-joined-synced = { $name } a rejoint ce coffre et en a copié les fiches.
error-csrf = Le jeton de sécurité de ce formulaire manque ou a expiré : rechargez la page et recommencez.
error-no-page = Il n'y a pas de page à cette adresse.
error-link-used = Ce lien a déjà servi, ou n'est pas celui qu'a affiché `musette ui` : relancez `musette ui` pour en avoir un nouveau.
error-in-field = { $field } : { $why }
error-no-original = la fiche { $id } ne contient pas d'attestation d'origine
error-unknown-action = action inconnue { $action }
error-keep-only-vc = seule une attestation ou une présentation peut être gardée
error-import-unknown = musette n'a pas reconnu ce fichier ({ $why }) : il importe un JSON Resume, un export LinkedIn (ZIP), des vCards et des badges (JSON, PNG, SVG)
error-import-refused = fichier refusé : { $why }
error-form-unreadable = le formulaire n'a pas pu être lu : { $why }
error-recipient = le nom du destinataire compte de 1 à 200 caractères, sans caractère de contrôle ni caractère invisible (comme un changement de sens d'écriture)
error-too-large = Ce fichier dépasse ce que cette page accepte : { $mib } Mio au plus
error-request-too-large = la requête dépasse ce que cette adresse accepte : envoyez un fichier plus petit
error-credential-too-large = une attestation fait au plus { $mib } Mio
error-suite = la suite est eddsa-rdfc-2022 ou eddsa-jcs-2022
error-field-too-long = un champ de ce formulaire est bien trop long
error-upload-incomplete = l'envoi s'est interrompu, s'est bloqué ou est arrivé trop lentement (moins de 1 Mio par seconde) avant que le fichier soit complet : rien n'a été joint ; envoyez-le à nouveau
error-upload-too-large = le fichier dépasse ce que cette application accepte ({ $mib } Mio) : joignez-le avec `musette attach`
error-busy = le coffre est occupé par un transfert (un envoi, un téléchargement, une importation ou une sauvegarde) : réessayez quand il sera fini
error-wrong-host = ce serveur ne répond qu'à 127.0.0.1:{ $port } (l'adresse qu'a affichée `musette ui`), pas à { $host }
error-foreign-origin = Une requête venue d'un autre site ({ $origin }) est refusée
error-open-with-link = ouvrez l'application avec le lien qu'a affiché `musette ui` (il ne sert qu'une fois, dans un seul navigateur) ; relancez `musette ui` pour en avoir un nouveau
error-import-forged = la preuve du badge n'est pas valide ({ $why }) : rien n'a été importé
verify-keep-failed = Celle-ci n'a pas été vérifiée : si vous la gardez, elle est gardée marquée comme non vérifiée, comme trace de ce qu'on vous a remis, jamais comme une attestation à vous.
error-not-a-choice = { $field } doit valoir { $allowed }, pas { $value }
error-not-an-id = « { $input } » n'est pas un identifiant de fiche : ils s'écrivent en lettres et en chiffres de 2 à 7
error-short-id = L'identifiant « { $input } » est trop court : donnez-en au moins 6 caractères
error-already-exists = Il y a déjà un coffre dans { $path } : utilisez-le, ou choisissez un autre dossier
error-not-a-vault = { $path } n'est pas un coffre musette ({ $reason })
error-too-new = Ce coffre a été écrit par une version plus récente de musette (format { $found }, celle-ci lit jusqu'au { $supported }) : mettez musette à jour
error-wrong-recovery-key = Clé de secours incorrecte : comparez-la à celle que vous avez notée à la création du coffre ou au dernier changement de clés (tirets et espaces ne comptent pas)
error-invalid-session = La session n'est pas valable pour ce coffre (verrouillée, ou d'un autre coffre) : déverrouillez-le à nouveau
error-session-expired = La session a expiré : déverrouillez à nouveau
error-no-such-attachment = La fiche { $record } n'a pas de pièce jointe « { $name } »
cli-value-required = il faut une valeur après { $arg }
cli-possible-values = valeurs possibles : { $values }
join-title = Ou rejoindre un coffre que vous avez déjà
join-intro = Votre sac à dos est déjà sur un autre ordinateur ? Sur celui-là, ouvrez Appareils et créez une invitation ; collez-la ici. Cet appareil a sa propre phrase secrète et sa propre clé de secours, et les fiches sont recopiées.
join-invitation = L'invitation (elle commence par musettejoin1)
join-passphrase = Une phrase secrète pour cet appareil
join-hint = Au moins 8 caractères. Elle ouvre le coffre sur cet appareil seulement ; vos autres appareils gardent la leur.
join-button = Rejoindre mon coffre
field-profiles = Profils
field-interests = Centres d'intérêt
field-source = Provenance
field-publisher = Éditeur
field-summary = Résumé
field-website = Site web
field-highlights = Points forts
field-courses = Cours
field-area = Domaine d'études
field-studyType = Diplôme
field-score = Note
field-awarder = Décerné par
field-endorsements = Recommandations LinkedIn
field-fluency = Niveau
record-original-kept = gardée telle qu'émise ({ $size }) : téléchargez-la ci-dessous
record-original-download = Télécharger l'attestation d'origine
cli-edit-nothing = rien à changer : donnez --set, --unset, --from-json, --tag ou --untag
cli-not-confirmed-changed = pas de confirmation : rien n'a été changé
cli-updated = Fiche { $id } mise à jour
cli-no-change = Rien de changé dans { $id }
cli-removed = Fiche { $id } retirée (remettez-la avec `musette rm --undo { $id }`)
cli-already-removed = { $id } était déjà retirée
cli-restored = Fiche { $id } remise
cli-not-removed = { $id } n'était pas retirée
cli-forget-confirm = forget détruit { $id } pour de bon, sans retour possible : confirmez avec --yes
cli-forget-ask = Détruire { $what } et ses pièces jointes pour de bon ? C'est sans retour. [o/N]
cli-not-confirmed-destroyed = pas de confirmation : rien n'a été détruit
cli-forgot = Fiche { $id } oubliée : son contenu et sa clé sont détruits
cli-edit-anyway = La modifier quand même ? [o/N]
cli-no-file-name = { $path } n'a pas de nom de fichier : donnez-en un avec --name
cli-cannot-open = impossible d'ouvrir { $path } : { $why }
cli-attach-folder = { $path } est un dossier : joignez les fichiers un par un
cli-attached = { $name } ({ $size }) joint à { $id }
cli-detached = { $name } retiré de { $id }
cli-wrote = { $name } ({ $size }) écrit dans { $path }
cli-set-no-equals = --set { $arg } n'a pas de « = » : écrivez --set CHAMP=VALEUR, p. ex. --set title="Soudeuse"
cli-cannot-read = impossible de lire { $path } : { $why }
cli-extra-field = musette : note : { $name } n'est pas un champ habituel de ce type ({ $kind }) ; il est gardé comme champ en plus (champs habituels : { $standard })
cli-locked-no-terminal = le coffre est verrouillé et il n'y a pas de terminal pour demander la phrase secrète : passez --passphrase-file FICHIER ou --passphrase-env VARIABLE, ou ouvrez une session avec `musette unlock`
cli-ask-passphrase = Phrase secrète de { $path } :
cli-ask-new-passphrase = Nouvelle phrase secrète :
cli-ask-repeat-passphrase = Répétez la nouvelle phrase secrète :
cli-passphrases-differ = les deux phrases secrètes diffèrent : rien n'a été changé ; recommencez
cli-ask-recovery-key = Clé de secours :
cli-env-not-set = --passphrase-env nomme la variable { $var }, qui n'est pas définie : exportez-la, ou utilisez --passphrase-file
cli-created = Coffre créé dans { $path }
cli-identity = Votre identité (donnée à ceux qui vérifient ce que vous envoyez) : { $did }
cli-recovery-shown-once = Clé de secours (affichée seulement maintenant ; notez-la et gardez-la hors ligne) :
cli-recovery-use = Avec elle, `musette recover` choisit une nouvelle phrase secrète si vous oubliez la vôtre.
cli-unlock-right = La phrase secrète est la bonne. Pour ouvrir une session dans ce terminal, lancez :
cli-unlock-token = Le jeton va droit dans { $var } : jamais affiché, jamais tapé, il reste
    hors de votre écran et de l'historique du terminal. Fermez la session avec `musette lock`.
cli-locked = Verrouillé : { $n ->
        [0] aucune session fermée
        [1] une session fermée
       *[other] { $n } sessions fermées
    }. Vous pouvez faire `unset { $var }`.
cli-lock-no-session = { $var } n'est pas définie : il n'y a pas de session en cours à fermer ; `musette lock --all` les ferme toutes
cli-nothing-due = Rien à échéance dans les { $n } prochains jours, rien en retard.
cli-due-soon = { $soon } à échéance dans la semaine : voir `musette due`
cli-due-overdue = { $overdue } en retard : voir `musette due`
cli-due-both = { $overdue } en retard, { $soon } à échéance dans la semaine : voir `musette due`
cli-no-match = musette : aucune fiche ne correspond
cli-import-format-alone = donnez le fichier à importer après son format : musette import { $format } FICHIER
cli-import-one-file = import prend un fichier à la fois : lancez musette import { $first }, puis musette import { $second }
cli-import-usage = donnez un fichier à importer, éventuellement après son format : musette import badge FICHIER
cli-import-unknown-format = format d'import inconnu { $format } : les formats sont { $formats }
cli-import-folder = { $path } est un dossier : seul un export LinkedIn (`import linkedin`) se lit dans un dossier
cli-cannot-import = impossible d'importer { $path } : { $why }
cli-import-not-zip = un export LinkedIn est le ZIP qu'envoie LinkedIn (ou son dossier décompressé), et ceci n'est pas un ZIP
cli-not-json = ce n'est pas du JSON ({ $why })
cli-import-dry-run-one = --dry-run va avec les imports de nombreuses fiches (json-resume, linkedin, vcard) : un badge ou une attestation n'en fait qu'une, que montre `musette verify`
cli-badge-held = ce badge est déjà dans votre coffre ({ $id }) : rien n'a été importé
cli-imported-badge = Badge { $name } importé : { $status }
cli-badge-invalid = la preuve du badge ne tient pas ({ $why }) : rien n'a été importé ; --allow-invalid le garde quand même
cli-reading = Lecture de { $files }
cli-skipped = musette : ignoré : { $what }
cli-note = musette : note : { $what }
cli-would-import = Importerait : nouvelles, { $new } ; mises à jour, { $updated } ; inchangées, { $unchanged }
cli-would-import-skipped = Importerait : nouvelles, { $new } ; mises à jour, { $updated } ; inchangées, { $unchanged } ; ignorées, { $skipped }
cli-imported-contacts = Contacts importés : nouveaux, { $new } ; mis à jour, { $updated } ; inchangés, { $unchanged }
cli-imported-contacts-skipped = Contacts importés : nouveaux, { $new } ; mis à jour, { $updated } ; inchangés, { $unchanged } ; ignorés, { $skipped }
cli-imported-records = Fiches importées : nouvelles, { $new } ; mises à jour, { $updated } ; inchangées, { $unchanged }
cli-imported-records-skipped = Fiches importées : nouvelles, { $new } ; mises à jour, { $updated } ; inchangées, { $unchanged } ; ignorées, { $skipped }
cli-no-data-dir = impossible de trouver votre dossier de données : choisissez un dossier de coffre avec --vault DOSSIER ou MUSETTE_VAULT
cli-warning = musette : attention : { $what }
cli-wrote-contacts = { $n } { $n ->
        [one] contact écrit
       *[other] contacts écrits
    } dans { $path }
verify-expired-on = Elle a expiré le { $date }.
verify-valid-from = Elle n'est valable qu'à partir du { $date }.
verify-status-online = Son statut (si elle a été révoquée) est publié à { $url }, ce qui demande le réseau : vérifiez-le là.
verify-reason-mismatch = la signature ne correspond pas au document : il a été modifié après avoir été signé.
field-validFrom = Valable à partir du
field-validUntil = Valable jusqu'au
field-narrative = Critères
field-achievementType = Type de réussite
field-alignment = Alignement
field-image = Image
field-id = Identifiant
cli-shared = { $id } partagée avec { $to } : { $fields } (envoyé à la prochaine synchronisation).
cli-share-updated = Partage de { $id } avec { $to } mis à jour : { $fields } (envoyé à la prochaine synchronisation).
cli-share-unchanged = { $id } est déjà partagée avec { $to }, avec ces champs tels qu'ils sont : { $fields } (rien de nouveau à envoyer).
cli-nothing-shared = Rien n'est partagé : partagez une fiche avec `musette share ID --with PAIR`.
cli-unshared = Partage de { $id } avec { $to } arrêté : la prochaine synchronisation le fait savoir, et plus aucune mise à jour ne part (ce qui a déjà été reçu reste chez le destinataire, marqué révoqué).
cli-nothing-received = Rien n'a encore été partagé avec ce coffre : ce que partagent vos pairs arrive avec `musette sync`, les attestations reçues en fichiers avec `musette import FICHIER`.
cli-peer-added = Pair { $name } ajouté ({ $did }). Partagez avec lui : musette share ID --with { $word }
cli-peer-updated = Adresse du pair { $name } mise à jour.
cli-no-peers = Aucun pair pour l'instant : ajoutez-en un avec `musette peer add NOM TICKET`.
cli-peer-removed = Pair { $name } retiré : ses connexions sont refusées désormais.
cli-peer-removed-leaving = Pair { $name } retiré : ce qu'il détient de vous est révoqué, et il l'apprend à sa prochaine synchronisation avec cet appareil (rien d'autre ne lui parvient) ; ensuite, ses connexions sont refusées.
cli-peer-leaving = (retiré : il apprendra à sa prochaine synchronisation que ce qu'il détient est révoqué)
cli-guild-created = Guilde { $name } créée : ajoutez-y des pairs avec `musette guild add { $name } PAIR`.
cli-guild-deleted = Guilde { $name } supprimée : ses partages sont révoqués pour ses membres à leur prochaine synchronisation.
cli-guild-joined = { $peer } est dans la guilde { $guild } : il reçoit les partages de la guilde à sa prochaine synchronisation.
cli-guild-already = { $peer } était déjà dans la guilde { $guild }.
cli-guild-left = { $peer } a quitté la guilde { $guild } : les partages de la guilde lui sont révoqués à sa prochaine synchronisation.
cli-guild-not-member = { $peer } n'est pas dans la guilde { $guild } : voyez ses membres avec `musette guild list`
cli-no-guilds = Aucune guilde pour l'instant : créez-en une avec `musette guild create NOM`.
cli-guild-no-members = (aucun membre : ajoutez-en un avec `musette guild add { $name } PAIR`)
cli-serving = { $path } est servi (arrêt avec Ctrl-C). Vos autres appareils se synchronisent avec le ticket ci-dessous, et vos pairs l'ajoutent avec `musette peer add NOM TICKET` :
cli-served-peer = musette : échange avec le pair { $name } : envoyé { $sent } ; reçu { $received }
cli-served-peer-failed = musette : échange d'un pair refusé ou échoué : { $why }
cli-served-device = musette : synchronisé avec { $name } : fiches envoyées, { $sent } ; reçues, { $received }
cli-served-device-failed = musette : synchronisation refusée ou échouée : { $why }
cli-sync-no-address = musette : { $name } est laissé de côté : sans relais, cet appareil ne lui connaît aucune adresse (il s'est toujours connecté à celui-ci) ; il se synchronise quand vous lancez `musette sync` sur lui ; pour l'atteindre d'ici, lancez `musette serve` sur lui puis `musette sync --with` avec le ticket qu'il affiche
cli-waiting-keys = musette : { $name } n'a pas encore pris les nouvelles clés : lancez `musette sync` sur cet appareil
cli-sync-nobody = ce coffre n'a encore aucun appareil ni pair avec qui se synchroniser : donnez-en un avec --with TICKET (le ticket qu'affiche `musette serve` sur celui-ci), ou ajoutez un pair avec `musette peer add NOM TICKET`
cli-synced-device = Synchronisé avec { $name } : { $sent } fiche(s) envoyée(s), { $received } reçue(s), { $forgotten } oubliée(s) ({ $out } octets envoyés, { $in } reçus, { $ms } ms).
cli-synced-peer = Synchronisé avec le pair { $name } : envoyé { $sent } ; reçu { $received } ({ $out } octets envoyés, { $in } reçus, { $ms } ms).
cli-peer-counts = { $shares } partage(s), { $revocations } révocation(s), { $requests } demande(s) de cosignature, { $cosigned } cosigné(s)
cli-sync-some-failed = { $failed } appareil(s) et pair(s) sur { $all } n'ont pas pu être synchronisés : voir ci-dessus
cli-backup-inside = { $path } est dans le dossier du coffre : écrivez la sauvegarde ailleurs (idéalement sur un autre disque)
cli-backup-folder = { $path } est un dossier : donnez un nom de fichier à la sauvegarde
cli-backed-up = Coffre sauvegardé ({ $size }) dans { $path } : la sauvegarde ne s'ouvre qu'avec la phrase secrète ou la clé de secours de ce coffre (`musette restore`)
cli-restore-wrong-passphrase = phrase de passe incorrecte : donnez celle qu'avait le coffre quand la sauvegarde a été faite, ou restaurez avec sa clé de récupération (`musette restore --recovery SAUVEGARDE`)
cli-restore-not-empty = { $path } n'est pas vide : restore n'écrase jamais un coffre ; donnez un nouveau dossier avec --vault DOSSIER
cli-restored-vault = Coffre restauré dans { $path }. C'est le coffre du même appareil : utilisez-le à la place de celui perdu, pas à côté (pour un autre appareil, utilisez `musette device invite`).
cli-passphrase-changed = Phrase secrète changée. Toutes les sessions ont été fermées : relancez `musette unlock` si vous en utilisez une.
cli-doctor-checked = Vérifié : fiches, { $records } ; pièces jointes, { $attachments } ({ $bytes } octets).
cli-doctor-ok = Aucun problème.
cli-compacted = { $path } compacté : { $before } Kio avant, { $after } Kio après.
cli-device-self = c'est cet appareil : retirez-le depuis un autre de vos appareils
cli-device-removed = { $name } ({ $id }) retiré : il est refusé désormais et ne reçoit plus rien.
cli-device-no-other = Aucun autre de vos appareils n'est connu ici.
cli-device-others-take-keys = Vos autres appareils ({ $names }) prennent les nouvelles clés à leur prochain `musette sync` avec celui-ci : lancez-le sur chacun, avec sa phrase secrète.
cli-invite-refused = musette : un appareil avec une mauvaise invitation a été refusé
cli-device-joined = { $name } a rejoint ce coffre.
cli-device-copied = { $n } fiche(s) copiée(s) depuis votre autre appareil.
cli-invite-run = Sur le nouvel appareil, lancez `musette device join --vault DOSSIER` et collez cette invitation quand elle est demandée (elle sert une fois, pendant { $time }) :
cli-invite-withdrawn = trois mauvaises invitations ont été essayées : celle-ci est retirée ; créez-en une autre
cli-invite-expired = aucun appareil n'a rejoint le coffre en { $time } : relancez `musette device invite`
cli-device-joined-not-copied = { $name } a reçu les clés de ce coffre mais n'a pas encore copié les fiches : lancez `musette serve` ici et `musette sync --with TICKET` là-bas.
cli-not-a-badge = { $id } n'est pas un badge (c'est une fiche { $kind })
cli-badge-no-credential = le badge { $id } n'a pas d'attestation à exporter (il a été saisi à la main)
cli-wrote-badge = Badge { $id } écrit dans { $path }
cli-wrote-dates = { $n } date(s) écrite(s) dans { $path }
cli-not-in-resume = { $id } est une fiche { $kind } : un CV contient des expériences, compétences, badges, preuves (publications) et recommandations
cli-resume-no-tag = musette : note : aucune fiche ne porte { $n ->
        [one] l'étiquette
       *[other] les étiquettes
    } { $tags } (voir `musette list --tag …`) : le CV ne contient que votre profil
cli-wrote-resume = CV écrit ({ $n } { $n ->
        [one] fiche
       *[other] fiches
    }) dans { $path }
cli-wrote-resume-profile = CV écrit (votre profil et { $n } { $n ->
        [one] fiche
       *[other] fiches
    }) dans { $path }
cli-resume-no-profile = musette : note : vous n'avez pas de profil, le CV n'a donc pas d'identité (nom, coordonnées) : donnez-la avec `musette profile --set name=…`
cli-export-not-empty = { $path } existe et n'est pas un dossier vide : donnez un nouveau dossier où exporter
cli-exported-all = { $n } { $n ->
        [one] fiche exportée
       *[other] fiches exportées
    } ({ $size } de pièces jointes) dans { $path } : voir son README.md
cli-ui-port = impossible d'écouter sur 127.0.0.1:{ $port } : { $why } ; choisissez un autre port avec --port, ou laissez-le de côté pour un port libre
cli-ui-served = musette est servi à http://127.0.0.1:{ $port }/ (cette machine seulement). Le lien ci-dessus l'ouvre une fois, dans un navigateur ; arrêt avec Ctrl-C.
cli-ui-no-browser = musette : note : aucun navigateur n'a pu être ouvert : ouvrez vous-même le lien ci-dessus
cli-profile-created = Votre profil est créé ({ $id })
cli-profile-updated = Votre profil est mis à jour ({ $id })
cli-profile-unchanged = Rien de changé dans votre profil ({ $id })
cli-no-profile = Pas encore de profil : donnez le vôtre avec `musette profile --set name="…" --set label="…"`, ou importez un CV (`musette import cv.json`).
cli-wrote-presentation = Présentation signée écrite dans { $path }
cli-wrote-credential = Attestation signée écrite dans { $path }
cli-sign-ask = La signer avec votre clé ? [o/N]
cli-not-confirmed-signed = pas de confirmation : rien n'a été signé
cli-signed-queued = Signée : elle retourne à son auteur à votre prochain `musette sync` avec lui.
cli-request-queued = En attente pour { $name } : la demande part à la prochaine `musette sync` avec lui, et sa signature revient de la même façon.
cli-write-inside-vault = { $path } est dans le dossier du coffre : écrivez ailleurs
cli-write-folder = impossible d'écrire { $path } : c'est un dossier ; donnez un nom de fichier (par exemple { $example })
cli-cannot-write-in = impossible d'écrire { $path } dans { $dir } : { $why }
cli-cannot-write = impossible d'écrire { $path } : { $why }
cli-file-too-large = { $path } dépasse { $mib } Mio : musette ne lit pas un fichier aussi gros d'un bloc (un export LinkedIn peut être décompressé et son dossier importé)
cli-json-other-kind = le JSON contient une fiche { $held }, mais { $id } est une fiche { $kind }
cli-edit-add-yes = Ajoutez --yes pour la modifier quand même
cli-profile-not-contact = { $path } contient une fiche { $held } : un profil est un contact
cli-profile-did = le did du profil est celui de votre coffre (`musette id`) : il ne se change ni ne se retire
cli-profile-name = un profil a besoin d'un nom : changez-le avec --set name=…, il ne se retire pas
cli-profile-new-name = vous n'avez pas encore de profil, et un profil a besoin d'un nom : ajoutez --set name="…"
cli-json-not-kind = { $path } contient une fiche { $held }, pas { $kind }
cli-cannot-read-stdin = impossible de lire du JSON sur l'entrée standard : { $why }
cli-bad-json = { $path } n'est pas du JSON valide ({ $why }) : donnez un objet de champs, p. ex. {"{"}"title": "…"{"}"}
cli-json-not-object = { $path } doit contenir un objet JSON de champs
cli-bad-today = MUSETTE_TODAY={ $value } n'est pas une date : écrivez-la AAAA-MM-JJ
cli-list-damaged = { $n } fiche(s) illisible(s) ; les autres sont listées
cli-cannot-write-dir = impossible d'écrire dans { $dir } : { $why }
cli-not-a-backup = { $path } n'est pas une sauvegarde musette entière : { $why } ; rien n'a été restauré
cli-folder-missing = ce dossier n'existe pas
cli-folder-read-only = on ne peut pas écrire dans ce dossier
devices-unreachable = Il n'a pas répondu : vérifiez que musette tourne là-bas (cette application, ouverte et déverrouillée, ou `musette serve`) et que les deux ordinateurs sont en ligne.
join-not-an-invitation = Ce n'est pas une invitation ({ $why }) : sur votre autre ordinateur, ouvrez Appareils, créez une invitation et collez ici tout son texte.
join-refused = L'autre ordinateur a refusé cette invitation : elle a déjà servi, a été annulée ou est mal recopiée. Créez-en une autre là-bas (Appareils) et collez-la ici.
join-unreachable = L'autre ordinateur n'a pas répondu : l'invitation a peut-être expiré ou été annulée, ou musette n'y est pas ouvert. Créez-y une nouvelle invitation (Appareils) et collez-la ici.
join-locked-meanwhile = L'application a été verrouillée pendant l'ajout : cet ordinateur porte maintenant votre coffre, verrouillé. Déverrouillez-le avec la phrase secrète que vous venez de choisir ; sa clé de secours n'a pas été affichée, créez-en une nouvelle avec `musette rekey`.
recovery-joined = Cet ordinateur porte maintenant votre coffre, et les fiches ont été recopiées. Voici la clé de secours propre à cet ordinateur : celle de votre autre ordinateur ouvre toujours celui-là, et celle-ci n'ouvre que la copie de cet ordinateur.
join-busy = Ajout en cours : copie de vos fiches…
cli-ask-invitation = Invitation (collez-la ; elle n'est pas affichée) :
cli-no-invitation = aucune invitation donnée : collez, quand elle est demandée, le texte qu'affiche `musette device invite` (ou la page Appareils de l'application), ou envoyez-le sur l'entrée standard
cli-due-waiting = vous attend
cli-due-was = en retard de { $n } { $n ->
        [one] jour
       *[other] jours
    }
cli-due-expired = expiré depuis { $n } { $n ->
        [one] jour
       *[other] jours
    }
cli-due-today = à échéance aujourd'hui
cli-due-expires-today = expire aujourd'hui
cli-due-in = à échéance dans { $n } { $n ->
        [one] jour
       *[other] jours
    }
cli-due-expires-in = expire dans { $n } { $n ->
        [one] jour
       *[other] jours
    }
records-tag-hint = Séparées par des virgules : une fiche doit toutes les porter.
import-unknown-file = musette n'a pas reconnu ce fichier : il importe un CV JSON Resume, un export LinkedIn (son ZIP), des vCards (.vcf) et des badges (JSON, PNG ou SVG).
import-badge-invalid = La signature de ce badge ne tient pas ({ $why }) : rien n'a été importé.
import-not-badge = Ce JSON n'est pas un Open Badge.
import-no-vcard = Ce fichier ne contient aucune vCard.
import-badge-verified = Sa signature tient : vérifié.
import-badge-status = Sa signature : { $status }
cli-verify-none = ni fichier ni élément reçu { $id } : donnez le chemin d'un fichier, ou un identifiant que liste `musette received`
cli-verify-held-by = détenue par { $who }
cli-verify-issued-by = émise par { $who }
cli-verify-self = déclarative : signée par la personne qu'elle concerne, { $who }
cli-verify-attested = attestée par { $by }
cli-verify-attested-about = attestée par { $by } au sujet de { $about }
cli-verify-no-proof = ÉCHEC : elle ne porte aucune preuve
cli-verify-jwk = la clé de son propre en-tête (qui montre qu'elle n'est pas altérée, pas qui l'a faite)
cli-verify-no-date = sans date
cli-verify-proof-ok = ok      signée par { $signer } le { $when }
cli-verify-proof-failed = ÉCHEC   preuve signée par { $signer } : { $why }
cli-verify-proof-unchecked = invérifiable  preuve signée par { $signer } : { $why }
cli-verify-no-issuer = ÉCHEC   elle ne nomme aucun émetteur
cli-verify-not-by-holder = ÉCHEC   aucune preuve valide n'est de son détenteur
cli-verify-not-by-issuer = ÉCHEC   aucune preuve valide n'est de son émetteur
cli-verify-issuer-unchecked = invérifiable  aucune preuve de son émetteur n'a pu être vérifiée
cli-verify-not-now = PAS VALABLE AUJOURD'HUI  { $why }
cli-verify-unchecked = invérifiable  { $why }
cli-verify-signers = signataires
cli-verified = Vérifiée : chaque preuve tient.
cli-verify-verdict-not-now = Pas valable aujourd'hui : ses preuves tiennent, mais voir ci-dessus.
cli-verify-verdict-unchecked = Invérifiable hors ligne : rien ne montre qu'elle a été altérée, rien ne le confirme non plus.
cli-verify-verdict-failed = ÉCHEC : voir les preuves en échec ci-dessus
cli-verify-exit-failed = { $file } n'est pas vérifiée : voir les preuves en échec ci-dessus
cli-verify-exit-not-now = { $file } n'est pas valable aujourd'hui ({ $why }), bien que ses preuves tiennent
cli-see-above = voir ci-dessus
cli-verify-exit-unchecked = { $file } est invérifiable hors ligne : voir ci-dessus ; rien ne montre non plus qu'elle a été altérée
cli-signer-you = vous
cli-signer-owner = vous, titulaire de ce coffre
cli-signer-contact = votre contact
cli-signer-self-named = le nom qu'il se donne, pas un de vos contacts
cli-signer-n = signataire { $n }
cli-signer-unknown = un signataire inconnu
cli-show-removed = retirée : remettez-la avec `musette rm --undo`
cli-show-original = attestation d'origine gardée ; { $status }
cli-show-tags = étiquettes
cli-show-created = créée
cli-show-updated = modifiée
cli-show-signed = signée
cli-show-signed-void = signée (caduque : modifiée depuis)
cli-show-void = ces signatures portent sur un texte antérieur : `musette recommend request { $id }` et redemandez
cli-show-evidence = preuve
cli-show-recommended = recommandée
cli-show-attached = jointe
cli-history-this-device = cet appareil
cli-history-device = appareil { $id }
cli-sync-invitation = c'est une invitation pour un nouvel appareil : utilisez-la sur celui-ci avec `musette device join`
cli-sync-unknown-ticket = ce ticket n'est ni celui d'un de vos appareils ni celui d'un pair que vous connaissez : ajoutez-le d'abord avec `musette peer add NOM TICKET`
cli-sync-peer-address = l'adresse du pair { $name } est illisible : ajoutez à nouveau son ticket avec `musette peer add { $name } TICKET`
cli-sync-unknown = { $name } n'est ni un pair, ni un appareil avec qui celui-ci s'est synchronisé, ni un ticket : voir `musette peer list` et `musette device list`
cli-keys-how = prenez-les en relançant `musette sync` avec --accept-new-keys (ou dans un terminal), avec la phrase secrète de cet appareil
cli-keys-ask = Prendre les nouvelles clés (seulement si c'est vous qui avez retiré cet appareil) ? [o/N]
cli-keys-not-confirmed = pas de confirmation : les clés n'ont pas été changées
cli-peer-refused = { $name } a refusé ce coffre : { $why }
cli-peer-refused-add = { $name } a refusé ce coffre : { $why }. Demandez à qui le tient d'ajouter votre ticket (`musette ticket`) avec `musette peer add`
cli-peer-unreachable = impossible de joindre { $name } : { $why }. Vérifiez qu'il fait tourner `musette serve`, ou ajoutez son nouveau ticket avec `musette peer add { $name } TICKET`
cli-peer-sync-failed = la synchronisation avec { $name } a échoué : { $why }
error-wrong-type = { $field } doit être { $want }, pas { $value }
error-want-text = du texte
error-want-json = du texte JSON
error-want-date = une date
error-want-list = une liste de textes
error-want-id = un identifiant de fiche
error-attachment-exists = La fiche { $record } a déjà une pièce jointe « { $name } » : retirez-la d'abord, ou choisissez un autre nom
cli-record-held = cette fiche ({ $kind }) est déjà dans votre coffre ({ $id }) : rien n'a été importé
cli-restored-record = Votre fiche { $kind } est importée depuis son attestation (ses preuves tiennent).
cli-unnamed-issuer = un émetteur sans nom
cli-kept-received = { $kind } { $title } reçue de la part de { $from }, gardée telle quelle ({ $outcome }) : voir `musette received`, et `musette verify { $id }` pour ses preuves
devices-served-elsewhere = Un autre musette répond déjà pour ce coffre sur cet ordinateur (`musette serve`, ou cette application dans une autre fenêtre) : créez l'invitation là-bas, ou arrêtez-le d'abord.
devices-keys-while-served = `musette serve` ou `musette device invite` tourne sur ce coffre dans un autre processus et continuerait avec les anciennes clés : arrêtez-le, recommencez, puis redémarrez-le.
cli-import-pdf = un PDF ne s'importe pas en fiches : gardez-le joint à l'une d'elles (`musette attach ID FICHIER`)
cli-import-linkedin-part = { $name } n'est qu'un fichier d'un export LinkedIn : importez l'export entier, son ZIP ou le dossier qu'il donne une fois décompressé
cli-import-bad-json = ce n'est pas du JSON valide ({ $why }) : un CV, un badge ou une attestation est un seul document JSON entier
cli-import-unknown = musette n'a pas reconnu ce fichier : il importe un CV JSON Resume, un export LinkedIn (son ZIP ou son dossier), des vCards (.vcf), des badges (JSON, PNG ou SVG) et des attestations qu'on vous a remises ; nommez le format pour savoir ce qui ne va pas (`musette import json-resume FICHIER`)
cli-badge-verified = vérifié
cli-badge-unsigned = non signé
cli-badge-unchecked = invérifiable : { $why }
error-invalid-tag = « { $tag } » n'est pas une étiquette : une étiquette fait de 1 à 64 caractères de texte, sans caractère de contrôle ni de sens d'écriture
error-invalid-field-name = « { $name } » n'est pas un nom de champ : utilisez des minuscules sans accent, des chiffres, « _ » ou « - », en commençant par une lettre
error-invalid-attachment-name = « { $name } » ne peut pas nommer une pièce jointe : utilisez un simple nom de fichier (sans « / » ni « \ », sans caractère de contrôle ou invisible comme une marque de droite à gauche, sans espace au début ni à la fin, { $max } octets au plus)
error-no-such-field = Cette fiche ({ $kind }) n'a pas de champ « { $field } » : ses champs sont { $fields }
error-no-term = Le champ « { $field } » de cette fiche ({ $kind }) n'a pas de terme dans une attestation (ni VC 2.0 ni Open Badges 3.0 n'en définit un qui le porte) : laissez-le de côté
error-cosigned-whole = Cette recommandation est cosignée : elle ne peut être émise qu'entière, avec tous ses champs
join-why-prefix = elle ne commence pas par musettejoin1
join-why-mistyped = elle est coupée ou mal recopiée
devices-actions = Actions
devices-remove-link = Retirer…
devices-remove-title = Retirer un appareil
devices-remove-what = Retirez un appareil perdu, vendu, ou auquel vous ne faites plus confiance. Il ne reçoit plus rien de ce coffre : sa prochaine synchronisation est refusée. Votre coffre reçoit une nouvelle clé maîtresse et une nouvelle clé de secours (affichée ensuite : notez-la, l'ancienne ne sert plus) ; vos autres appareils prennent les nouvelles clés à leur prochaine synchronisation avec celui-ci. Ce que l'appareil retiré détient déjà lui reste.
devices-remove-passphrase = Votre phrase secrète (les clés changent)
devices-remove-button = Retirer cet appareil
devices-remove-busy = Changement des clés…
devices-remove-cancel = Le garder
devices-remove-self = C'est l'appareil que vous utilisez : retirez-le depuis un autre de vos appareils.
devices-remove-unknown = Il n'y a pas d'appareil à retirer avec cet identifiant : il a déjà été retiré, ou ce coffre ne s'est jamais synchronisé avec lui.
recovery-rekeyed = L'appareil a été retiré et votre coffre a de nouvelles clés. Voici sa nouvelle clé de secours : l'ancienne ne l'ouvre plus.
devices-remove-wrong = Phrase secrète incorrecte : rien n'a changé. Tapez la phrase secrète qui ouvre ce coffre sur cet ordinateur.
devices-keys-title = Nouvelles clés proposées
devices-keys-offer = { $from } a retiré { $removed } de votre coffre et propose à cet ordinateur les nouvelles clés du coffre.
devices-keys-offer-rekey = { $from } a fait de nouvelles clés pour votre coffre et les propose à cet ordinateur.
devices-keys-what = Ne les prenez que si vous les avez faites vous-même, sur cet ordinateur-là (en retirant un appareil, ou avec `musette rekey`) : un appareil retiré pourrait proposer des clés de sa fabrication. Cet ordinateur reçoit alors une nouvelle clé de secours (affichée ensuite : notez-la) ; sa phrase secrète ne change pas. Appuyez ensuite de nouveau sur « Synchroniser avec chaque appareil et chaque pair ».
devices-keys-confirm = J'ai retiré cet appareil moi-même
devices-keys-button = Prendre les nouvelles clés
devices-keys-none = Aucun appareil ne propose de nouvelles clés pour l'instant : appuyez sur « Synchroniser avec chaque appareil et chaque pair » pour avoir des nouvelles de vos appareils.
devices-keys-confirm-needed = Cochez la case pour dire que vous avez retiré cet appareil vous-même, ou laissez ces clés de côté.
recovery-adopted = Cet ordinateur a pris les nouvelles clés du coffre. Voici sa nouvelle clé de secours : l'ancienne ne l'ouvre plus.
devices-sync-refused = Il a refusé de se synchroniser avec cet ordinateur : si cet ordinateur a été retiré de votre coffre là-bas, il n'en reçoit plus rien ; sinon, vérifiez que les deux portent le même coffre.
error-cosign-not-recommendation = { $id } est une fiche { $kind }, pas une recommandation : seules les recommandations se cosignent
error-cosign-changed = La recommandation { $id } a changé après sa signature : redemandez les cosignatures pour signer le nouveau texte (`musette recommend request { $id }`)
error-cosign-edited = La recommandation { $id } a été modifiée après l'envoi de la demande de cosignature, cette signature ne couvre donc pas son texte : redemandez-la (`musette recommend request { $id }`) ; rien n'a été enregistré
error-cosign-not-endorsement = Ce fichier n'est pas une recommandation à cosigner (son type n'est pas EndorsementCredential)
error-cosign-unsigned = Cette recommandation ne porte pas la signature de qui l'a écrite : demandez une nouvelle demande
error-cosign-names-you = Cette demande vous nomme comme émetteur : une demande de cosignature vient de la personne qu'elle recommande, signée par elle
error-cosign-not-issuer = Cette demande n'est pas signée par son émetteur : demandez-en une nouvelle à qui l'a envoyée
error-cosign-content = Ce fichier n'est pas une recommandation que musette sait cosigner : son contenu n'est pas celui d'une recommandation
error-cosign-already = Vous avez déjà signé cette recommandation
devices-remove-invitation = Une invitation pour un nouvel appareil attend : annulez-la d'abord (page Appareils), puis retirez l'appareil.

## Command line, more messages

cli-cannot-read-secret = impossible de lire le fichier { $what ->
        [passphrase] de la phrase secrète
        [new-passphrase] de la nouvelle phrase secrète
       *[recovery-key] de la clé de secours
    } { $path } : { $why }
cli-secret-file-shared = musette : attention : le fichier { $what ->
        [passphrase] de la phrase secrète
        [new-passphrase] de la nouvelle phrase secrète
       *[recovery-key] de la clé de secours
    } { $path } peut être lu par d'autres utilisateurs (mode { $mode }) : réservez-le à vous seul avec `chmod 600 { $path }`
cli-terminal-read = impossible de lire sur le terminal : { $why }
cli-session-needs-passphrase = cette commande a besoin de votre phrase secrète même pendant une session, et il n'y a pas de terminal pour la demander : passez --passphrase-file FICHIER ou --passphrase-env VARIABLE
cli-no-terminal-new-passphrase = il n'y a pas de terminal pour demander la nouvelle phrase secrète : donnez-la dans un fichier avec { $flag } FICHIER
cli-no-terminal-recovery-key = il n'y a pas de terminal pour demander la clé de secours : donnez-la dans un fichier avec --recovery-key-file FICHIER
cli-config-cannot-read = impossible de lire le fichier de configuration { $path } : { $why }
cli-config-missing = ce fichier n'existe pas (MUSETTE_CONFIG le nomme) : corrigez le nom, ou retirez MUSETTE_CONFIG pour lire le fichier par défaut
cli-config-not-regular = ce n'est pas un fichier ordinaire
cli-config-too-large = il dépasse { $kib } Kio
cli-config-invalid = le fichier de configuration { $path } n'est pas valide : { $why }
cli-config-invalid-at = le fichier de configuration { $path } n'est pas valide à la ligne { $line } : { $why }
cli-config-relay-https = elle ne commence pas par https://
cli-config-relay = le relais { $url } du fichier de configuration { $path }, ligne { $line }, n'est pas une URL de relais ({ $why }) : écrivez-la sous la forme « https://relay.example.org »
cli-session-expired = musette : la session de { $var } a expiré ; la phrase secrète est demandée à la place (ouvrez une nouvelle session avec `musette unlock`)
cli-session-invalid = musette : la session de { $var } n'est plus valable (fermée par `musette lock`, ou venue d'un autre coffre) ; la phrase secrète est demandée à la place (ouvrez une nouvelle session avec `musette unlock`)
cli-vault-did-not-open = musette : attention : le coffre ne s'est pas ouvert ({ $why }) : la suite se fait sans lui, les contacts ne sont donc pas nommés
cli-output-failed = musette : erreur : impossible d'écrire la sortie : { $why }
cli-duration-how = { $why } : écrivez une durée comme 10m ou 1h
cli-wait-range = une attente entre 1s et 24h
cli-progress-rekeying = changement des clés
cli-rekey-cannot-show = impossible d'afficher la nouvelle clé de secours : les clés n'ont donc pas été changées
cli-keys-while-served = `musette serve`, `musette device invite` ou l'application tourne sur ce coffre et continuerait avec les anciennes clés, sans pouvoir lire le coffre ni donner les nouvelles clés à vos autres appareils : arrêtez-le, relancez cette commande, puis redémarrez-le
cli-device-this = (cet appareil)
cli-device-last-synced = dernière synchronisation { $when }
cli-device-never-synced = jamais synchronisé avec celui-ci
cli-device-status-removed = RETIRÉ
cli-device-status-waiting = attend les nouvelles clés (lancez `musette sync` dessus)
cli-cannot-read-invitation = impossible de lire l'invitation sur l'entrée standard : { $why }
cli-device-holds = Cet appareil porte maintenant votre coffre, dans { $path }
cli-device-identity = Identité : { $did }
cli-device-recovery-shown-once = Clé de secours de cet appareil (affichée seulement maintenant ; notez-la et gardez-la hors ligne) :
cli-join-unreachable = impossible de joindre l'appareil qui invite : { $why }. Seule une commande `musette device invite` en cours (ou l'invitation de l'application, encore ouverte) répond à une invitation : vérifiez qu'elle tourne encore là-bas, ou créez une nouvelle invitation et rejoignez avec elle
cli-join-cannot-show = impossible d'afficher la clé de secours : cet appareil n'a donc pas rejoint le coffre
cli-progress-copying = copie des fiches depuis votre autre appareil
cli-progress-backing-up = sauvegarde
cli-backup-bad-start = elle ne commence pas comme une sauvegarde (ou n'en est pas une du tout)
cli-backup-bad-size = elle fait { $size } octets quand son en-tête en annonce { $announced } : tronquée ou complétée
cli-progress-restoring = restauration
cli-backup-no-tag = son sceau manque
cli-backup-does-not-open = son coffre ne s'ouvre pas ({ $why })
cli-backup-altered = elle a été modifiée depuis qu'elle a été faite (son sceau ne correspond pas)
cli-backup-damaged = son coffre est endommagé ({ $n } { $n ->
        [one] problème
       *[other] problèmes
    }, le premier : { $record } : { $what })
cli-restore-cannot-move = impossible de placer le coffre restauré dans { $path } : { $why } (il est dans { $kept })
cli-rekey-passphrase-new = La phrase secrète est la nouvelle.
cli-rekey-passphrase-same = La phrase secrète ne change pas.
cli-rekey-new-keys = Nouvelles clés : { $records } clés de fiches rechiffrées sous une nouvelle clé maîtresse ; { $sessions } session(s) fermée(s).
cli-rekey-rows-removed = { $n } { $n ->
        [one] ligne qui n'appartenait à aucune fiche (mise dans le fichier en dehors de musette) a été retirée.
       *[other] lignes qui n'appartenaient à aucune fiche (mises dans le fichier en dehors de musette) ont été retirées.
    }
cli-rekey-old-gone =
    L'ancienne clé de secours n'ouvre plus ce coffre. La nouvelle (affichée seulement maintenant ;
    notez-la et gardez-la hors ligne) :
cli-recommend-not-json = { $path } n'est pas une recommandation : ce n'est pas du JSON valide ({ $why })
cli-recommend-wrote = Recommandation écrite dans { $path } : envoyez-la à qui doit la cosigner
cli-recommend-no-request = { $request } n'est ni un fichier ni l'identifiant d'une demande : voir les demandes avec `musette recommend requests`
cli-request-not-json = la demande n'est pas du JSON
cli-sign-no-terminal = il n'y a pas de terminal pour confirmer la signature : lisez la demande (`musette verify FICHIER` montre qui la fait et ce qu'elle dit), puis signez avec --yes
cli-no-author = (sans auteur)
cli-sign-from-contact = { $name } (votre contact, { $did })
cli-sign-from-named = { $did } (qui se nomme { $name } ; pas un de vos contacts)
cli-sign-from-unknown = { $did } (pas un de vos contacts)
cli-sign-recommendation = Recommandation de { $issuer }, écrite par { $author } :
cli-signed-send-back = Signée ; renvoyez { $path } à qui vous l'a demandée
cli-accept-nothing-new = Rien de nouveau : { $id } avait déjà ces signatures
cli-accept-added = Signature de { $name }{ $did } ajoutée à { $id }
cli-requests-from = de
cli-requests-to = à
cli-requests-record = fiche { $id }
cli-no-requests = Aucune demande de cosignature.
cli-verify-challenge = défi
cli-verify-domain = domaine
cli-verify-other-request = son détenteur l'a signée pour une autre demande : { $what } { $want } attendu, { $found } trouvé
cli-verify-without = son détenteur l'a signée sans { $what } : { $want } attendu
cli-verify-challenge-credential = --challenge et --domain vérifient des présentations ; ceci est une attestation
cli-verify-request-failed = ÉCHEC : { $why }
cli-verify-made-for = Elle a été faite pour le défi { $challenge } : passez --challenge (et --domain) pour vérifier que c'est celui que vous avez donné.
cli-verify-made-for-domain = Elle a été faite pour le défi { $challenge } et le domaine { $domain } : passez --challenge (et --domain) pour vérifier que c'est celui que vous avez donné.
cli-verify-no-challenge = musette : note : cette présentation ne porte aucun défi : quiconque détient le fichier peut la montrer de nouveau ; demandez à son détenteur une présentation faite avec `present --challenge`
cli-verify-request-mismatch = { $file } n'est pas vérifiée pour cette demande : { $why }
cli-verify-legacy = Open Badge (assertion 1.0/2.0)
cli-verify-legacy-exit = { $file } est invérifiable hors ligne : voir ci-dessus
cli-verify-ambiguous = { $file } contient deux fois la clé { $key } dans un même objet : les outils ne s'accordent pas sur celle qui compte, ce qu'elle dit est donc ambigu
cli-verify-twice = { $file } est ambigu : { $why }
cli-verify-too-large = { $path } dépasse { $mib } Mio : aucune attestation, présentation ou image de badge n'est aussi grande
cli-verify-hosted = { $file } est invérifiable hors ligne : { $why }
cli-verify-empty = { $file } est vide : donnez le fichier de l'attestation
cli-verify-not-credential = { $file } n'est ni une attestation ni une présentation vérifiable : { $why }
cli-verify-kind = { $kind ->
        [credential] attestation
        [presentation] présentation
       *[other] { $kind }
    }
cli-option-text = --{ $what } prend de 1 à 512 caractères, sans caractère de contrôle
cli-suite = musette signe avec eddsa-rdfc-2022 ou eddsa-jcs-2022, pas { $name }
cli-fields-empty = un nom de champ est vide : donnez les noms séparés par des virgules, par exemple --fields title,organization (`musette show ID` liste les champs d'une fiche)
cli-option-to = --to prend un nom de 1 à 200 caractères, sans caractère de contrôle ni caractère invisible (comme un changement de sens d'écriture)
cli-shares-revoked = (révoqué)
cli-shares-record-removed = (fiche retirée : révoqué à la prochaine synchronisation)
cli-shares-not-sent = (pas encore envoyé)
cli-shares-guild-empty = (personne ne le reçoit : la guilde n'a plus de membre)
cli-shares-peer-gone = (personne ne le reçoit : ce pair a été retiré)
cli-shares-received-by = (reçu par { $who })
cli-shares-with = avec
cli-shares-guild = guilde { $name }
cli-ticket-no-address = les relais sont coupés et ce ticket ne donne aucune adresse, aucun pair ne peut donc vous joindre avec : donnez l'adresse où écoute `serve`, avec `musette ticket --bind ADRESSE:PORT` et `musette serve --bind ADRESSE:PORT` identiques (ou laissez les relais)
cli-forgot-received = { $kind } reçu { $id } oublié.
cli-forgot-received-item = Élément reçu { $id } oublié.
cli-received-revoked = RÉVOQUÉ
cli-received-signature-fails = LA SIGNATURE NE TIENT PAS
cli-received-not-valid-now = PAS VALABLE AUJOURD'HUI
cli-received-unchecked = invérifiable hors ligne
cli-received-file-kept = (un fichier, gardé le { $when })
cli-no-record-nor-received = aucune fiche n'a l'identifiant { $id }, ni aucun élément reçu : voir `musette list` et `musette received` (donnez au moins 6 caractères d'un identifiant)
cli-received-heading = { $kind } { $id } partagé par { $from } ({ $did })
cli-received-revoked-heading = RÉVOQUÉ : plus de mises à jour
cli-received-version = version
cli-received-signed = signé
cli-received-received = reçu
cli-received-verified = vérifié
cli-received-holds = oui : la signature de l'expéditeur tient
cli-received-does-not-hold = NON : la signature ne tient pas
cli-received-ok = ok      élément partagé { $id } signé par { $from } ({ $did }) le { $when }
cli-received-ok-revoked = ok      élément partagé { $id } signé par { $from } ({ $did }) le { $when } (révoqué depuis)
cli-received-fails = l'élément partagé { $id } n'est pas vérifié : son contenu n'est pas ce que { $did } a signé
cli-audit-guild = guilde { $guild }
cli-audit-item = élément { $id }
cli-audit-fields = champs { $fields }
cli-progress-checking = vérification
cli-doctor-forgotten = { $n } { $n ->
        [one] fiche oubliée est retenue par son identifiant : ses lignes ne peuvent pas revenir.
       *[other] fiches oubliées sont retenues par leur identifiant : leurs lignes ne peuvent pas revenir.
    }
cli-doctor-damaged = ENDOMMAGÉ { $record } : { $what }
cli-doctor-problems-records = { $n } { $n ->
        [one] problème trouvé
       *[other] problèmes trouvés
    } ; toutes les autres fiches s'ouvrent. Restaurez les fiches endommagées depuis une sauvegarde, ou oubliez-les avec `musette forget`
cli-doctor-problems = { $n } { $n ->
        [one] problème trouvé
       *[other] problèmes trouvés
    } ; voir ce que chaque ligne ci-dessus dit de faire
cli-list-removed = (retirée)
cli-list-void = (signatures caduques : modifiée depuis)
cli-other-device = l'autre appareil
cli-progress-syncing = synchronisation avec { $name }
cli-sync-too-large = musette : attention : la fiche { $id } n'a pas été envoyée : son document seul (sans pièces jointes) dépasse 64 Mio, plus que ce que contient un message de synchronisation
cli-sync-damaged = musette : attention : la fiche { $id } n'a pas été envoyée : elle est endommagée sur cet appareil ; `musette doctor` dit quoi faire
cli-sync-left-out = musette : attention : une fiche envoyée par l'autre appareil a été laissée de côté, les autres ont été prises : { $why }. Si elle est endommagée là-bas, `musette doctor` sur cet appareil dit comment ; elle revient à chaque synchronisation d'ici là
cli-sync-failed-with = musette : { $name } : { $why }
cli-keys-offered = musette : { $from } a retiré { $removed } de ce coffre et propose à cet appareil les nouvelles clés du coffre.
cli-keys-offered-rekey = musette : { $from } a fait de nouvelles clés pour ce coffre (`musette rekey`) et les propose à cet appareil : ne les prenez que si vous l'avez fait vous-même, sur cet appareil-là.
cli-lock-poisoned = le verrou du coffre est empoisonné
cli-ui-no-browser-why = musette : note : aucun navigateur n'a été ouvert ({ $why }) : ouvrez vous-même le lien ci-dessus
cli-ui-stopped = l'application web s'est arrêtée : { $why }
cli-ui-open-link = Ouvrir musette
cli-session-duration-how = { $why } : écrivez une durée comme 30m, 2h ou 1d
cli-session-range = une session dure entre 1s et 30 jours
cli-no-runtime = impossible de démarrer le moteur réseau : { $why }
cli-init-cannot-show = impossible d'afficher la clé de secours : aucun coffre n'a donc été créé
cli-cannot-bake = impossible d'intégrer l'attestation dans { $path } : { $why }
cli-not-utf8-svg = { $path } n'est pas un SVG en UTF-8
cli-vcard-not-contact = { $id } est une fiche { $kind }, pas un contact : seuls les contacts s'exportent en vCard
cli-export-damaged = { $n } { $n ->
        [one] fiche ne peut pas être lue
       *[other] fiches ne peuvent pas être lues
    } (voir `musette doctor`) : rien n'a été exporté
cli-progress-exporting = export
cli-export-cannot-move = impossible de placer l'export dans { $path } : { $why } (il est dans { $kept })
cli-progress-importing = import
cli-import-own-proofs = { $path } est une de vos fiches, mais ses preuves ne tiennent pas toutes (voir `musette verify { $path }`) : rien n'a été importé
cli-import-ambiguous = { $path } contient deux fois la clé { $key } dans un même objet : les outils ne s'accordent pas sur celle qui compte, elle n'est donc pas gardée
cli-import-does-not-verify = { $path } n'est pas vérifiée (voir `musette verify { $path }`) : rien n'a été importé ; --allow-invalid la garde quand même
cli-outcome = { $outcome ->
        [verified] vérifiée
        [failed] en échec
        [not_valid_now] pas valable aujourd'hui
        [cannot_be_checked] invérifiable
       *[other] { $text }
    }
cli-progress-attaching = ajout
cli-progress-extracting = extraction
cli-unreadable = illisible : { $why }
cli-damaged-record = la fiche endommagée { $id }
cli-edit-voids = la recommandation { $id } est signée par { $signers } (vous et { $n } { $n ->
        [one] cosignataire
       *[other] cosignataires
    }) : changer ses champs annule toutes les signatures, et elle doit être de nouveau demandée et signée
cli-peer-bad-ticket = { $why } (le ticket d'un pair est ce qu'a affiché `musette ticket` sur sa machine)
cli-peer-last-sync = dernière synchronisation { $when }
cli-peer-never = jamais
cli-peer-guilds = guildes : { $guilds }
cli-profile-several = musette : note : { $n } contacts portent votre propre did ({ $id }, { $others }) : le profil est { $id } ; copiez ce que vous voulez des autres et retirez-les avec `musette rm`
cli-profile-extra = musette : note : { $name } n'est pas un champ d'un profil ; il est gardé comme champ en plus (les champs : name, role (label), email, phone, url, notes (summary), location, image)
cli-contacts-unreadable = musette : attention : les noms de vos contacts ne peuvent pas être lus ({ $why }) : les signataires sont montrés par leur did ; lancez `musette doctor`

## Verification.
verify-refused-ambiguous = elle contient deux fois la clé { $key } dans un même objet : ce qu'elle dit est ambigu
verify-refused-not-vc = ce n'est ni une attestation ni une présentation vérifiable : { $why }
cli-missing-subcommand = { $command } a besoin d'une commande : { $commands }
cli-argument-twice = { $arg } est donné deux fois : donnez-le une seule fois
cli-argument-conflict = { $arg } ne va pas avec { $other } : donnez l'un ou l'autre
cli-hint-list = voyez les fiches avec `musette list`
cli-hint-recover = `musette recover` et la clé de secours en donnent une nouvelle
cli-hint-attachments = voyez ses pièces jointes avec `musette show { $record }`
