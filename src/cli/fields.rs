//! Field input shared by `add` and `edit`: `--set FIELD=VALUE` and `--from-json FILE|-`.

use std::io::Read;
use std::path::Path;

use anyhow::Result;
use musette_core::model::{self, Kind};
use serde_json::{Map, Value};

use crate::exit;

/// Splits `FIELD=VALUE`.
pub fn parse_set(arg: &str) -> Result<(String, String)> {
    let (field, value) = arg.split_once('=').ok_or_else(|| {
        exit::invalid(crate::say::t(
            "cli-set-no-equals",
            &[("arg", &format!("{arg:?}"))],
        ))
    })?;
    model::validate_field_name(field)?;
    Ok((field.to_string(), value.to_string()))
}

/// Fields read from `--from-json`.
pub struct JsonInput {
    /// The fields.
    pub fields: Map<String, Value>,
    /// The kind named in the input, if it is a whole record.
    pub kind: Option<String>,
    /// The tags named in the input.
    pub tags: Vec<String>,
}

/// Reads a JSON object of fields from a file, or stdin for `-`. Accepts either the fields
/// themselves or a record as `show --json` prints it (`{"kind", "fields", "tags"}`); returns
/// the fields, the kind named in it and its tags.
pub fn read_json(path: &Path) -> Result<JsonInput> {
    let text = if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            exit::invalid(crate::say::t(
                "cli-cannot-read-stdin",
                &[("why", &e.to_string())],
            ))
        })?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| {
            exit::invalid(crate::say::t(
                "cli-cannot-read",
                &[
                    ("path", &path.display().to_string()),
                    ("why", &e.to_string()),
                ],
            ))
        })?
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        exit::invalid(crate::say::t(
            "cli-bad-json",
            &[
                ("path", &path.display().to_string()),
                ("why", &e.to_string()),
            ],
        ))
    })?;
    let Value::Object(mut map) = value else {
        return Err(exit::invalid(crate::say::t(
            "cli-json-not-object",
            &[("path", &path.display().to_string())],
        )));
    };
    if let Some(Value::Object(fields)) = map.get("fields").cloned()
        && map.contains_key("kind")
    {
        let kind = map.get("kind").and_then(Value::as_str).map(str::to_string);
        let tags = match map.remove("tags") {
            Some(Value::Array(items)) => items
                .into_iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        return Ok(JsonInput { fields, kind, tags });
    }
    Ok(JsonInput {
        fields: map,
        kind: None,
        tags: Vec::new(),
    })
}

/// Converts `--set` pairs to JSON values by the kind's field types.
pub fn set_values(kind: Kind, sets: &[String]) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for arg in sets {
        let (field, value) = parse_set(arg)?;
        let v = model::parse_cli_value(kind, &field, &value);
        out.insert(field, v);
    }
    Ok(out)
}

/// Warns on stderr about fields the kind does not know (kept, but maybe typos).
pub fn warn_extra(kind: Kind, extra: &[String]) {
    for name in extra {
        let standard = kind
            .fields()
            .iter()
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!(
            "{}",
            crate::say::t(
                "cli-extra-field",
                &[
                    ("name", &format!("{name:?}")),
                    ("article", musette_core::model::article(kind)),
                    ("kind", &crate::say::kind(kind)),
                    ("standard", &standard),
                ],
            )
        );
    }
}
