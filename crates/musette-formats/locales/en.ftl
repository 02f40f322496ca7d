## Messages of the import and export formats (musette-formats). English is what `--json`, logs
## and scripts see.

## What a JSON value is.
json-kind =
    { $kind ->
        [null] null
        [bool] true or false
        [number] a number
        [text] text
        [list] a list
       *[object] an object
    }

## JSON Resume.
not-json = it is not JSON ({ $why })
resume-key-twice = the résumé holds the key { $key } twice in one object: tools disagree on which counts, so it is not imported; keep one
resume-too-large = the résumé is { $len } bytes: at most { $max } are read
resume-unrecognised = it is not a JSON Resume: it has none of basics, work, education, skills, volunteer or projects
resume-too-many = { $section } has { $n } entries: at most { $max } are read
resume-basics = basics
resume-entry = { $section } { $n }
resume-entry-named = { $section } { $n } ({ $name })
resume-text-long = { $at }: { $key } is { $len } bytes long, more than any résumé needs ({ $max }): left out
resume-not-text = { $at }: { $key } should be text, not { $kind }: left out
resume-not-date = { $at }: { $key } { $raw } is not a date (YYYY, YYYY-MM or YYYY-MM-DD): left out
resume-not-list-of-text = { $at }: { $key } should be a list of text, not { $kind }: left out
resume-item-not-text = { $at }: an entry of { $key } should be text, not { $kind }: left out
resume-not-list = { $at }: should be a list, not { $kind }: left out
resume-not-object = { $at }: should be an object, not { $kind }: left out
resume-nothing-to-key = { $at }: has nothing to keep it by (its name, title or text is missing): left out
resume-out-not-web-address = { $kind } { $title }: { $name } { $raw } is not a web address: left out
resume-out-network-url = your profile: the url { $raw } of a network profile is not a web address: left out
resume-out-url = your profile: url { $raw } is not a web address: left out
resume-out-email = your profile: email { $raw } is not an email address: left out

## LinkedIn exports.
cannot-read = { $what } cannot be read ({ $why })
linkedin-zip-not-export = this ZIP is not a LinkedIn data export: it holds none of { $files }
linkedin-folder-not-export = the folder { $path } is not a LinkedIn data export: it holds none of { $files }
linkedin-not-zip = it is not a readable ZIP archive ({ $why })
linkedin-zip-entry = entry { $n } of the ZIP cannot be read ({ $why })
linkedin-zip-twice = the ZIP holds { $file } twice: an export has one of each
linkedin-folder-twice = { $folder } holds { $file } twice ({ $one } and { $two }): an export has one of each
linkedin-several = { $folder } holds several LinkedIn exports ({ $exports }): import one folder at a time
linkedin-file-too-large = { $file } is larger than { $mib } MiB uncompressed: not read
linkedin-export-too-large = the export is larger than { $mib } MiB uncompressed: not read
linkedin-windows-1252 = { $file } is not UTF-8: it was read as Windows-1252 (as Excel saves CSV files); check its accented letters
linkedin-no-header = { $file }: has no header with a { $column } column: the file was left out
linkedin-at = { $file } line { $line }
linkedin-not-csv = { $at }: not readable as CSV ({ $why }): the rest of the file was left out
linkedin-long-value = { $at }: a value longer than { $kib } KiB: left out
linkedin-too-many-rows = { $file }: more than { $max } rows: the rest was left out
linkedin-not-date = { $at }: { $column } { $raw } is not a date musette reads: left out
linkedin-row-left-out = { $at }: { $why }: left out
linkedin-no-title-company = no title and no company
linkedin-no-school-degree = no school and no degree
linkedin-no-title = no title
linkedin-no-language = no language name
linkedin-no-certification = no certification name
linkedin-no-text = no text
linkedin-no-name = no name
linkedin-no-skill = no skill name

## Files of many records, and the owner's profile.
vcard-windows-1252 = the file is not UTF-8: it was read as Windows-1252 (Latin-1), as older address books save it; check its accented letters
many-not-utf8 = a { $format } file is text (UTF-8), and this is not
your-profile = your profile
profile-renamed = your profile: its name changes from { $old } to { $new }, and the file's details join those it has (it never removes any): check it with `musette profile`
profile-no-name = your profile: the file gives no name, and you have no profile yet: it was left out (set one with `musette profile --set name=…`)

