//! Network failures as people read them, in their language.
//!
//! A refusal travels on the wire as its English text (the protocol carries no message ids):
//! [`refusal`] finds which of this crate's refusals a text is, so the device that receives it
//! says it in its user's language; a text it does not know (from another version) is shown as
//! it came.

use musette_core::i18n::{Arg, Msg};
use musette_core::msg;

use crate::SYNC;
use crate::node::NetError;
use crate::session::SyncError;

/// What a device or peer sends when it refuses (its English goes on the wire).
const REFUSALS: &[&str] = &[
    "refusal-other-vault",
    "refusal-not-this-peer",
    "refusal-unknown-peer",
    "refusal-not-a-device",
    "refusal-take-records",
    "refusal-send-records",
    "refusal-forgets",
    "refusal-peers",
    "refusal-keep",
    "refusal-peer-cert",
    "refusal-own-device",
    "refusal-busy",
];

/// Why a certificate was refused (inside `refusal-not-a-device`).
const CERT: &[&str] = &["cert-bad-signature", "cert-wrong-endpoint", "cert-bad-did"];

/// Whom a device could not reach, when it has no name for it.
const WHO: &[&str] = &["who-other-device", "who-device-at"];

/// Why a ticket cannot be read.
const TICKET: &[&str] = &[
    "ticket-prefix",
    "ticket-too-long",
    "ticket-checksum",
    "ticket-cut",
    "ticket-did",
    "ticket-endpoint",
    "ticket-invitation-prefix",
    "ticket-is-invitation",
    "invitation-is-ticket",
];

