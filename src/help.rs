//! The command line's help in the user's language. English is written in the code (clap's doc
//! comments); other languages come from a Fluent catalogue whose ids name a command and an
//! argument: `help-add` is `musette add`'s line, `help-add--tag` its `--tag` option's,
//! `help--vault` the global `--vault`'s. What a catalogue lacks stays in English.

use std::sync::LazyLock;

use clap::{Command, CommandFactory};
use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use musette_web::i18n::Lang;

use crate::cli::Cli;

/// The French help.
const FR: &str = include_str!("help.fr.ftl");

static FR_BUNDLE: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| {
    let mut bundle =
        FluentBundle::new_concurrent(vec![Lang::Fr.code().parse().unwrap_or_default()]);
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(FR.to_string()).unwrap_or_else(|(partial, _)| partial);
    // A duplicate id keeps the first; the test below refuses them.
    let _ = bundle.add_resource(resource);
    bundle
});

/// A help line of the catalogue, if it has one.
fn line(bundle: &FluentBundle<FluentResource>, id: &str) -> Option<String> {
    let message = bundle.get_message(id)?;
    let pattern = message.value()?;
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, None, &mut errors)
            .into_owned(),
    )
}

/// The command line, its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command();
    match lang {
        Lang::Fr => {
            // Built first, so clap's own `help` commands are there to be said in French too.
            cmd.build();
            localize(cmd, &FR_BUNDLE, "help", true)
        }
        _ => cmd,
    }
}

/// The placeholders of values, in French (`<FILE>` is `<FICHIER>`).
fn value_name(name: &str) -> Option<&'static str> {
    Some(match name {
        "FILE" => "FICHIER",
        "DIR" => "DOSSIER",
        "FIELD=VALUE" => "CHAMP=VALEUR",
        "FIELD" => "CHAMP",
        "COMMAND" => "COMMANDE",
        "KIND" => "TYPE",
        "TAG" => "ÉTIQUETTE",
        "VAR" => "VARIABLE",
        "DURATION" => "DURÉE",
        "NAME" => "NOM",
        "TEXT" => "TEXTE",
        "ADDR" => "ADRESSE",
        "FORMAT" => "FORMAT",
        "DEVICE" => "APPAREIL",
        "PEER" => "PAIR",
        "GUILD" => "GUILDE",
        "INVITATION" => "INVITATION",
        "TICKET" => "TICKET",
        "FIELDS" => "CHAMPS",
        "IMAGE" => "IMAGE",
        "MIB" => "MIO",
        "DAYS" => "JOURS",
        "SORT" => "ORDRE",
        "REQUEST" => "DEMANDE",
        "SIGNED" => "COSIGNÉ",
        "PEER|GUILD" => "PAIR|GUILDE",
        "PEER|DEVICE|TICKET" => "PAIR|APPAREIL|TICKET",
        _ => return None,
    })
}

