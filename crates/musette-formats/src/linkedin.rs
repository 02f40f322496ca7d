//! A LinkedIn data export ("Get a copy of your data"): the ZIP it comes as, or its unzipped
//! folder, read into a profile and records.
//!
//! | file | becomes |
//! |---|---|
//! | `Profile.csv`, `Email Addresses.csv`, `PhoneNumbers.csv` | your profile |
//! | `Positions.csv` | experiences (employment) |
//! | `Education.csv` | experiences (education) |
//! | `Projects.csv` | experiences (project) |
//! | `Skills.csv`, `Endorsement_Received_Info.csv` | skills, with who endorsed them |
//! | `Languages.csv` | skills of category `language` |
//! | `Certifications.csv` | badges of category `certificate` |
//! | `Recommendations_Received.csv` | recommendations |
//! | `Connections.csv` | contacts |
//!
//! Real exports differ from year to year and account to account: files are found by name
//! (any case, at any depth of the archive), columns by their header (never by position: added
//! ones are passed over, missing ones leave their field empty), a byte-order mark and the
//! "Notes:" preamble LinkedIn puts before the header of `Connections.csv` are skipped, and dates
//! are read in each of the ways LinkedIn writes them (`Mar 2019`, `2019`, `14 Mar 2019`,
//! `03/14/19`, `03/14/19, 10:21 AM`, `2019/03/14 10:21:00 UTC`). A row that cannot be kept is
//! said, with its file and line, and the rest goes in.

use std::collections::BTreeMap;
use std::io::Read;

use musette_core::batch::{Incoming, Owns};
use musette_core::i18n::Msg;
use musette_core::model::{Kind, validate_date};
use musette_core::msg;
use serde_json::{Map, Value};

use crate::{FORMATS, FormatError, Result, malformed};

/// Largest file read from an export, uncompressed.
pub const MAX_FILE: u64 = 64 << 20;
/// Largest total read from an export, uncompressed (a ZIP bomb stops here).
pub const MAX_TOTAL: u64 = 256 << 20;
/// Longest value read from a cell, in bytes (a row with a longer one is left out).
pub const MAX_CELL: usize = 64 << 10;
/// Most rows read from one file.
pub const MAX_ROWS: usize = 200_000;

/// The files musette reads, by their name in the export.
pub const FILES: &[&str] = &[
    "Profile.csv",
    "Positions.csv",
    "Education.csv",
    "Skills.csv",
    "Certifications.csv",
    "Connections.csv",
    "Recommendations_Received.csv",
    "Endorsement_Received_Info.csv",
    "Languages.csv",
    "Projects.csv",
    "Email Addresses.csv",
    "PhoneNumbers.csv",
];

const POSITION_OWNS: &[&str] = &[
    "title",
    "organization",
    "type",
    "start",
    "end",
    "location",
    "description",
];
const EDUCATION_OWNS: &[&str] = &[
    "title",
    "organization",
    "type",
    "start",
    "end",
    "description",
    "degree",
];
const PROJECT_OWNS: &[&str] = &["title", "type", "start", "end", "description", "url"];
const SKILL_OWNS: &[&str] = &["name", "endorsed_by", "level", "category"];
const CERTIFICATION_OWNS: &[&str] = &[
    "name",
    "issuer",
    "issued",
    "expires",
    "url",
    "license_number",
    "category",
];
const RECOMMENDATION_OWNS: &[&str] = &[
    "text",
    "author",
    "author_organization",
    "author_role",
    "date",
    "status",
];
const CONNECTION_OWNS: &[&str] = &[
    "name",
    "organization",
    "role",
    "email",
    "url",
    "connected_on",
];

