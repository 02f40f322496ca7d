//! `musette backup` and `musette restore`: the whole vault in one file, as sealed as it is.
//!
//! A backup is the vault file copied whole (SQLite's `VACUUM INTO`: every record with its full
//! history, attachments, keys, identity, peers, shares and settings, all sealed as they are on
//! disk), between a header and a tag:
//!
//! ```text
//! "MUSETTE-BACKUP\0\x01"  (16 bytes)
//! length of the image     (8 bytes, big-endian)
//! the image               (length bytes)
//! tag                     (32 bytes: HMAC-SHA-256 under a key derived from the master key,
//!                          over the first 24 bytes and the SHA-256 of the image)
//! ```
//!
//! So only the vault's passphrase or recovery key opens it, and a truncated or altered backup is
//! refused (exit 5) before anything is put in place. Both directions stream: memory stays flat
//! whatever the attachments weigh.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use musette_core::{Unlock, Vault};

use crate::context::Context;
use crate::{clean, exit, secret};

use musette_core::backup::MAGIC;

#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// The backup file to write.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct RestoreArgs {
    /// The backup file (`musette backup -o FILE`).
    file: PathBuf,
    /// Open the backup with the vault's recovery key (asked for) instead of its passphrase.
    #[arg(long)]
    recovery: bool,
    /// Read the recovery key from this file (implies --recovery).
    #[arg(long, value_name = "FILE")]
    recovery_key_file: Option<PathBuf>,
}