/// Which of `ids` `text` is, in English: a message without a detail said whole, or one whose
/// `$why` (or other argument) ends it, with what follows its fixed start.
fn find(ids: &[&'static str], text: &str, detail: &dyn Fn(&str) -> Msg) -> Option<Msg> {
    const HOLE: &str = "\u{1}";
    for id in ids {
        let english = Msg::new(
            &SYNC,
            id,
            vec![("why", HOLE.into()), ("prefix", HOLE.into())],
        )
        .to_string();
        match english.split_once(HOLE) {
            None if english == text => return Some(Msg::new(&SYNC, id, vec![])),
            Some((head, tail)) if !tail.contains(HOLE) => {
                if let Some(rest) = text.strip_prefix(head)
                    && let Some(why) = rest.strip_suffix(tail)
                {
                    let arg = Arg::from(detail(why));
                    return Some(Msg::new(
                        &SYNC,
                        id,
                        vec![("why", arg.clone()), ("prefix", arg)],
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

/// The ids this module recognises by (for the catalogue's test).
#[cfg(test)]
pub(crate) fn ids() -> Vec<&'static str> {
    REFUSALS
        .iter()
        .chain(CERT)
        .chain(TICKET)
        .chain(WHO)
        .copied()
        .collect()
}

fn as_is(text: &str) -> Msg {
    msg!(SYNC, "as-is", text = text)
}

/// A refusal as it came on the wire, as a message.
pub fn refusal(text: &str) -> Msg {
    let cert = |why: &str| find(CERT, why, &as_is).unwrap_or_else(|| as_is(why));
    find(REFUSALS, text, &cert).unwrap_or_else(|| as_is(text))
}

/// Why a ticket cannot be read, as a message.
pub fn ticket(text: &str) -> Msg {
    find(TICKET, text, &as_is).unwrap_or_else(|| as_is(text))
}

/// A failed exchange, as a message (its English is what it displays).
pub fn sync_error(e: &SyncError) -> Msg {
    match e {
        SyncError::Wire(w) => msg!(SYNC, "sync-wire", why = w.to_string()),
        SyncError::Refused(t) => msg!(SYNC, "sync-refused", why = refusal(t)),
        SyncError::Refusing(t) => msg!(SYNC, "sync-refusing", why = refusal(t)),
        SyncError::Protocol(t) => msg!(SYNC, "sync-protocol", why = t),
        SyncError::Vault(v) => v.to_msg(),
        SyncError::NewKeys(k) => {
            let names: Vec<&str> = k.removed.iter().map(|(_, n)| n.as_str()).collect();
            if names.is_empty() {
                msg!(SYNC, "sync-new-keys-rekey")
            } else {
                msg!(SYNC, "sync-new-keys", removed = names.join(", "))
            }
        }
    }
}

/// A network failure, as a message (its English is what it displays).
pub fn net_error(e: &NetError) -> Msg {
    match e {
        NetError::Bind(why) => msg!(SYNC, "net-bind", why = why),
        NetError::Address { addr, why } => msg!(SYNC, "net-address", addr = addr, why = why),
        NetError::Unreachable { who, why } => {
            let who = find(WHO, who, &as_is).unwrap_or_else(|| as_is(who));
            msg!(SYNC, "net-unreachable", who = who, why = why)
        }
        NetError::Sync(s) => sync_error(s),
        NetError::AlreadyServed => msg!(SYNC, "net-already-served"),
        NetError::KeysChanging => msg!(SYNC, "net-keys-changing"),
        NetError::BadTicket(why) => msg!(SYNC, "net-bad-ticket", why = ticket(why)),
        NetError::BadInvitation(why) => msg!(SYNC, "net-bad-invitation", why = ticket(why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use musette_core::i18n::Lang;

    fn both(e: &NetError) -> (String, String) {
        let m = net_error(e);
        (m.to_string(), m.say(Lang::Fr))
    }

    #[test]
    fn every_failure_reads_the_same_in_english_and_is_said_in_french() {
        let refused = |t: &str| NetError::Sync(SyncError::Refused(t.to_string()));
        let cases = [
            (NetError::AlreadyServed, "déjà"),
            (
                NetError::Unreachable {
                    who: "the device at 127.0.0.1:9".into(),
                    why: "timed out".into(),
                },
                "joindre l'appareil à 127.0.0.1:9",
            ),
            (NetError::Bind("127.0.0.1:1: in use".into()), "réseau"),
            (
                NetError::Address {
                    addr: "10.9.9.9:4000".into(),
                    why: "Cannot assign requested address (os error 99)".into(),
                },
                "écouter sur 10.9.9.9:4000",
            ),
            (
                NetError::Unreachable {
                    who: "acme".into(),
                    why: "timed out".into(),
                },
                "joindre acme",
            ),
            (
                NetError::BadTicket("it is cut or mistyped".into()),
                "coupé ou mal recopié",
            ),
            (
                NetError::BadTicket(
                    "it does not start with musette1: copy the whole ticket".into(),
                ),
                "ne commence pas par musette1",
            ),
            (refused("it holds another vault"), "un autre coffre"),
            (
                refused(
                    "this device is not one of this vault's: its certificate is not signed by this vault's owner",
                ),
                "pas signé par le propriétaire",
            ),
            (
                refused("could not take its records: record x is damaged"),
                "record x is damaged",
            ),
            (
                NetError::Sync(SyncError::Refusing(
                    "it is not the peer this ticket names".into(),
                )),
                "pas le pair",
            ),
            (
                NetError::Sync(SyncError::Protocol("expected a hello, got keys".into())),
                "protocole",
            ),
        ];
        for (e, french) in cases {
            let (en, fr) = both(&e);
            assert_eq!(en, e.to_string(), "the English is what it displays");
            assert!(fr.contains(french), "{fr:?} should contain {french:?}");
            assert_ne!(fr, en);
        }
        // A refusal from another version is shown as it came.
        let (en, fr) = both(&refused("some new reason"));
        assert_eq!(en, "the other device refused: some new reason");
        assert!(fr.ends_with("some new reason"), "{fr}");
    }

    #[test]
    fn an_invitation_given_for_a_ticket_and_the_other_way_round_are_said_as_such() {
        use crate::node::{Ticket, armor};
        use crate::pair::Invite;
        let ticket = Ticket {
            did: "did:key:z6Mk".into(),
            endpoint: [7; 32],
            addrs: vec!["127.0.0.1:9".parse().unwrap()],
        };
        let invitation = Invite::new(ticket.clone()).encode();
        let e = Ticket::decode(&invitation).unwrap_err();
        let (en, fr) = both(&e);
        assert!(
            en.contains("device invitation") && en.contains("device join"),
            "{en}"
        );
        assert!(fr.contains("invitation d'appareil"), "{fr}");
        let e = Invite::decode(&ticket.encode()).unwrap_err();
        let (en, fr) = both(&e);
        assert!(
            en.starts_with("that is not a musette invitation: it is a ticket")
                && en.contains("device invite"),
            "{en}"
        );
        assert!(
            fr.starts_with("ce n'est pas une invitation musette") && fr.contains("c'est un ticket"),
            "{fr}"
        );
        // Anything else is still told to copy the whole of it.
        let e = Ticket::decode(&armor("musettex", b"abc")).unwrap_err();
        assert!(e.to_string().contains("copy the whole ticket"), "{e}");
    }

    #[test]
    fn refusals_sent_are_the_ones_recognised() {
        // What the code sends is the English of these messages: each one is found again.
        for id in REFUSALS {
            let text = Msg::new(&SYNC, id, vec![("why", "x".into())]).to_string();
            let found = refusal(&text);
            assert_eq!(found.id(), *id, "{text}");
        }
        for id in TICKET {
            let text = Msg::new(&SYNC, id, vec![("prefix", "musette1".into())]).to_string();
            assert_eq!(ticket(&text).id(), *id, "{text}");
        }
    }
}
