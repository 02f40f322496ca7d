//! `musette doctor`

use anyhow::Result;

use crate::context::Context;
use crate::{exit, progress};

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> Result<()> {
    let vault = ctx.open()?;
    let bar = progress::items(0, &crate::say::t("cli-progress-checking", &[]));
    let report = vault.doctor(&mut |done, all| {
        bar.set_length(all as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    if ctx.json {
        ctx.print_json(&report)?;
    } else {
        println!(
            "{}",
            crate::say::t(
                "cli-doctor-checked",
                &[
                    ("records", &report.records.to_string()),
                    ("attachments", &report.attachments.to_string()),
                    ("bytes", &report.attachment_bytes.to_string()),
                ],
            )
        );
        if report.forgotten > 0 {
            println!(
                "{}",
                crate::say::n("cli-doctor-forgotten", report.forgotten, &[])
            );
        }
        for p in &report.problems {
            println!(
                "{}",
                crate::say::t(
                    "cli-doctor-damaged",
                    &[
                        ("record", &crate::clean::line(&p.record)),
                        ("what", &crate::clean::line(&p.what.say(crate::say::lang()))),
                    ],
                )
            );
        }
        if report.ok() {
            println!("{}", crate::say::t("cli-doctor-ok", &[]));
        }
    }
    if report.ok() {
        Ok(())
    } else {
        let id = if report.problems.iter().all(|p| p.record != "vault") {
            "cli-doctor-problems-records"
        } else {
            "cli-doctor-problems"
        };
        Err(exit::damaged(crate::say::n(id, report.problems.len(), &[])))
    }
}
