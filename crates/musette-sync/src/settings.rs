//! Typed access to this replica's sealed settings (peers, guilds, shares, received items,
//! co-signing requests, the audit log, devices): read one, or change one in a single
//! transaction (see [`musette_core::Vault::update_setting`]).

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::SYNC;
use musette_core::msg;
use musette_core::{Error, Result, Vault};

fn decode<T: DeserializeOwned + Default>(
    value: Option<serde_json::Value>,
    name: &str,
) -> Result<T> {
    match value {
        None => Ok(T::default()),
        Some(v) => serde_json::from_value(v).map_err(|_| Error::Damaged {
            record: "vault".into(),
            what: msg!(SYNC, "setting-decode", name = format!("{name:?}")),
        }),
    }
}

fn encode<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))
}

/// The setting `name` (its default when unset).
pub(crate) fn read<T: DeserializeOwned + Default>(vault: &Vault, name: &str) -> Result<T> {
    decode(vault.setting(name)?, name)
}

/// Changes the setting `name` in one transaction; nothing is written when `change` fails.
pub(crate) fn update<T, R>(
    vault: &mut Vault,
    name: &str,
    change: impl FnOnce(&mut T) -> Result<R>,
) -> Result<R>
where
    T: Serialize + DeserializeOwned + Default,
{
    vault.update_setting(name, |current| {
        let mut value: T = decode(current, name)?;
        let out = change(&mut value)?;
        Ok((encode(&value)?, out))
    })
}

/// Replaces the setting `name`.
pub(crate) fn write<T: Serialize>(vault: &mut Vault, name: &str, value: &T) -> Result<()> {
    vault.set_setting(name, &encode(value)?)
}
