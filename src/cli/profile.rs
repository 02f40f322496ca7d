//! `musette profile`: the owner's own card (name, headline, contact details, summary), the
//! `basics` of a résumé. It is a contact carrying the vault's own did, so it syncs to the
//! owner's devices, shares and exports as vCard like any contact.

use std::path::PathBuf;

use anyhow::Result;
use musette_core::model::Kind;
use musette_core::{Edit, Vault};
use serde_json::{Map, Value, json};

use super::fields;
use crate::context::Context;
use crate::{clean, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Set a field: FIELD=VALUE. The contact fields (name, role, email, phone, url, notes)
    /// and any other; `label`, `summary` and `website` (a résumé's names) are role, notes and url.
    /// Repeatable.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// Remove a field. Repeatable.
    #[arg(long = "unset", value_name = "FIELD")]
    unset: Vec<String>,
    /// Set fields from a JSON object in FILE, or stdin with `-` (null removes a field).
    #[arg(long, value_name = "FILE")]
    from_json: Option<PathBuf>,
}

/// A résumé's name for a profile field, as the profile keeps it.
fn field_name(name: &str) -> &str {
    match name {
        "label" | "headline" => "role",
        "summary" => "notes",
        "website" => "url",
        other => other,
    }
}

/// The owner's profile ([`musette_formats::many::profile`]), with a note when two devices each
/// made one before they synced.
pub fn find(vault: &Vault) -> Result<Option<(String, Map<String, Value>)>> {
    let (profile, others) = musette_formats::many::profile(vault)?;
    if let Some((id, _)) = &profile
        && !others.is_empty()
    {
        eprintln!(
            "{}",
            crate::say::t(
                "cli-profile-several",
                &[
                    ("n", &(others.len() + 1).to_string()),
                    ("id", id),
                    ("others", &others.join(", ")),
                ],
            )
        );
    }
    Ok(profile)
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let mut set = Map::new();
    let mut unset = Vec::new();
    if let Some(path) = &args.from_json {
        let input = fields::read_json(path)?;
        if let Some(k) = input.kind.filter(|k| k != "contact") {
            return Err(exit::invalid(crate::say::t(
                "cli-profile-not-contact",
                &[("path", &path.display().to_string()), ("held", &k)],
            )));
        }
        for (name, value) in input.fields {
            let name = field_name(&name).to_string();
            if value.is_null() {
                unset.push(name);
            } else {
                set.insert(name, value);
            }
        }
    }
    for arg in &args.set {
        let (name, value) = fields::parse_set(arg)?;
        let name = field_name(&name).to_string();
        let v = musette_core::model::parse_cli_value(Kind::Contact, &name, &value);
        set.insert(name, v);
    }
    for name in &args.unset {
        musette_core::model::validate_field_name(name)?;
        unset.push(field_name(name).to_string());
    }
    let changing = !set.is_empty() || !unset.is_empty();
    if set.contains_key("did") || unset.iter().any(|n| n == "did") {
        return Err(exit::invalid(crate::say::t("cli-profile-did", &[])));
    }
    if unset.iter().any(|n| n == "name") {
        return Err(exit::invalid(crate::say::t("cli-profile-name", &[])));
    }
    let mut vault = ctx.open()?;
    let found = find(&vault)?;
    if !changing {
        let Some((id, _)) = found else {
            if ctx.json {
                return ctx.print_json(&Value::Null);
            }
            eprintln!("{}", crate::say::t("cli-no-profile", &[]));
            return Ok(());
        };
        return super::show::run(ctx, super::show::Args { id });
    }
    // A field a profile does not use is kept, but is likely a typo: said.
    const PROFILE_EXTRAS: &[&str] = &[
        "location",
        "image",
        "profiles",
        "interests",
        "industry",
        "source",
        "vcard",
    ];
    for name in set.keys() {
        if Kind::Contact.field(name).is_none() && !PROFILE_EXTRAS.contains(&name.as_str()) {
            eprintln!(
                "{}",
                crate::say::t("cli-profile-extra", &[("name", &format!("{name:?}"))])
            );
        }
    }
    let (id, changed, created) = match found {
        Some((id, _)) => {
            let edit = Edit {
                set,
                unset,
                ..Edit::default()
            };
            let changed = vault.edit(&id, &edit)?;
            (id, changed, false)
        }
        None => {
            if !set.contains_key("name") {
                return Err(exit::invalid(crate::say::t("cli-profile-new-name", &[])));
            }
            let did = vault.owner()?.did().to_string();
            set.insert("did".into(), did.into());
            let added = vault.add(Kind::Contact, set, &[])?;
            (added.id, true, true)
        }
    };
    if ctx.json {
        return ctx.print_json(&json!({ "id": id, "changed": changed, "created": created }));
    }
    eprintln!(
        "{}",
        crate::say::t(
            if created {
                "cli-profile-created"
            } else if changed {
                "cli-profile-updated"
            } else {
                "cli-profile-unchanged"
            },
            &[("id", &clean::line(&id))],
        )
    );
    Ok(())
}