/// An export read: the owner's profile, the records, and what was left out.
#[derive(Debug, Clone, Default)]
pub struct Export {
    /// The profile's fields (from `Profile.csv`, the primary email, the first phone number);
    /// empty when the export has none.
    pub profile: Map<String, Value>,
    /// Every other entry, as records to import.
    pub records: Vec<Incoming>,
    /// Rows and files left out, and why (`Positions.csv line 4: no title and no company`).
    pub skipped: Vec<Msg>,
    /// Values left out of rows that were kept, and why (`Positions.csv line 5: Started On
    /// "Spring 2014" is not a date …`).
    pub notes: Vec<Msg>,
    /// The files found and read, by their name in [`FILES`].
    pub files: Vec<String>,
}

/// Whether bytes are a ZIP archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The file of [`FILES`] a path in an export names (its last component, any case).
fn known(path: &str) -> Option<&'static str> {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    FILES.iter().copied().find(|f| f.eq_ignore_ascii_case(base))
}

/// Not an export: `folder` names the folder read, `None` a ZIP.
fn not_an_export(folder: Option<&std::path::Path>) -> FormatError {
    let files = FILES.join(", ");
    FormatError::Unrecognised(match folder {
        Some(dir) => msg!(
            FORMATS,
            "linkedin-folder-not-export",
            path = dir.display().to_string(),
            files = files
        ),
        None => msg!(FORMATS, "linkedin-zip-not-export", files = files),
    })
}

/// Reads an export from its ZIP archive.
pub fn read_zip(bytes: &[u8]) -> Result<Export> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| malformed(msg!(FORMATS, "linkedin-not-zip", why = e.to_string())))?;
    let mut files = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            malformed(msg!(
                FORMATS,
                "linkedin-zip-entry",
                n = i + 1,
                why = e.to_string()
            ))
        })?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let Some(file) = known(&name) else {
            continue;
        };
        if files.contains_key(file) {
            return Err(malformed(msg!(FORMATS, "linkedin-zip-twice", file = file)));
        }
        let data = read_bounded(&mut entry, file, &mut total)?;
        files.insert(file, data);
    }
    if files.is_empty() {
        return Err(not_an_export(None));
    }
    Ok(read_files(&files))
}

