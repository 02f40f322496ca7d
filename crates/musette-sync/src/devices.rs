//! The devices this replica has synced with, remembered (in a sealed setting of this replica)
//! so that `sync` without a ticket reaches them, and `device list` shows them.

use crate::SYNC;
use musette_core::msg;
use serde::{Deserialize, Serialize};

use crate::settings;
use musette_core::Vault;

use crate::wire::DeviceCert;

const SETTING: &str = "devices";

/// A device of this vault that this replica has synced with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// Its device id (hex).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its endpoint id (hex).
    pub endpoint: String,
    /// Where it was last reached.
    pub addrs: Vec<String>,
    /// When it last synced with this replica (seconds since the Unix epoch).
    pub last_sync: u64,
}

/// The devices remembered, most recent first.
pub fn known(vault: &Vault) -> musette_core::Result<Vec<Known>> {
    settings::read(vault, SETTING)
}

/// Remembers (or refreshes) the device `cert` names; `addrs` replace the known ones when given.
pub fn remember(
    vault: &mut Vault,
    cert: &DeviceCert,
    addrs: &[String],
) -> musette_core::Result<()> {
    let mut all = known(vault)?;
    let id = musette_core::crypto::hex(&cert.device);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let old_addrs = all
        .iter()
        .find(|k| k.id == id)
        .map(|k| k.addrs.clone())
        .unwrap_or_default();
    all.retain(|k| k.id != id);
    all.insert(
        0,
        Known {
            id,
            name: cert.name.clone(),
            endpoint: musette_core::crypto::hex(&cert.endpoint),
            addrs: if addrs.is_empty() {
                old_addrs
            } else {
                addrs.to_vec()
            },
            last_sync: now,
        },
    );
    all.truncate(64);
    settings::write(vault, SETTING, &all)
}

const NAME: &str = "name";

/// The name this device goes by, remembered (`None` until one was given).
pub fn own_name(vault: &Vault) -> musette_core::Result<Option<String>> {
    settings::read(vault, NAME)
}

/// The name this device goes by: `given` (`--name`), remembered from now on; else the one
/// remembered (given at `device join` or by an earlier `--name`); else `fallback` (the host's).
pub fn name_this(
    vault: &mut Vault,
    given: Option<&str>,
    fallback: &str,
) -> musette_core::Result<String> {
    match given.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => {
            if own_name(vault)?.as_deref() != Some(name) {
                settings::write(vault, NAME, &name)?;
            }
            Ok(name.to_string())
        }
        None => Ok(own_name(vault)?.unwrap_or_else(|| fallback.to_string())),
    }
}

/// The host's name (`HOSTNAME`, else `/etc/hostname`), or `this device`.
pub fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this device".into())
}

const HANDOVER: &str = "handover";

/// What this device keeps after making new keys (removing another device, or `rekey`): the
/// certificate epoch of the keys from
/// before, and the devices still to be handed the new keys (they connect with certificates made
/// under the old keys, which only this device still accepts, once, from them alone).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    /// [`Vault::key_epoch`] of the keys from before the removal (hex).
    pub old_epoch: String,
    /// Epochs of keys before those (hex, newest first), which devices still waiting may hold:
    /// a second change before they synced does not shut them out.
    #[serde(default)]
    pub older: Vec<String>,
    /// The devices that have not yet taken the new keys.
    pub pending: Vec<Known>,
    /// Every device removed from this vault.
    pub removed: Vec<Known>,
    /// The last new keys were made with no device removed (`rekey`): the devices handed them
    /// are told so, not of the removals before (they took those keys already).
    #[serde(default)]
    pub rekeyed: bool,
}

/// A device as a listing shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    /// Its device id (hex).
    pub id: String,
    /// Its name (for this one, the name it goes by: the one given, or the host's until then).
    pub name: String,
    /// Whether it is this device.
    pub this_device: bool,
    /// When it last synced with this one (seconds since the Unix epoch; none for this one).
    pub last_sync: Option<u64>,
    /// Where it was last reached.
    pub addrs: Vec<String>,
    /// It has not taken the vault's new keys yet (it must sync from its side).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub waiting_for_keys: bool,
    /// It was removed from the vault.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
}

