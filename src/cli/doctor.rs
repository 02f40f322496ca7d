//! `musette doctor`

use anyhow::Result;

use crate::context::Context;
use crate::{exit, progress};

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> Result<()> {
    let vault = ctx.open()?;
    let bar = progress::items(0, "checking");
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
                "{} forgotten record(s) are remembered by id, so their rows cannot come back.",
                report.forgotten
            );
        }
        for p in &report.problems {
            println!(
                "DAMAGED {}: {}",
                crate::clean::line(&p.record),
                crate::clean::line(&p.what)
            );
        }
        if report.ok() {
            println!("{}", crate::say::t("cli-doctor-ok", &[]));
        }
    }
    if report.ok() {
        Ok(())
    } else {
        let advice = if report.problems.iter().all(|p| p.record != "vault") {
            "every other record opens. Restore damaged records from a backup, or `musette forget` them"
        } else {
            "see what each line above says to do"
        };
        Err(exit::damaged(format!(
            "{} problem(s) found; {advice}",
            report.problems.len()
        )))
    }
}