/// Reads an export from its unzipped folder: the files at its top, or in the one folder below
/// it that holds them (a folder holding several exports is refused rather than mixed).
pub fn read_dir(dir: &std::path::Path) -> Result<Export> {
    /// The export files directly in `folder` (regular files only: no device or pipe is
    /// opened), by name; the same file twice (in two cases) is refused.
    fn found(
        folder: &std::path::Path,
    ) -> Result<(
        BTreeMap<&'static str, std::path::PathBuf>,
        Vec<std::path::PathBuf>,
    )> {
        let entries = std::fs::read_dir(folder).map_err(|e| {
            malformed(msg!(
                FORMATS,
                "cannot-read",
                what = folder.display().to_string(),
                why = e.to_string()
            ))
        })?;
        let mut files = BTreeMap::new();
        let mut subfolders = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                subfolders.push(path);
                continue;
            }
            let Some(file) = path.file_name().and_then(|n| n.to_str()).and_then(known) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            if let Some(other) = files.insert(file, path.clone()) {
                return Err(malformed(msg!(
                    FORMATS,
                    "linkedin-folder-twice",
                    folder = folder.display().to_string(),
                    file = file,
                    one = other.display().to_string(),
                    two = path.display().to_string()
                )));
            }
        }
        subfolders.sort();
        Ok((files, subfolders))
    }
    let (mut files, subfolders) = found(dir)?;
    if files.is_empty() {
        let mut exports = Vec::new();
        for sub in subfolders.iter().take(64) {
            let (f, _) = found(sub)?;
            if !f.is_empty() {
                exports.push((sub.clone(), f));
            }
        }
        match exports.len() {
            0 => return Err(not_an_export(Some(dir))),
            1 => files = exports.remove(0).1,
            _ => {
                return Err(malformed(msg!(
                    FORMATS,
                    "linkedin-several",
                    folder = dir.display().to_string(),
                    exports = exports
                        .iter()
                        .map(|(p, _)| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
    }
    let mut total = 0u64;
    let mut data = BTreeMap::new();
    for (file, path) in files {
        let mut f = std::fs::File::open(&path).map_err(|e| {
            malformed(msg!(
                FORMATS,
                "cannot-read",
                what = path.display().to_string(),
                why = e.to_string()
            ))
        })?;
        data.insert(file, read_bounded(&mut f, file, &mut total)?);
    }
    Ok(read_files(&data))
}

fn read_bounded(from: &mut impl Read, file: &str, total: &mut u64) -> Result<Vec<u8>> {
    let mut data = Vec::new();
    from.take(MAX_FILE + 1)
        .read_to_end(&mut data)
        .map_err(|e| {
            malformed(msg!(
                FORMATS,
                "cannot-read",
                what = file,
                why = e.to_string()
            ))
        })?;
    if data.len() as u64 > MAX_FILE {
        return Err(malformed(msg!(
            FORMATS,
            "linkedin-file-too-large",
            file = file,
            mib = MAX_FILE >> 20
        )));
    }
    *total += data.len() as u64;
    if *total > MAX_TOTAL {
        return Err(malformed(msg!(
            FORMATS,
            "linkedin-export-too-large",
            mib = MAX_TOTAL >> 20
        )));
    }
    Ok(data)
}

/// A CSV file's rows as column → value, after its header (found by `marker`, a column every
/// version of the file has), with each row's line.
struct Table {
    file: &'static str,
    columns: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    /// Reads a file: UTF-8 (a byte-order mark skipped), else Windows-1252 as Excel saves it
    /// (said in `notes`); comma-separated, else semicolon or tab, whichever shows the header.
    fn read(
        file: &'static str,
        data: &[u8],
        marker: &str,
        skipped: &mut Vec<Msg>,
        notes: &mut Vec<Msg>,
    ) -> Option<Table> {
        let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
        let decoded;
        let data = if std::str::from_utf8(data).is_ok() {
            data
        } else {
            notes.push(msg!(FORMATS, "linkedin-windows-1252", file = file));
            decoded = encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(data)
                .0
                .into_owned();
            decoded.as_bytes()
        };
        for delimiter in [b',', b';', b'\t'] {
            let mut skips = Vec::new();
            if let Some(table) = Table::parse(file, data, marker, delimiter, &mut skips) {
                skipped.append(&mut skips);
                return Some(table);
            }
        }
        skipped.push(msg!(
            FORMATS,
            "linkedin-no-header",
            file = file,
            column = format!("{marker:?}")
        ));
        None
    }

    fn parse(
        file: &'static str,
        data: &[u8],
        marker: &str,
        delimiter: u8,
        skipped: &mut Vec<Msg>,
    ) -> Option<Table> {
        // Lines as people count them (a lone CR ends a line too), from each record's offset.
        let mut ends = Vec::new();
        for (i, b) in data.iter().enumerate() {
            if *b == b'\n' || (*b == b'\r' && data.get(i + 1) != Some(&b'\n')) {
                ends.push(i);
            }
        }
        let line_at = |offset: u64| 1 + ends.partition_point(|e| (*e as u64) < offset) as u64;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(data);
        let mut columns: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for (n, record) in reader.byte_records().enumerate() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    // Before the header: not this delimiter's file (or not a CSV at all).
                    columns.as_ref()?;
                    let line = e.position().map_or(0, |p| line_at(p.byte()));
                    skipped.push(msg!(
                        FORMATS,
                        "linkedin-not-csv",
                        at = line_of(file, line),
                        why = e.to_string()
                    ));
                    break;
                }
            };
            let line = record
                .position()
                .map_or(n as u64 + 1, |p| line_at(p.byte()));
            match &columns {
                None => {
                    let cells: Vec<String> = record
                        .iter()
                        .map(|c| String::from_utf8_lossy(c).trim().to_string())
                        .collect();
                    // The header is the first row naming the marker column; what comes before
                    // it (LinkedIn's "Notes:" preamble) is passed over.
                    if cells.iter().any(|c| c.eq_ignore_ascii_case(marker)) {
                        columns = Some(cells);
                    } else if n >= 20 {
                        return None;
                    }
                }
                Some(_) => {
                    if record.iter().any(|c| c.len() > MAX_CELL) {
                        skipped.push(msg!(
                            FORMATS,
                            "linkedin-long-value",
                            at = line_of(file, line),
                            kib = MAX_CELL >> 10
                        ));
                        continue;
                    }
                    let cells: Vec<String> = record
                        .iter()
                        .map(|c| String::from_utf8_lossy(c).trim().to_string())
                        .collect();
                    if cells.iter().all(String::is_empty) {
                        continue;
                    }
                    if rows.len() >= MAX_ROWS {
                        skipped.push(msg!(
                            FORMATS,
                            "linkedin-too-many-rows",
                            file = file,
                            max = MAX_ROWS
                        ));
                        break;
                    }
                    rows.push((line, cells));
                }
            }
        }
        Some(Table {
            file,
            columns: columns?,
            rows,
        })
    }

    fn index(&self, column: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(column))
    }
}

/// One row being read.
struct Row<'a> {
    table: &'a Table,
    cells: &'a [String],
    line: u64,
    notes: &'a mut Vec<Msg>,
}