/// This device, the devices it synced with, and those removed from the vault: what `musette
/// device list` and the web app's devices page show.
pub fn listing(vault: &Vault) -> musette_core::Result<Vec<Listed>> {
    let handover = handover(vault)?;
    let mut rows = vec![Listed {
        id: vault.device_id(),
        name: own_name(vault)?.unwrap_or_else(host_name),
        this_device: true,
        last_sync: None,
        addrs: Vec::new(),
        waiting_for_keys: false,
        removed: false,
    }];
    rows.extend(known(vault)?.into_iter().map(|k| Listed {
        waiting_for_keys: handover.pending.iter().any(|p| p.id == k.id),
        id: k.id,
        name: k.name,
        this_device: false,
        last_sync: (k.last_sync > 0).then_some(k.last_sync),
        addrs: k.addrs,
        removed: false,
    }));
    rows.extend(handover.removed.into_iter().map(|k| Listed {
        id: k.id,
        name: k.name,
        this_device: false,
        // Zero when it was removed on another device before this one ever synced with it.
        last_sync: (k.last_sync > 0).then_some(k.last_sync),
        addrs: Vec::new(),
        waiting_for_keys: false,
        removed: true,
    }));
    Ok(rows)
}

/// The handover state (empty when no device was ever removed here).
pub fn handover(vault: &Vault) -> musette_core::Result<Handover> {
    settings::read(vault, HANDOVER)
}

/// The remembered device `which` names (its name, or 6 or more characters of its id).
pub fn find(vault: &Vault, which: &str) -> musette_core::Result<Known> {
    let all = known(vault)?;
    let mut found: Vec<Known> = all
        .into_iter()
        .filter(|k| k.name == which || (which.len() >= 6 && k.id.starts_with(which)))
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        // A few characters of an id: too few to name one.
        0 if !which.is_empty()
            && which.len() < 6
            && which.chars().all(|c| c.is_ascii_hexdigit()) =>
        {
            Err(musette_core::Error::Invalid(msg!(
                SYNC,
                "device-short",
                which = format!("{which:?}")
            )))
        }
        0 => Err(musette_core::Error::Invalid(msg!(
            SYNC,
            "device-none",
            which = format!("{which:?}")
        ))),
        n => Err(musette_core::Error::Invalid(msg!(
            SYNC,
            "device-ambiguous",
            n = n,
            which = format!("{which:?}")
        ))),
    }
}

/// The most epochs of earlier keys kept for devices still waiting.
const OLDER_EPOCHS: usize = 8;

/// Notes the current keys as the ones before the change about to be made: the epoch before
/// them stays acceptable while devices still wait for keys (they may hold those).
fn note_epoch(vault: &Vault, state: &mut Handover) {
    if state.pending.is_empty() {
        state.older.clear();
    } else if !state.old_epoch.is_empty() && !state.older.contains(&state.old_epoch) {
        state.older.insert(0, state.old_epoch.clone());
        state.older.truncate(OLDER_EPOCHS);
    }
    state.old_epoch = musette_core::crypto::hex(&vault.key_epoch());
}

/// The removal of `gone`, planned before the keys change (nothing is written): the current
/// key epoch, and the devices to hand the new keys to (every other remembered device).
pub fn plan_removal(vault: &Vault, gone: &Known) -> musette_core::Result<Handover> {
    let mut state = handover(vault)?;
    note_epoch(vault, &mut state);
    state.rekeyed = false;
    // Devices still waiting from an earlier removal wait for the newest keys now; those
    // removed before stay removed.
    state.pending = known(vault)?
        .into_iter()
        .filter(|k| k.id != gone.id && !state.removed.iter().any(|r| r.id == k.id))
        .collect();
    if !state.removed.iter().any(|k| k.id == gone.id) {
        state.removed.push(gone.clone());
    }
    Ok(state)
}

/// [`plan_removal`] for new keys made with no device removed (`musette rekey`): every device
/// known here, and not removed, takes them at its next sync with this one.
pub fn plan_rekey(vault: &Vault) -> musette_core::Result<Handover> {
    let mut state = handover(vault)?;
    note_epoch(vault, &mut state);
    state.rekeyed = true;
    state.pending = known(vault)?
        .into_iter()
        .filter(|k| !state.removed.iter().any(|r| r.id == k.id))
        .collect();
    Ok(state)
}

