//! # musette-sync
//!
//! Peer sync over iroh (QUIC, TLS 1.3, Ed25519 endpoint ids).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cert;
pub mod cosign;
pub mod devices;
pub mod due;
pub mod node;
pub mod pair;
pub mod peer_session;
pub mod peers;
pub mod reach;
pub mod replicate;
pub mod said;
pub mod session;
mod settings;
pub mod share;
pub mod spool;
pub mod wire;

/// This crate's messages, in English and French.
pub(crate) static SYNC: musette_core::i18n::Catalogue = musette_core::i18n::Catalogue::new(
    include_str!("../locales/en.ftl"),
    include_str!("../locales/fr.ftl"),
);

#[cfg(test)]
mod tests {
    #[test]
    fn the_catalogues_agree_and_hold_every_message_the_code_names() {
        let mut used = musette_core::i18n::used_ids(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        )
        .expect("the sources");
        // The names' messages are chosen by id in `peers::validate_name`.
        for id in [
            "name-empty",
            "name-long",
            "name-control",
            "name-shape",
            "name-musette",
        ] {
            used.push(id.to_string());
        }
        // Refusals, certificates and tickets are recognised by id in `said`.
        used.extend(crate::said::ids().into_iter().map(str::to_string));
        assert!(used.len() > 30, "{used:?}");
        let problems = super::SYNC.problems(&used);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