/// Where a row is: `Positions.csv line 4`.
fn line_of(file: &str, line: u64) -> Msg {
    msg!(FORMATS, "linkedin-at", file = file, line = line)
}

impl Row<'_> {
    fn at(&self) -> Msg {
        line_of(self.table.file, self.line)
    }

    /// The cell of a column, when the file has it and the cell is not empty.
    fn get(&self, column: &str) -> Option<String> {
        let i = self.table.index(column)?;
        self.cells
            .get(i)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    /// A date column read the ways LinkedIn writes dates; one that is none of them is said.
    fn date(&mut self, column: &str) -> Option<String> {
        let raw = self.get(column)?;
        match parse_date(&raw) {
            Some(d) => Some(d),
            None => {
                let at = self.at();
                self.notes.push(msg!(
                    FORMATS,
                    "linkedin-not-date",
                    at = at,
                    column = column,
                    raw = format!("{raw:?}")
                ));
                None
            }
        }
    }

    /// First and last name joined.
    fn name(&self, first: &str, last: &str) -> Option<String> {
        let n = [self.get(first), self.get(last)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        (!n.is_empty()).then_some(n)
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month's number from its English name or an abbreviation of at least three letters
/// (`Mar`, `Sept`, `March`).
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let i = MONTHS.iter().position(|m| m.starts_with(&w))?;
    Some(i as u32 + 1)
}

/// A date as LinkedIn writes it, as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    // A time after the date is passed over ("03/14/19, 10:21 AM", "2019/03/14 10:21:00 UTC",
    // "2019-03-14T10:21:00Z").
    let s = if s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        s.split('T').next().unwrap_or(s)
    } else {
        s
    };
    let checked = |d: String| validate_date(&d).is_ok().then_some(d);
    let words: Vec<&str> = s
        .split([' ', ','])
        .filter(|w| {
            !w.is_empty()
                && !w.contains(':')
                && !matches!(w.to_ascii_uppercase().as_str(), "AM" | "PM" | "UTC" | "GMT")
        })
        .collect();
    match words.as_slice() {
        [y] if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => checked(y.to_string()),
        [m, y] if y.len() == 4 => checked(format!("{y}-{:02}", month(m)?)),
        [d, m, y] if y.len() == 4 && d.len() <= 2 => checked(format!(
            "{y}-{:02}-{:02}",
            month(m)?,
            d.parse::<u32>().ok()?
        )),
        [m, d, y] if y.len() == 4 && month(m).is_some() => checked(format!(
            "{y}-{:02}-{:02}",
            month(m)?,
            d.parse::<u32>().ok()?
        )),
        [numeric, ..] => {
            let parts: Vec<&str> = numeric.split(['/', '-']).collect();
            let num = |p: &str| p.parse::<u32>().ok();
            match parts.as_slice() {
                // 2019/03/14, 2019-03-14, 2019-03
                [y, m, d] if y.len() == 4 => checked(format!("{y}-{:02}-{:02}", num(m)?, num(d)?)),
                [y, m] if y.len() == 4 => checked(format!("{y}-{:02}", num(m)?)),
                // 03/14/19 and 03/14/2019 (LinkedIn writes months first).
                [m, d, y] if y.len() == 2 || y.len() == 4 => {
                    let y = num(y)?;
                    let y = if y < 100 {
                        if y < 70 { 2000 + y } else { 1900 + y }
                    } else {
                        y
                    };
                    checked(format!("{y:04}-{:02}-{:02}", num(m)?, num(d)?))
                }
                _ => None,
            }
        }
        [] => None,
    }
}

