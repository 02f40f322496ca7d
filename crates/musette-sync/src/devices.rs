//! The devices this replica has synced with, remembered (in a sealed setting of this replica)
//! so that `sync` without a ticket reaches them, and `device list` shows them.

use serde::{Deserialize, Serialize};

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
    Ok(vault
        .setting(SETTING)?
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default())
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
    let value =
        serde_json::to_value(&all).map_err(|e| musette_core::Error::Internal(e.to_string()))?;
    vault.set_setting(SETTING, &value)
}