/// Makes the vault's keys anew (`musette rekey`, `passwd --rekey`) so that this device's other
/// devices are handed them at their next sync with it, as after a removal (without it, they
/// would be refused as strangers). `new` is a new passphrase, if any. Returns the names of the
/// devices that take the new keys. As for [`remove`], nothing is written before the keys are.
pub fn rekey(
    vault: &mut Vault,
    passphrase: &[u8],
    new: Option<&[u8]>,
    kdf: Option<musette_core::KdfParams>,
    progress: &mut dyn FnMut(usize, usize),
    show: &mut dyn FnMut(&musette_core::Rekeyed) -> musette_core::Result<()>,
) -> musette_core::Result<Vec<String>> {
    let state = plan_rekey(vault)?;
    vault.rekey(passphrase, new, kdf, progress, show)?;
    commit_removal(vault, &state)?;
    Ok(state.pending.iter().map(|k| k.name.clone()).collect())
}

/// Writes a planned removal once the keys changed ([`Vault::rekey`] committed): the handover
/// state, and the removed device forgotten. Until then nothing was changed, so a removal that
/// fails or is cut before the new keys can be run again.
pub fn commit_removal(vault: &mut Vault, state: &Handover) -> musette_core::Result<()> {
    settings::write(vault, HANDOVER, state)?;
    let kept: Vec<Known> = known(vault)?
        .into_iter()
        .filter(|k| !state.removed.iter().any(|r| r.id == k.id))
        .collect();
    settings::write(vault, SETTING, &kept)
}

/// Removes the device `gone` (the command line's `device remove`, the app's Devices page): the
/// removal is planned, the vault re-keyed with `passphrase` (`show` gets the new recovery key
/// before anything is committed: if it fails, nothing changes), then the removal written and
/// audited. Returns the names of the devices that take the new keys at their next sync with
/// this one. Whatever runs on another handle of this vault (a node) holds the old keys: stop
/// it first, start it again after.
pub fn remove(
    vault: &mut Vault,
    gone: &Known,
    passphrase: &[u8],
    progress: &mut dyn FnMut(usize, usize),
    show: &mut dyn FnMut(&musette_core::Rekeyed) -> musette_core::Result<()>,
) -> musette_core::Result<Vec<String>> {
    // Planned first, written only once the new keys are in: a removal that fails or is cut
    // before changes nothing and can be run again.
    let state = plan_removal(vault, gone)?;
    vault.rekey(passphrase, None, None, progress, show)?;
    commit_removal(vault, &state)?;
    crate::peers::audit(
        vault,
        crate::peers::Event {
            event: "device-removed".into(),
            detail: Some(format!("device {} ({})", gone.name, gone.id)),
            ..Default::default()
        },
    )?;
    Ok(state.pending.iter().map(|k| k.name.clone()).collect())
}

/// Notes that the device `id` took the new keys (it synced with the current ones).
pub fn handed_over(vault: &mut Vault, id: &str) -> musette_core::Result<()> {
    let mut state = handover(vault)?;
    let before = state.pending.len();
    state.pending.retain(|k| k.id != id);
    if state.pending.len() != before {
        settings::write(vault, HANDOVER, &state)?;
    }
    Ok(())
}

/// After taking new keys from another device: forgets the devices it removed, and remembers
/// them as removed.
pub fn removed_elsewhere(
    vault: &mut Vault,
    removed: &[(String, String)],
) -> musette_core::Result<()> {
    let all = known(vault)?;
    let (gone, kept): (Vec<Known>, Vec<Known>) = all
        .into_iter()
        .partition(|k| removed.iter().any(|(id, _)| *id == k.id));
    let mut state = handover(vault)?;
    for k in gone {
        if !state.removed.iter().any(|r| r.id == k.id) {
            state.removed.push(k);
        }
    }
    // Keys taken from another device: whatever this one was to hand over (older keys) is
    // void, and a device removed anywhere is never handed anything.
    for (id, name) in removed {
        if !state.removed.iter().any(|r| r.id == *id) {
            state.removed.push(Known {
                id: id.clone(),
                name: name.clone(),
                endpoint: String::new(),
                addrs: Vec::new(),
                last_sync: 0,
            });
        }
    }
    state.pending.clear();
    settings::write(vault, HANDOVER, &state)?;
    settings::write(vault, SETTING, &kept)
}