fn put(fields: &mut Map<String, Value>, field: &str, value: Option<String>) {
    if let Some(v) = value {
        fields.insert(field.to_string(), Value::String(v));
    }
}

fn key_part(s: Option<&str>) -> String {
    s.unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn incoming(
    kind: Kind,
    key: String,
    fields: Map<String, Value>,
    owns: &'static [&'static str],
    at: Msg,
) -> Incoming {
    Incoming {
        owns: Owns::Only(owns),
        ..Incoming::new(kind, format!("linkedin:{key}"), fields, at)
    }
}

type RowReader<'f> = dyn FnMut(&mut Row<'_>) -> std::result::Result<Incoming, Msg> + 'f;

/// Each row of a table made a record by `f`, or said and left out with why `f` refused it.
fn each(
    t: &Option<Table>,
    skipped: &mut Vec<Msg>,
    notes: &mut Vec<Msg>,
    records: &mut Vec<Incoming>,
    f: &mut RowReader<'_>,
) {
    let Some(t) = t else { return };
    for (line, cells) in &t.rows {
        let mut row = Row {
            table: t,
            cells,
            line: *line,
            notes,
        };
        match f(&mut row) {
            Ok(item) => records.push(item),
            Err(why) => {
                let at = row.at();
                skipped.push(msg!(FORMATS, "linkedin-row-left-out", at = at, why = why));
            }
        }
    }
}