fn localize(
    mut cmd: Command,
    bundle: &FluentBundle<FluentResource>,
    key: &str,
    top: bool,
) -> Command {
    if let Some(about) = line(bundle, key) {
        cmd = cmd.about(about).long_about(None);
    }
    // The headings written here, with French spacing (clap's would read `Commandes:`).
    let mut template = String::from("{before-help}{about-with-newline}\nUtilisation : {usage}\n\n");
    if cmd.has_subcommands() {
        template.push_str("Commandes :\n{subcommands}\n\n");
        cmd = cmd.subcommand_value_name("COMMANDE");
    }
    if cmd.get_positionals().next().is_some() {
        template.push_str("Arguments :\n{positionals}\n\n");
    }
    template.push_str("Options :\n{options}{after-help}");
    cmd = cmd.help_template(template);
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_global_set()))
        .collect();
    for (id, global) in ids {
        // A global option is said once, at the top (`help--vault`), for every command.
        let id_key = if global && !top {
            format!("help--{id}")
        } else {
            format!("{key}--{id}")
        };
        let help = line(bundle, &id_key).or_else(|| match id.as_str() {
            "help" => Some("Afficher l'aide".to_string()),
            "version" => Some("Afficher la version".to_string()),
            _ => None,
        });
        cmd = cmd.mut_arg(id.as_str(), |mut a| {
            let mut help = help.or_else(|| a.get_help().map(ToString::to_string));
            // Defaults and variables said in French, after the help.
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty()
                && !a.is_hide_default_value_set()
                && a.get_action().takes_values()
            {
                help = help.map(|h| format!("{h} [par défaut\u{202f}: {}]", defaults.join(", ")));
                a = a.hide_default_value(true);
            }
            // The values it takes, in French too (`kind` stays `kind`: it is what is typed).
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if !values.is_empty() && !a.is_hide_possible_values_set() {
                // A help line that names them all already says it.
                let said = help
                    .as_deref()
                    .is_some_and(|h| values.iter().all(|v| h.contains(v.as_str())));
                if !said {
                    help = help.map(|h| format!("{h} [valeurs\u{202f}: {}]", values.join(", ")));
                }
                a = a.hide_possible_values(true);
            }
            if let Some(var) = a.get_env().map(|v| v.to_string_lossy().into_owned())
                && !a.is_hide_env_set()
            {
                help = help.map(|h| format!("{h} [variable\u{202f}: {var}]"));
                a = a.hide_env(true);
            }
            let names: Vec<clap::builder::Str> = a
                .get_value_names()
                .map(<[clap::builder::Str]>::to_vec)
                .unwrap_or_default();
            let positional = names.is_empty() && a.is_positional();
            let upper = a.get_id().as_str().to_uppercase();
            if positional && let Some(f) = value_name(&upper) {
                a = a.value_name(f);
            } else if names.iter().any(|n| value_name(n.as_str()).is_some()) {
                let french: Vec<clap::builder::Str> = names
                    .iter()
                    .map(|n| value_name(n.as_str()).map_or_else(|| n.clone(), Into::into))
                    .collect();
                a = a.value_names(french);
            }
            match help {
                Some(h) => a.help(h).long_help(None),
                None => a,
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_key = format!("{key}-{name}");
        cmd = if name == "help" {
            // clap's `help COMMAND`: each line is the command's own.
            cmd.mut_subcommand("help", |c| help_tree(c, bundle, key))
        } else {
            cmd.mut_subcommand(name.as_str(), |c| localize(c, bundle, &sub_key, false))
        };
    }
    if top {
        cmd = cmd.after_help(crate::exit::TABLE_FR);
    }
    cmd
}

/// clap's `help` command under the command `key`, and its own commands, in French.
fn help_tree(mut cmd: Command, bundle: &FluentBundle<FluentResource>, key: &str) -> Command {
    cmd = cmd.about("Afficher ce message, ou l'aide de la commande donnée");
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_key = format!("{key}-{name}");
        cmd = cmd.mut_subcommand(name.as_str(), |c| {
            let c = match line(bundle, &sub_key) {
                Some(about) => c.about(about),
                None => c,
            };
            help_tree(c, bundle, &sub_key)
        });
    }
    cmd
}

/// Every help id the command line has, with its English text: what a catalogue may translate.
#[cfg(test)]
pub fn ids() -> Vec<(String, String)> {
    fn walk(cmd: &mut Command, key: &str, top: bool, out: &mut Vec<(String, String)>) {
        out.push((
            key.to_string(),
            cmd.get_about().map(ToString::to_string).unwrap_or_default(),
        ));
        for a in cmd.get_arguments() {
            if (a.is_global_set() && !top) || matches!(a.get_id().as_str(), "help" | "version") {
                continue;
            }
            out.push((
                format!("{key}--{}", a.get_id()),
                a.get_help().map(ToString::to_string).unwrap_or_default(),
            ));
        }
        for s in cmd.get_subcommands_mut() {
            if s.get_name() == "help" {
                continue;
            }
            let k = format!("{key}-{}", s.get_name());
            walk(s, &k, false, out);
        }
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&mut cmd, "help", true, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_french_help_line_names_a_command_or_an_option() {
        let known: std::collections::HashSet<String> = ids().into_iter().map(|(k, _)| k).collect();
        let resource = fluent_syntax::parser::parse(FR).expect("the French help parses");
        assert!(!resource.body.is_empty());
        let mut seen = std::collections::HashSet::new();
        for entry in resource.body {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                let id = m.id.name.to_string();
                assert!(known.contains(&id), "{id} names no command or option");
                assert!(seen.insert(id.clone()), "{id} twice");
            }
        }
    }

    #[test]
    fn every_command_and_option_has_its_french_line() {
        for (id, english) in ids() {
            assert!(
                line(&FR_BUNDLE, &id).is_some(),
                "{id} has no French line (English: {english})"
            );
        }
    }

    #[test]
    fn the_french_help_of_every_command_says_nothing_in_english() {
        fn walk(cmd: &mut Command, path: &str, out: &mut Vec<(String, String)>) {
            out.push((path.to_string(), cmd.render_help().to_string()));
            // clap's `help` commands show no help of their own (`musette help add` shows
            // `add`'s, and `help --help` is refused).
            for sub in cmd.get_subcommands_mut().filter(|s| s.get_name() != "help") {
                let p = format!("{path} {}", sub.get_name());
                walk(sub, &p, out);
            }
        }
        let mut cmd = command(Lang::Fr);
        cmd.build();
        let mut helps = Vec::new();
        walk(&mut cmd, "musette", &mut helps);
        assert!(helps.len() > 40, "{} commands", helps.len());
        for (path, text) in &helps {
            for english in [
                "possible values",
                "[default:",
                "[env:",
                "Usage:",
                "Options:",
                "Print help",
            ] {
                assert!(
                    !text.contains(english),
                    "`{path} --help` in French says {english:?}:\n{text}"
                );
            }
        }
        // Placeholders are French too, where French has a word of its own.
        for english in [
            "<SORT>",
            "<PEER|",
            "<REQUEST>",
            "<SIGNED>",
            "<FILE>",
            "<DIR>",
        ] {
            for (path, text) in &helps {
                assert!(!text.contains(english), "`{path} --help`: {english}");
            }
        }
        let list = &helps.iter().find(|(p, _)| p == "musette list").unwrap().1;
        assert!(
            list.contains("[valeurs\u{202f}: kind, date, title, updated]"),
            "{list}"
        );
    }

    #[test]
    #[ignore = "prints what may be translated"]
    fn print_ids() {
        for (k, v) in ids() {
            println!("{k} = {v}");
        }
    }
}
