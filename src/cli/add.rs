//! `musette add`

use std::path::PathBuf;

use anyhow::Result;
use musette_core::model::Kind;
use serde_json::json;

use super::fields;
use crate::context::Context;
use crate::exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// contact, experience, skill, badge, evidence, recommendation or document.
    #[arg(value_parser = parse_kind)]
    kind: Kind,
    /// A field: FIELD=VALUE (lists as a,b,c). Repeatable.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// Fields from a JSON object in FILE, or stdin with `-`.
    #[arg(long, value_name = "FILE")]
    from_json: Option<PathBuf>,
    /// A tag. Repeatable.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
}

pub fn parse_kind(s: &str) -> Result<Kind, musette_core::Error> {
    s.parse::<Kind>()
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let (mut record, mut tags) = (serde_json::Map::new(), Vec::new());
    if let Some(path) = &args.from_json {
        let input = fields::read_json(path)?;
        if let Some(k) = input.kind
            && k != args.kind.as_str()
        {
            return Err(exit::invalid(crate::say::t(
                "cli-json-not-kind",
                &[
                    ("path", &path.display().to_string()),
                    ("held", &k),
                    ("kind", &crate::say::kind(args.kind)),
                ],
            )));
        }
        record = input.fields;
        tags = input.tags;
    }
    record.extend(fields::set_values(args.kind, &args.set)?);
    tags.extend(args.tags);
    let mut vault = ctx.open()?;
    let added = vault.add(args.kind, record, &tags)?;
    fields::warn_extra(args.kind, &added.extra_fields);
    if ctx.json {
        ctx.print_json(&json!({ "id": added.id, "kind": args.kind }))?;
    } else {
        println!("{}", added.id);
    }
    Ok(())
}