## vCard.
vcard-at = line { $line }
vcard-own-did = { $at }: its KEY is your own did, which only your profile carries: left out of this contact
vcard-unended = line { $line }: a card without END:VCARD (skipped)
vcard-outside = line { $line }: outside any card (skipped)
vcard-too-large = line { $line }: a card larger than 1 MiB (skipped)
vcard-bad = line { $line }: { $why } (skipped)
vcard-invalid = not a valid card: { $why }
vcard-no-name = a card with neither FN nor N: a contact needs a name
vcard-empty = an empty card
vcard-too-many = more than { $max } cards in one file: split it
vcard-none-read = no card in this file could be read: { $first }
vcard-none = this file holds no vCard (no BEGIN:VCARD line)

## Open Badges.
badge-unrecognised = this file is not a badge: it is neither JSON, PNG nor SVG
badge-png-none = this PNG has no badge baked in (no iTXt chunk named openbadgecredential or openbadges)
badge-svg-none = this SVG has no badge baked in (no openbadges:credential or openbadges:assertion element)
badge-key-twice = the badge holds the key { $key } twice in one object: tools disagree on which counts, so what it says is ambiguous
badge-hosted = this badge is hosted at { $url } and only points there; it cannot be fetched offline: download the assertion JSON and import that
badge-empty = the baked badge is empty
badge-not-jws = the badge is neither JSON nor a readable JWS
badge-jws-not-json = the badge's JWS payload is not JSON
badge-not-json = the badge is not valid JSON ({ $why }); is the file truncated?
badge-not-object = the badge is not a JSON object
badge-not-open-badge = this JSON is not an Open Badge: its type is neither OpenBadgeCredential, AchievementCredential, EndorsementCredential nor Assertion
badge-missing-v3 =
    the Open Badges 3.0 credential has no { $what ->
        [name] name (of the credential or of its achievement)
       *[other] { $what }
    }, which it requires
badge-missing-v2 =
    the Open Badges 2.0 assertion has no { $what ->
        [badge-name] badge name
       *[other] { $what }
    }, which it requires
badge-unwritable = { $why }

## PNG images.
png-not-png = this is not a PNG image (its signature is wrong)
png-truncated-header = the PNG is truncated inside a chunk header
png-truncated-chunk = the PNG is truncated: a chunk runs past the end of the file
png-checksum = the PNG is damaged: the { $chunk } chunk fails its checksum
png-no-ihdr = the PNG has no IHDR chunk first
png-itxt-truncated = an iTXt chunk of the PNG is truncated
png-compressed = the PNG's { $keyword } text is compressed, which Open Badges baking does not allow
png-not-utf8 = the PNG's { $keyword } text is not UTF-8
png-two-badges = this PNG holds two baked badges (text chunks { $first } and { $second }): tools disagree on which counts, so neither is read
png-text-too-large = the text is too large for a PNG chunk

## SVG images.
svg-not-utf8 = the SVG is not UTF-8
svg-not-xml = the SVG is not well-formed XML: { $why }
svg-root-not-svg = this XML is not an SVG image (its root element is not svg)
svg-unknown-entity = the SVG uses an unknown entity &{ $entity };
svg-two-badges = this SVG holds two baked badges (two openbadges:{ $first } and { $second } elements): tools disagree on which counts, so neither is read
svg-unended-badge = the SVG ends inside its openbadges element
svg-no-svg = this is not an SVG image (no svg element)
svg-cdata-end = the credential contains ]]>, which cannot be put in CDATA
svg-root-empty = the SVG's root element is empty: there is no image to bake into

## Verification.
received-baked-not-json = its baked credential is not JSON ({ $why })
received-wrong-type = its type names neither a verifiable credential nor a presentation
received-empty = it is empty
received-not-json = it opens as JSON does but is not JSON: { $why }
received-unknown = it is neither JSON, a JWT, nor a badge image (PNG, SVG)
badge-status-verified = verified
badge-status-invalid = invalid: { $why }
badge-status-unsigned = unsigned
badge-status-unchecked = cannot be checked: { $why }
badge-status-not-now = signature holds, but { $when }
badge-not-by-issuer = no proof is by the credential's issuer
badge-status-online = its proofs hold, but its status (revocation) is published at { $url }, which needs the network
badge-no-offline-proof = no proof by its issuer can be checked offline
badge-signed-v2 = an Open Badges { $version } signed badge (JWS) whose key is published at { $key }: checking it needs the network
badge-hosted-v2 = an Open Badges { $version } hosted badge carries no signature: it is genuine as long as its issuer still publishes the same assertion at { $url }, and only a visit to that site, online, can tell
badge-issuer-site = its issuer's site
