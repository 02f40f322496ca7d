//! `musette edit`

use std::path::PathBuf;

use anyhow::Result;
use musette_core::Edit;
use musette_core::model;
use serde_json::json;

use super::fields;
use crate::context::Context;
use crate::exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The record id (or a unique prefix of at least 6 characters).
    id: String,
    /// Set a field: FIELD=VALUE (lists as a,b,c). Repeatable.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// Remove a field. Repeatable.
    #[arg(long = "unset", value_name = "FIELD")]
    unset: Vec<String>,
    /// Set fields from a JSON object in FILE, or stdin with `-` (null removes a field).
    #[arg(long, value_name = "FILE")]
    from_json: Option<PathBuf>,
    /// Add a tag. Repeatable.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Remove a tag. Repeatable.
    #[arg(long = "untag", value_name = "TAG")]
    untags: Vec<String>,
    /// Edit a signed recommendation without being asked (its signatures no longer count).
    #[arg(long)]
    yes: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    for arg in &args.set {
        fields::parse_set(arg)?;
    }
    for name in &args.unset {
        model::validate_field_name(name)?;
    }
    let json_input = args
        .from_json
        .as_deref()
        .map(fields::read_json)
        .transpose()?;
    if args.set.is_empty()
        && args.unset.is_empty()
        && json_input.is_none()
        && args.tags.is_empty()
        && args.untags.is_empty()
    {
        return Err(exit::invalid(crate::say::t("cli-edit-nothing", &[])));
    }
    let mut vault = ctx.open()?;
    let record = vault.show(&args.id)?;
    let kind = record.state.kind;
    let mut edit = Edit {
        add_tags: args.tags,
        remove_tags: args.untags,
        ..Edit::default()
    };
    if let Some(input) = json_input {
        if let Some(k) = input.kind
            && k != kind.as_str()
        {
            return Err(exit::invalid(crate::say::t(
                "cli-json-other-kind",
                &[
                    ("held", &k),
                    ("id", &record.id),
                    ("kind", &crate::say::kind(kind)),
                ],
            )));
        }
        for (name, value) in input.fields {
            if value.is_null() {
                edit.unset.push(name);
            } else {
                edit.set.insert(name, value);
            }
        }
        edit.add_tags.extend(input.tags);
    }
    edit.set.extend(fields::set_values(kind, &args.set)?);
    edit.unset.extend(args.unset);
    let extra: Vec<String> = edit
        .set
        .keys()
        .filter(|k| kind.field(k).is_none())
        .cloned()
        .collect();
    // Changing the text of a co-signed recommendation voids its signatures: say so, and ask.
    if (!edit.set.is_empty() || !edit.unset.is_empty())
        && let musette_core::recommend::Signatures::Valid(signers) = vault.signatures(&record)?
        && signers.len() > 1
    {
        confirm_void(ctx, &record.id, signers.len(), args.yes)?;
    }
    let changed = vault.edit(&record.id, &edit)?;
    fields::warn_extra(kind, &extra);
    if ctx.json {
        ctx.print_json(&json!({ "id": record.id, "changed": changed }))?;
    } else if changed {
        println!("{}", crate::say::t("cli-updated", &[("id", &record.id)]));
    } else {
        println!("{}", crate::say::t("cli-no-change", &[("id", &record.id)]));
    }
    Ok(())
}

/// Asks before an edit voids a recommendation's signatures (or refuses without a terminal,
/// unless `yes`).
fn confirm_void(ctx: &Context, id: &str, signers: usize, yes: bool) -> Result<()> {
    if yes {
        return Ok(());
    }
    let what = crate::say::n(
        "cli-edit-voids",
        signers.saturating_sub(1),
        &[("id", id), ("signers", &signers.to_string())],
    );
    if !crate::secret::can_prompt(ctx) {
        return Err(exit::invalid(format!(
            "{what}. {}",
            crate::say::t("cli-edit-add-yes", &[])
        )));
    }
    eprint!("{what}. {} ", crate::say::t("cli-edit-anyway", &[]));
    std::io::Write::flush(&mut std::io::stderr())?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if crate::say::yes(&answer) {
        Ok(())
    } else {
        Err(exit::invalid(crate::say::t(
            "cli-not-confirmed-changed",
            &[],
        )))
    }
}