/// Reads the files of an export, by their name in [`FILES`].
pub fn read_files(files: &BTreeMap<&'static str, Vec<u8>>) -> Export {
    let mut out = Export {
        files: files.keys().map(|f| f.to_string()).collect(),
        ..Export::default()
    };
    let skipped = &mut out.skipped;
    let notes = &mut out.notes;
    let table = |file: &'static str, marker: &str, skipped: &mut Vec<Msg>, notes: &mut Vec<Msg>| {
        files
            .get(file)
            .and_then(|data| Table::read(file, data, marker, skipped, notes))
    };
    let mut records = Vec::new();
    // The profile.
    let profile = table("Profile.csv", "First Name", skipped, notes);
    if let Some(t) = &profile
        && let Some((line, cells)) = t.rows.first()
    {
        let row = Row {
            table: t,
            cells,
            line: *line,
            notes,
        };
        put(
            &mut out.profile,
            "name",
            row.name("First Name", "Last Name"),
        );
        put(&mut out.profile, "role", row.get("Headline"));
        put(&mut out.profile, "notes", row.get("Summary"));
        put(&mut out.profile, "industry", row.get("Industry"));
        put(
            &mut out.profile,
            "location",
            row.get("Geo Location").or_else(|| row.get("Address")),
        );
        if let Some(sites) = row.get("Websites") {
            // "[PERSONAL:https://a.example,COMPANY:https://b.example]"
            let first = sites
                .trim_matches(['[', ']'])
                .split(',')
                .filter_map(|s| {
                    let s = s.trim();
                    let at = s.find("http")?;
                    Some(s[at..].to_string())
                })
                .next();
            put(&mut out.profile, "url", first);
        }
    }
    if let Some(t) = table("Email Addresses.csv", "Email Address", skipped, notes) {
        let col = t.index("Email Address");
        let primary = t.index("Primary");
        let pick = t
            .rows
            .iter()
            .find(|(_, c)| {
                primary
                    .and_then(|i| c.get(i))
                    .is_some_and(|p| p.eq_ignore_ascii_case("yes"))
            })
            .or_else(|| t.rows.first());
        if let (Some(col), Some((_, cells))) = (col, pick) {
            put(
                &mut out.profile,
                "email",
                cells.get(col).filter(|s| !s.is_empty()).cloned(),
            );
        }
    }
    if let Some(t) = table("PhoneNumbers.csv", "Number", skipped, notes)
        && let (Some(col), Some((_, cells))) = (t.index("Number"), t.rows.first())
    {
        put(
            &mut out.profile,
            "phone",
            cells.get(col).filter(|s| !s.is_empty()).cloned(),
        );
    }

    let positions = table("Positions.csv", "Company Name", skipped, notes);
    each(&positions, skipped, notes, &mut records, &mut |r| {
        let org = r.get("Company Name");
        let title = r
            .get("Title")
            .or_else(|| org.clone())
            .ok_or_else(|| msg!(FORMATS, "linkedin-no-title-company"))?;
        let start = r.date("Started On");
        let mut f = Map::new();
        f.insert("title".into(), title.clone().into());
        f.insert("type".into(), "employment".into());
        put(&mut f, "organization", org.clone());
        put(&mut f, "start", start.clone());
        put(&mut f, "end", r.date("Finished On"));
        put(&mut f, "location", r.get("Location"));
        put(&mut f, "description", r.get("Description"));
        let key = crate::stable_key(
            "position",
            &[
                key_part(org.as_deref()),
                key_part(Some(&title)),
                start.unwrap_or_default(),
            ],
        );
        Ok(incoming(Kind::Experience, key, f, POSITION_OWNS, r.at()))
    });

    let education = table("Education.csv", "School Name", skipped, notes);
    each(&education, skipped, notes, &mut records, &mut |r| {
        let school = r.get("School Name");
        let degree = r.get("Degree Name");
        let title = degree
            .clone()
            .or_else(|| school.clone())
            .ok_or_else(|| msg!(FORMATS, "linkedin-no-school-degree"))?;
        let start = r.date("Start Date");
        let mut f = Map::new();
        f.insert("title".into(), title.into());
        f.insert("type".into(), "education".into());
        put(&mut f, "organization", school.clone());
        put(&mut f, "degree", degree.clone());
        put(&mut f, "start", start.clone());
        put(&mut f, "end", r.date("End Date"));
        let notes: Vec<String> = [r.get("Notes"), r.get("Activities")]
            .into_iter()
            .flatten()
            .collect();
        if !notes.is_empty() {
            f.insert("description".into(), notes.join("\n\n").into());
        }
        let key = crate::stable_key(
            "education",
            &[
                key_part(school.as_deref()),
                key_part(degree.as_deref()),
                start.unwrap_or_default(),
            ],
        );
        Ok(incoming(Kind::Experience, key, f, EDUCATION_OWNS, r.at()))
    });

    let projects = table("Projects.csv", "Title", skipped, notes);
    each(&projects, skipped, notes, &mut records, &mut |r| {
        let title = r
            .get("Title")
            .ok_or_else(|| msg!(FORMATS, "linkedin-no-title"))?;
        let start = r.date("Started On");
        let mut f = Map::new();
        f.insert("title".into(), title.clone().into());
        f.insert("type".into(), "project".into());
        put(&mut f, "start", start.clone());
        put(&mut f, "end", r.date("Finished On"));
        put(&mut f, "description", r.get("Description"));
        put(&mut f, "url", r.get("Url"));
        let key = crate::stable_key(
            "project",
            &[key_part(Some(&title)), start.unwrap_or_default()],
        );
        Ok(incoming(Kind::Experience, key, f, PROJECT_OWNS, r.at()))
    });

    // Skills, with who endorsed each (an endorsed skill missing from Skills.csv is one too).
    let mut skills: BTreeMap<String, (String, Vec<String>, Msg)> = BTreeMap::new();
    if let Some(t) = table("Skills.csv", "Name", skipped, notes) {
        for (line, cells) in &t.rows {
            let row = Row {
                table: &t,
                cells,
                line: *line,
                notes,
            };
            match row.get("Name") {
                Some(name) => {
                    skills
                        .entry(key_part(Some(&name)))
                        .or_insert((name, Vec::new(), row.at()));
                }
                None => {
                    let at = row.at();
                    skipped.push(msg!(
                        FORMATS,
                        "linkedin-row-left-out",
                        at = at,
                        why = msg!(FORMATS, "linkedin-no-skill")
                    ));
                }
            }
        }
    }
    if let Some(t) = table(
        "Endorsement_Received_Info.csv",
        "Skill Name",
        skipped,
        notes,
    ) {
        for (line, cells) in &t.rows {
            let row = Row {
                table: &t,
                cells,
                line: *line,
                notes,
            };
            let hidden = row
                .get("Endorsement Status")
                .is_some_and(|s| !s.eq_ignore_ascii_case("accepted"));
            let Some(skill) = row.get("Skill Name") else {
                continue;
            };
            if hidden {
                continue;
            }
            let entry =
                skills
                    .entry(key_part(Some(&skill)))
                    .or_insert((skill, Vec::new(), row.at()));
            if let Some(by) = row.name("Endorser First Name", "Endorser Last Name")
                && !entry.1.contains(&by)
            {
                entry.1.push(by);
            }
        }
    }
    for (key, (name, by, at)) in skills {
        let mut f = Map::new();
        f.insert("name".into(), name.into());
        if !by.is_empty() {
            f.insert(
                "endorsed_by".into(),
                Value::Array(by.into_iter().map(Value::String).collect()),
            );
        }
        records.push(incoming(
            Kind::Skill,
            format!("skill:{key}"),
            f,
            SKILL_OWNS,
            at,
        ));
    }

    let languages = table("Languages.csv", "Name", skipped, notes);
    each(&languages, skipped, notes, &mut records, &mut |r| {
        let name = r
            .get("Name")
            .ok_or_else(|| msg!(FORMATS, "linkedin-no-language"))?;
        let mut f = Map::new();
        f.insert("name".into(), name.clone().into());
        put(&mut f, "level", r.get("Proficiency"));
        f.insert("category".into(), "language".into());
        let key = crate::stable_key("language", &[key_part(Some(&name))]);
        Ok(incoming(Kind::Skill, key, f, SKILL_OWNS, r.at()))
    });

    let certifications = table("Certifications.csv", "Name", skipped, notes);
    each(&certifications, skipped, notes, &mut records, &mut |r| {
        let name = r
            .get("Name")
            .ok_or_else(|| msg!(FORMATS, "linkedin-no-certification"))?;
        let issuer = r.get("Authority");
        let issued = r.date("Started On");
        let mut f = Map::new();
        f.insert("name".into(), name.clone().into());
        put(&mut f, "issuer", issuer.clone());
        put(&mut f, "issued", issued.clone());
        put(&mut f, "expires", r.date("Finished On"));
        put(&mut f, "url", r.get("Url"));
        put(&mut f, "license_number", r.get("License Number"));
        f.insert("category".into(), "certificate".into());
        let key = crate::stable_key(
            "certification",
            &[
                key_part(Some(&name)),
                key_part(issuer.as_deref()),
                issued.unwrap_or_default(),
            ],
        );
        Ok(incoming(Kind::Badge, key, f, CERTIFICATION_OWNS, r.at()))
    });

    let recommendations = table("Recommendations_Received.csv", "Text", skipped, notes);
    each(&recommendations, skipped, notes, &mut records, &mut |r| {
        let text = r
            .get("Text")
            .ok_or_else(|| msg!(FORMATS, "linkedin-no-text"))?;
        let author = r.name("First Name", "Last Name");
        let date = r.date("Creation Date");
        let mut f = Map::new();
        f.insert("text".into(), text.clone().into());
        put(&mut f, "author", author.clone());
        put(&mut f, "author_organization", r.get("Company"));
        put(&mut f, "author_role", r.get("Job Title"));
        put(&mut f, "date", date.clone());
        put(&mut f, "status", r.get("Status"));
        let key = crate::stable_key(
            "recommendation",
            &[
                key_part(author.as_deref().or(Some(&text))),
                date.unwrap_or_default(),
            ],
        );
        Ok(incoming(
            Kind::Recommendation,
            key,
            f,
            RECOMMENDATION_OWNS,
            r.at(),
        ))
    });

    let connections = table("Connections.csv", "First Name", skipped, notes);
    each(&connections, skipped, notes, &mut records, &mut |r| {
        let email = r.get("Email Address");
        let name = r
            .name("First Name", "Last Name")
            .or_else(|| email.clone())
            .ok_or_else(|| msg!(FORMATS, "linkedin-no-name"))?;
        let url = r.get("URL");
        let mut f = Map::new();
        f.insert("name".into(), name.clone().into());
        put(&mut f, "organization", r.get("Company"));
        put(&mut f, "role", r.get("Position"));
        put(&mut f, "email", email.clone());
        put(&mut f, "url", url.clone());
        put(&mut f, "connected_on", r.date("Connected On"));
        // A connection's profile address is stable; without it, its name and email.
        let key = match url {
            Some(u) => crate::stable_key("connection", &[u.trim_end_matches('/').to_lowercase()]),
            None => crate::stable_key(
                "connection",
                &[key_part(Some(&name)), key_part(email.as_deref())],
            ),
        };
        Ok(incoming(Kind::Contact, key, f, CONNECTION_OWNS, r.at()))
    });
    out.records = records;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_linkedin_writes_them() {
        for (raw, want) in [
            ("2019", Some("2019")),
            ("Mar 2019", Some("2019-03")),
            ("March 2019", Some("2019-03")),
            ("14 Mar 2019", Some("2019-03-14")),
            ("Mar 14, 2019", Some("2019-03-14")),
            ("03/14/19", Some("2019-03-14")),
            ("03/14/19, 10:21 AM", Some("2019-03-14")),
            ("12/31/98", Some("1998-12-31")),
            ("03/14/2019", Some("2019-03-14")),
            ("2019/03/14 10:21:00 UTC", Some("2019-03-14")),
            ("2019-03-14", Some("2019-03-14")),
            ("2019-03", Some("2019-03")),
            ("Present", None),
            ("13/14/19", None),
            ("Feb 30 2019", None),
            ("Smarch 2019", None),
            ("", None),
        ] {
            assert_eq!(parse_date(raw).as_deref(), want, "{raw:?}");
        }
    }

    #[test]
    fn header_found_after_a_preamble_and_a_bom() {
        let data = "\u{feff}Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\n\nMore here.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAna,Lima,https://www.linkedin.com/in/ana,,Naval Group,Welder,14 Mar 2019\n";
        let mut files = BTreeMap::new();
        files.insert("Connections.csv", data.as_bytes().to_vec());
        let e = read_files(&files);
        assert_eq!(e.records.len(), 1, "{:?}", e.skipped);
        assert_eq!(e.records[0].fields["name"], "Ana Lima");
        assert_eq!(e.records[0].fields["connected_on"], "2019-03-14");
        assert!(e.skipped.is_empty(), "{:?}", e.skipped);
    }
}