/// A folder only its owner can enter (the vault's rule, and a backup's while it is made).
fn owner_only(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// A new file only its owner can read.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Whether `path` would be written inside the vault's folder (a backup there could replace the
/// vault's own file).
fn inside(path: &Path, vault_dir: &Path) -> bool {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (parent.canonicalize(), vault_dir.canonicalize()) {
        (Ok(p), Ok(v)) => p.starts_with(v),
        _ => false,
    }
}

/// Why a folder cannot be written in.
fn cannot_write_in(dir: &Path, e: &std::io::Error) -> anyhow::Error {
    exit::invalid(crate::say::t(
        "cli-cannot-write-dir",
        &[
            ("dir", &dir.display().to_string()),
            ("why", &exit::folder_problem(e)),
        ],
    ))
}

pub fn backup(ctx: &Context, args: BackupArgs) -> Result<()> {
    let vault = ctx.open()?;
    let target = crate::output::Target::of(&args.output);
    if inside(target.path(), &ctx.vault_dir()?) {
        return Err(exit::invalid(crate::say::t(
            "cli-backup-inside",
            &[("path", &args.output.display().to_string())],
        )));
    }
    if args.output.is_dir() {
        return Err(exit::invalid(crate::say::t(
            "cli-backup-folder",
            &[("path", &args.output.display().to_string())],
        )));
    }
    // The vault's image is made beside the backup, or in the temporary folder when the
    // backup goes into a device or a pipe.
    let temp = std::env::temp_dir();
    let dir = match &target {
        crate::output::Target::Replace(p) => crate::output::folder_of(p),
        crate::output::Target::Into(_) => temp.as_path(),
    };
    let work = tempfile::Builder::new()
        .prefix(".musette-backup-")
        .tempdir_in(dir)
        .map_err(|e| cannot_write_in(dir, &e))?;
    owner_only(work.path())?;
    let image = work.path().join("vault.db");
    let mut out = crate::output::Sink::create(&args.output, ".musette-backup-")?;
    let bar = crate::progress::bytes(0, &crate::say::t("cli-progress-backing-up", &[]));
    let (len, hash) = {
        let mut w = std::io::BufWriter::new(out.file_mut());
        let written = vault.write_backup(&image, &mut w, &mut |n| {
            if bar.length() == Some(0) {
                bar.set_length(std::fs::metadata(&image).map(|m| m.len()).unwrap_or(0));
            }
            bar.inc(n);
        })?;
        w.flush()?;
        written
    };
    out.finish(&args.output)?;

    bar.finish_and_clear();
    if ctx.json {
        return ctx.print_json(&serde_json::json!({
            "file": args.output, "bytes": len + 56,
            "sha256": musette_core::crypto::hex(&hash),
        }));
    }
    eprintln!(
        "{}",
        crate::say::t(
            "cli-backed-up",
            &[
                ("size", &super::show::human_size(len)),
                ("path", &clean::line(&args.output.display().to_string())),
            ],
        )
    );
    Ok(())
}

pub fn restore(ctx: &Context, args: RestoreArgs) -> Result<()> {
    let target = ctx.vault_dir()?;
    if target.join("vault.db").exists()
        || (target.exists() && (!target.is_dir() || std::fs::read_dir(&target)?.next().is_some()))
    {
        return Err(exit::invalid(crate::say::t(
            "cli-restore-not-empty",
            &[("path", &target.display().to_string())],
        )));
    }
    let mut file = std::fs::File::open(&args.file).map_err(|e| {
        exit::invalid(crate::say::t(
            "cli-cannot-read",
            &[
                ("path", &args.file.display().to_string()),
                ("why", &e.to_string()),
            ],
        ))
    })?;
    let size = file.metadata()?.len();
    let damaged = |why: &str| {
        exit::damaged(crate::say::t(
            "cli-not-a-backup",
            &[("path", &args.file.display().to_string()), ("why", why)],
        ))
    };
    let mut head = [0u8; 24];
    if file.read_exact(&mut head).is_err() || &head[..16] != MAGIC {
        return Err(damaged(&crate::say::t("cli-backup-bad-start", &[])));
    }
    let len = u64::from_be_bytes(head[16..24].try_into().unwrap_or([0; 8]));
    if size != len.saturating_add(24 + 32) {
        return Err(damaged(&crate::say::t(
            "cli-backup-bad-size",
            &[
                ("size", &size.to_string()),
                (
                    "announced",
                    &24u64.saturating_add(len).saturating_add(32).to_string(),
                ),
            ],
        )));
    }
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let work = tempfile::Builder::new()
        .prefix(".musette-restore-")
        .tempdir_in(parent)
        .map_err(|e| cannot_write_in(parent, &e))?;
    owner_only(work.path())?;
    let bar = crate::progress::bytes(len, &crate::say::t("cli-progress-restoring", &[]));
    let hash = {
        let mut w = std::io::BufWriter::new(create_private(&work.path().join("vault.db"))?);
        let hash = musette_core::backup::copy_hashed(&mut file, &mut w, len, &mut |n| bar.inc(n))?;
        w.flush()?;
        w.get_ref().sync_all()?;
        hash
    };
    bar.finish_and_clear();
    let mut stored = [0u8; 32];
    file.read_exact(&mut stored)
        .map_err(|_| damaged(&crate::say::t("cli-backup-no-tag", &[])))?;
    // The tag's key comes from the master key: open the copy first (with this vault's
    // passphrase), then check the whole before anything is put in place.
    let opened = if args.recovery || args.recovery_key_file.is_some() {
        let key = secret::recovery_key(ctx, args.recovery_key_file.as_deref())?;
        Vault::open(work.path(), Unlock::Recovery(&key))
    } else {
        let passphrase = secret::passphrase(ctx)?;
        Vault::open(work.path(), Unlock::Passphrase(&passphrase))
    };
    let mut vault = opened.map_err(|e| match e {
        // The vault's own way back (`musette recover`) is no use on a backup.
        musette_core::Error::WrongPassphrase => {
            exit::locked(crate::say::t("cli-restore-wrong-passphrase", &[]))
        }
        musette_core::Error::WrongRecoveryKey => e.into(),
        other => damaged(&crate::say::t(
            "cli-backup-does-not-open",
            &[("why", &crate::say::error(&other))],
        )),
    })?;
    if !musette_core::backup::tag_holds(&vault.backup_key(), len, hash.as_ref(), &stored) {
        return Err(damaged(&crate::say::t("cli-backup-altered", &[])));
    }
    let report = vault.doctor(&mut |_, _| {})?;
    if report.problems.is_empty() {
        // A backup made before backups dropped their sessions: none opens the restored vault.
        vault.end_every_session()?;
    }
    drop(vault);
    if let Some(first) = report.problems.first() {
        return Err(damaged(&crate::say::n(
            "cli-backup-damaged",
            report.problems.len(),
            &[
                ("record", &first.record),
                ("what", &first.what.say(crate::say::lang())),
            ],
        )));
    }
    if target.exists() {
        std::fs::remove_dir(&target)?;
    }
    let kept = work.keep();
    std::fs::rename(&kept, &target).map_err(|e| {
        exit::invalid(crate::say::t(
            "cli-restore-cannot-move",
            &[
                ("path", &target.display().to_string()),
                ("why", &e.to_string()),
                ("kept", &kept.display().to_string()),
            ],
        ))
    })?;
    if ctx.json {
        return ctx.print_json(&serde_json::json!({ "vault": target, "bytes": len }));
    }
    eprintln!(
        "{}",
        crate::say::t(
            "cli-restored-vault",
            &[("path", &clean::line(&target.display().to_string()))],
        )
    );
    Ok(())
}
