//! Record ids: 128 random bits written as 26 lowercase base32 characters. They say nothing
//! about the record, so they are stored in clear. Users may type any unique prefix of at least
//! [`MIN_PREFIX`] characters.

use crate::crypto::random_bytes;
use crate::error::{Error, Result};

/// The shortest prefix accepted for a record id.
pub const MIN_PREFIX: usize = 6;
/// The length of a full id.
pub const ID_LEN: usize = 26;

/// A fresh random id.
pub fn new_id() -> String {
    data_encoding::BASE32_NOPAD
        .encode(&random_bytes::<16>())
        .to_ascii_lowercase()
}

/// Checks the shape of an id or id prefix typed by a user and returns it normalised.
pub fn check_prefix(input: &str) -> Result<String> {
    let s = input.trim().to_ascii_lowercase();
    let ok_chars = s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b));
    if !ok_chars || s.len() > ID_LEN {
        return Err(Error::NotAnId(input.to_string()));
    }
    if s.len() < MIN_PREFIX {
        return Err(Error::ShortId(input.to_string()));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let a = new_id();
        assert_eq!(a.len(), ID_LEN);
        assert_ne!(a, new_id());
        assert_eq!(check_prefix(&a[..6].to_uppercase()).unwrap(), &a[..6]);
        assert!(check_prefix("abc").is_err());
        assert!(check_prefix("abc%de").is_err());
        assert!(check_prefix("abcde1").is_err());
    }
}
