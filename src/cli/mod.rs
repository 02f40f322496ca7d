//! The command-line definition (clap) and dispatch: one subcommand a file.

mod add;
mod attach;
mod backup;
mod compact;
mod completions;
mod credential;
mod device;
mod doctor;
mod due;
mod edit;
mod export;
mod fields;
mod history;
mod id;
mod import;
mod init;
mod list;
mod net;
mod passwd;
mod peer;
mod profile;
mod recommend;
mod rekey;
mod rm;
mod serve;
mod share;
mod show;
mod ui;
mod unlock;
mod verify;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::context::Context;
use crate::exit;

/// A worker's portable backpack: contacts, experiences, skills, badges, evidence,
/// recommendations and documents, in an encrypted vault that works offline.
#[derive(Parser, Debug)]
#[command(name = "musette", version, after_help = exit::TABLE, max_term_width = 100)]
pub struct Cli {
    /// The vault folder [default: `musette` in your data directory, e.g. ~/.local/share/musette]
    #[arg(long, global = true, env = "MUSETTE_VAULT", value_name = "DIR")]
    vault: Option<PathBuf>,
    /// Print machine-readable JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// Read the passphrase from this file (its first line, whole).
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        conflicts_with = "passphrase_env"
    )]
    passphrase_file: Option<PathBuf>,
    /// Read the passphrase from the environment variable of this name.
    #[arg(long, global = true, value_name = "VAR")]
    passphrase_env: Option<String>,
    /// Never prompt: fail when a passphrase or confirmation would be asked.
    #[arg(long, global = true)]
    no_input: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a vault; prints its path and the recovery key (once).
    Init(init::Args),
    /// Start a session so later commands need no passphrase: `export MUSETTE_SESSION="$(musette unlock --raw)"`.
    Unlock(unlock::UnlockArgs),
    /// End the current session (MUSETTE_SESSION), or every session with --all.
    Lock(unlock::LockArgs),
    /// Add a record; prints its id.
    Add(add::Args),
    /// List records.
    List(list::Args),
    /// Show a record.
    Show(show::Args),
    /// What needs doing: documents overdue or due soon, badges expiring, co-signing requests.
    Due(due::Args),
    /// Change a record's fields or tags.
    Edit(edit::Args),
    /// Remove a record (reversible with `rm --undo ID`).
    Rm(rm::RmArgs),
    /// Destroy a record for good: its data key and content are deleted.
    Forget(rm::ForgetArgs),
    /// Attach a file to a record.
    Attach(attach::AttachArgs),
    /// Remove an attachment from a record.
    Detach(attach::DetachArgs),
    /// Write an attachment's content to a file.
    Get(attach::GetArgs),
    /// Show a record's changes: when, from which device, which fields.
    History(history::Args),
    /// Change the passphrase (the records are not re-encrypted).
    Passwd(passwd::PasswdArgs),
    /// Set a new passphrase with the recovery key.
    Recover(passwd::RecoverArgs),
    /// Replace the vault's keys: a new master key and recovery key, every session ended.
    ///
    /// Use it when a copy of the vault, a session token or the recovery key may have leaked, or
    /// when `doctor` says the recovery key no longer opens the vault. Key slots and tokens from
    /// before no longer open this vault. Records are not re-encrypted (see docs/security.md).
    Rekey(rekey::Args),
    /// Rebuild the vault file so the space freed by `forget` and `detach` goes back to the disk.
    Compact(compact::Args),
    /// Check every record, key and chunk; exit 5 if anything is damaged.
    Doctor(doctor::Args),
    /// Print your did:key, the public identity your credentials are signed with.
    Id(id::Args),
    /// Issue Verifiable Credentials from records.
    #[command(subcommand)]
    Credential(credential::CredentialCommand),
    /// Bundle several records, signed, for a recipient (a Verifiable Presentation).
    Present(credential::PresentArgs),
    /// Verify a credential or presentation: who signed what, and whether every proof holds.
    ///
    /// Works without a vault. With an unlocked vault (a session, or a passphrase option), signers
    /// who are among your contacts are shown by name.
    Verify(verify::Args),
    /// Co-signed recommendations: request, sign, accept.
    #[command(subcommand)]
    Recommend(recommend::RecommendCommand),
    /// Your profile (name, headline, contact details, summary): show it, or change it with --set.
    Profile(profile::Args),
    /// Import a file: a JSON Resume, a LinkedIn export, vCards, an Open Badge (JSON, or baked
    /// into PNG or SVG), or a credential someone gave you.
    Import(import::Args),
    /// Export a record in an open format.
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// The whole vault in one file, opened only with its passphrase or recovery key.
    Backup(backup::BackupArgs),
    /// Restore a backup into a new vault folder (--vault DIR); never over an existing vault.
    Restore(backup::RestoreArgs),
    /// Run this vault's node: your other devices and your peers sync with it (until Ctrl-C or
    /// SIGTERM).
    Serve(serve::ServeArgs),
    /// Print this vault's ticket, for your peers (`musette peer add`).
    ///
    /// With relays (the default) a peer finds this device by it wherever it is; with --no-relay
    /// it holds an address only with a fixed --bind ADDR:PORT (where `serve --bind` the same
    /// listens); otherwise give the one `musette serve` prints.
    Ticket(serve::TicketArgs),
    /// Sync with your devices and peers (or the one named), both ways.
    Sync(serve::SyncArgs),
    /// Your devices: pair a new one, list them, remove one.
    #[command(subcommand)]
    Device(device::DeviceCommand),
    /// Peers: employers, colleagues, mentors you share with.
    #[command(subcommand)]
    Peer(peer::PeerCommand),
    /// Guilds: named groups of peers.
    #[command(subcommand)]
    Guild(peer::GuildCommand),
    /// Share records (all their fields, or those you choose) with a peer or a guild.
    Share(share::ShareArgs),
    /// List what you share, with whom, which fields.
    Shares(share::SharesArgs),
    /// Stop sharing a record with a peer or guild (what it already received stays with it).
    Unshare(share::UnshareArgs),
    /// What others shared with you: from whom, which fields, revoked or not, verified or not.
    Received(share::ReceivedArgs),
    /// The log of what was shared with whom, sent, revoked, received, co-signed, and refused.
    Audit(share::AuditArgs),
    /// The web app, in your browser: served on this machine only (127.0.0.1), until Ctrl-C.
    ///
    /// Opens the default browser at a link that works once; `--json` prints
    /// `{"url","port","token"}`, the token being the API's (`Authorization: Bearer TOKEN`, see
    /// `/api/v1/openapi.json`).
    Ui(ui::Args),
    /// Print shell completions.
    Completions(completions::Args),
    /// Print the manual page (roff): `musette man > musette.1`.
    Man(completions::ManArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let ctx = Context {
        vault: cli.vault,
        json: cli.json,
        passphrase_file: cli.passphrase_file,
        passphrase_env: cli.passphrase_env,
        no_input: cli.no_input,
    };
    match cli.command {
        Command::Init(a) => init::run(&ctx, a),
        Command::Unlock(a) => unlock::unlock(&ctx, a),
        Command::Lock(a) => unlock::lock(&ctx, a),
        Command::Add(a) => add::run(&ctx, a),
        Command::List(a) => list::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Due(a) => due::run(&ctx, a),
        Command::Edit(a) => edit::run(&ctx, a),
        Command::Rm(a) => rm::rm(&ctx, a),
        Command::Forget(a) => rm::forget(&ctx, a),
        Command::Attach(a) => attach::attach(&ctx, a),
        Command::Detach(a) => attach::detach(&ctx, a),
        Command::Get(a) => attach::get(&ctx, a),
        Command::History(a) => history::run(&ctx, a),
        Command::Passwd(a) => passwd::passwd(&ctx, a),
        Command::Recover(a) => passwd::recover(&ctx, a),
        Command::Rekey(a) => rekey::run(&ctx, a),
        Command::Compact(a) => compact::run(&ctx, a),
        Command::Doctor(a) => doctor::run(&ctx, a),
        Command::Id(a) => id::run(&ctx, a),
        Command::Credential(c) => credential::run(&ctx, c),
        Command::Present(a) => credential::present(&ctx, a),
        Command::Verify(a) => verify::run(&ctx, a),
        Command::Recommend(c) => recommend::run(&ctx, c),
        Command::Profile(a) => profile::run(&ctx, a),
        Command::Import(a) => import::run(&ctx, a),
        Command::Export(c) => export::run(&ctx, c),
        Command::Backup(a) => backup::backup(&ctx, a),
        Command::Restore(a) => backup::restore(&ctx, a),
        Command::Serve(a) => serve::serve(&ctx, a),
        Command::Ticket(a) => serve::ticket(&ctx, a),
        Command::Sync(a) => serve::sync(&ctx, a),
        Command::Device(c) => device::run(&ctx, c),
        Command::Peer(c) => peer::peer(&ctx, c),
        Command::Guild(c) => peer::guild(&ctx, c),
        Command::Share(a) => share::share(&ctx, a),
        Command::Shares(a) => share::shares(&ctx, a),
        Command::Unshare(a) => share::unshare(&ctx, a),
        Command::Received(a) => share::received(&ctx, a),
        Command::Audit(a) => share::audit(&ctx, a),
        Command::Ui(a) => ui::run(&ctx, a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => completions::man(a),
    }
}

/// Contacts' names by did, to name signers; when they cannot be read (the vault is damaged:
/// `doctor` says how), signers are shown by did and a warning says why.
pub fn contacts(vault: &musette_core::Vault) -> std::collections::HashMap<String, String> {
    vault.contact_names().unwrap_or_else(|e| {
        eprintln!(
            "{}",
            crate::say::t(
                "cli-contacts-unreadable",
                &[("why", &crate::clean::line(&crate::say::error(&e)))],
            )
        );
        std::collections::HashMap::new()
    })
}
