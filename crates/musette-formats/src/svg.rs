//! Badges baked into SVG images: an `openbadges:credential` element (Open Badges 3.0) or an
//! `openbadges:assertion` element (2.0) inside the root `svg` element, holding the JSON (usually
//! as CDATA); a 2.0 assertion may instead point to a hosted one with its `verify` attribute.

use quick_xml::Reader;
use quick_xml::events::Event;

use musette_core::msg;

use crate::{FORMATS, Result, malformed};

/// The Open Badges 3.0 namespace for baked SVG.
pub const OB3_NS: &str = "https://purl.imsglobal.org/ob/v3p0";
/// The Open Badges 2.0 namespace for baked SVG.
pub const OB2_NS: &str = "http://openbadges.org";

/// A badge found in an SVG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baked {
    /// `credential` (3.0) or `assertion` (2.0).
    pub element: String,
    /// The element's text (the badge JSON), trimmed of surrounding white space.
    pub text: String,
    /// A 2.0 assertion's `verify` attribute: where a hosted assertion lives.
    pub verify: Option<String>,
}

/// Whether the bytes look like an SVG document.
pub fn is_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_string();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    (t.starts_with('<')) && head.contains("<svg")
}

fn xml_error(e: impl std::fmt::Display) -> crate::FormatError {
    malformed(msg!(FORMATS, "svg-not-xml", why = e.to_string()))
}

/// Whether an element is a baked badge: `credential` or `assertion` under the `openbadges`
/// prefix (which bakers write without always declaring it) or a prefix the root declares for
/// an Open Badges namespace. Its local name when it is.
fn badge_element(
    e: &quick_xml::events::BytesStart<'_>,
    badge_prefixes: &[Vec<u8>],
) -> Option<&'static str> {
    let prefix = e.name().prefix()?;
    if prefix.as_ref() != b"openbadges" && !badge_prefixes.iter().any(|p| p == prefix.as_ref()) {
        return None;
    }
    match e.local_name().as_ref() {
        b"credential" => Some("credential"),
        b"assertion" => Some("assertion"),
        _ => None,
    }
}

fn verify_attribute(e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    e.attributes()
        .filter_map(|a| a.ok())
        .find(|a| a.key.local_name().as_ref() == b"verify")
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// Finds the baked badge of an SVG, if there is one. An SVG with two is refused: which one a
/// tool reads depends on the tool.
pub fn find_badge(svg: &str) -> Result<Option<Baked>> {
    let mut reader = Reader::from_str(svg);
    let mut inside: Option<Baked> = None;
    let mut found: Option<Baked> = None;
    let mut saw_svg = false;
    // The prefixes the root element binds to an Open Badges namespace.
    let mut badge_prefixes: Vec<Vec<u8>> = Vec::new();
    let one = |b: Baked, found: &mut Option<Baked>| -> Result<()> {
        if let Some(first) = found.as_ref() {
            return Err(malformed(msg!(
                FORMATS,
                "svg-two-badges",
                first = first.element.clone(),
                second = b.element
            )));
        }
        *found = Some(b);
        Ok(())
    };
    loop {
        match reader.read_event().map_err(xml_error)? {
            Event::Start(e) | Event::Empty(e) if inside.is_none() && !saw_svg => {
                if e.local_name().as_ref() != b"svg" {
                    return Err(malformed(msg!(FORMATS, "svg-root-not-svg")));
                }
                saw_svg = true;
                for a in e.attributes().filter_map(|a| a.ok()) {
                    if let Some(prefix) = a.key.as_ref().strip_prefix(b"xmlns:")
                        && matches!(a.value.as_ref(), v if v == OB3_NS.as_bytes() || v == OB2_NS.as_bytes())
                    {
                        badge_prefixes.push(prefix.to_vec());
                    }
                }
            }
            Event::Start(e) if inside.is_none() => {
                if let Some(name) = badge_element(&e, &badge_prefixes) {
                    inside = Some(Baked {
                        element: name.to_string(),
                        text: String::new(),
                        verify: verify_attribute(&e),
                    });
                }
            }
            Event::Empty(e)
                if inside.is_none() && badge_element(&e, &badge_prefixes) == Some("assertion") =>
            {
                one(
                    Baked {
                        element: "assertion".into(),
                        text: String::new(),
                        verify: verify_attribute(&e),
                    },
                    &mut found,
                )?;
            }
            Event::Text(t) => {
                if let Some(b) = inside.as_mut() {
                    b.text.push_str(&t.decode().map_err(xml_error)?);
                }
            }
            Event::CData(t) => {
                if let Some(b) = inside.as_mut() {
                    b.text.push_str(&t.decode().map_err(xml_error)?);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(b) = inside.as_mut() {
                    let c = match r.resolve_char_ref().map_err(xml_error)? {
                        Some(c) => c,
                        None => match r.decode().map_err(xml_error)?.as_ref() {
                            "quot" => '"',
                            "amp" => '&',
                            "lt" => '<',
                            "gt" => '>',
                            "apos" => '\'',
                            other => {
                                return Err(malformed(msg!(
                                    FORMATS,
                                    "svg-unknown-entity",
                                    entity = other
                                )));
                            }
                        },
                    };
                    b.text.push(c);
                }
            }
            Event::End(_) => {
                if let Some(mut b) = inside.take() {
                    b.text = b.text.trim().to_string();
                    one(b, &mut found)?;
                }
            }
            Event::Eof => {
                if inside.is_some() {
                    return Err(malformed(msg!(FORMATS, "svg-unended-badge")));
                }
                if !saw_svg {
                    return Err(malformed(msg!(FORMATS, "svg-no-svg")));
                }
                return Ok(found);
            }
            _ => {}
        }
    }
}

/// A copy of the SVG with `credential` baked in as the first child of the root element,
/// replacing any badge already baked (Open Badges 3.0 when `v3`, else 2.0).
pub fn bake(svg: &str, credential: &str, v3: bool) -> Result<String> {
    if credential.contains("]]>") {
        return Err(malformed(msg!(FORMATS, "svg-cdata-end")));
    }
    let svg = remove_badge(svg)?;
    let mut reader = Reader::from_str(&svg);
    let (ns, element) = if v3 {
        (OB3_NS, "credential")
    } else {
        (OB2_NS, "assertion")
    };
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event().map_err(xml_error)? {
            Event::Start(e) if e.local_name().as_ref() == b"svg" => {
                let end = reader.buffer_position() as usize;
                let has_ns = e
                    .attributes()
                    .filter_map(|a| a.ok())
                    .any(|a| a.key.as_ref() == b"xmlns:openbadges");
                let tag = &svg[before..end];
                let open = if has_ns {
                    tag.to_string()
                } else {
                    format!("{} xmlns:openbadges=\"{ns}\">", tag.trim_end_matches('>'))
                };
                return Ok(format!(
                    "{}{open}\n  <openbadges:{element}><![CDATA[{credential}]]></openbadges:{element}>{}",
                    &svg[..before],
                    &svg[end..]
                ));
            }
            Event::Empty(e) if e.local_name().as_ref() == b"svg" => {
                return Err(malformed(msg!(FORMATS, "svg-root-empty")));
            }
            Event::Start(_) | Event::Empty(_) => {
                return Err(malformed(msg!(FORMATS, "svg-root-not-svg")));
            }
            Event::Eof => return Err(malformed(msg!(FORMATS, "svg-no-svg"))),
            _ => {}
        }
    }
}

/// The SVG without its `openbadges:credential` / `openbadges:assertion` element.
fn remove_badge(svg: &str) -> Result<String> {
    let mut reader = Reader::from_str(svg);
    let mut start = None;
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event().map_err(xml_error)? {
            Event::Start(e) if start.is_none() => {
                let prefixed = e
                    .name()
                    .prefix()
                    .is_some_and(|p| p.as_ref() == b"openbadges");
                if prefixed && matches!(e.local_name().as_ref(), b"credential" | b"assertion") {
                    start = Some(before);
                }
            }
            Event::Empty(e) => {
                let prefixed = e
                    .name()
                    .prefix()
                    .is_some_and(|p| p.as_ref() == b"openbadges");
                if prefixed && start.is_none() {
                    let end = reader.buffer_position() as usize;
                    return Ok(format!("{}{}", &svg[..before], &svg[end..]));
                }
            }
            Event::End(e) if start.is_some() => {
                let prefixed = e
                    .name()
                    .prefix()
                    .is_some_and(|p| p.as_ref() == b"openbadges");
                if prefixed {
                    let end = reader.buffer_position() as usize;
                    let s = start.unwrap_or(before);
                    return Ok(format!("{}{}", &svg[..s], &svg[end..]));
                }
            }
            Event::Eof => return Ok(svg.to_string()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>"#;

    #[test]
    fn bake_then_find() {
        let baked = bake(PLAIN, r#"{"a": "<b>"}"#, true).unwrap();
        let found = find_badge(&baked).unwrap().unwrap();
        assert_eq!(found.element, "credential");
        assert_eq!(found.text, r#"{"a": "<b>"}"#);
        let rebaked = bake(&baked, r#"{"b": 1}"#, true).unwrap();
        assert_eq!(find_badge(&rebaked).unwrap().unwrap().text, r#"{"b": 1}"#);
        assert_eq!(rebaked.matches("openbadges:credential>").count(), 2);
        assert!(find_badge(PLAIN).unwrap().is_none());
    }

    #[test]
    fn escaped_text_and_hosted_assertions() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a.json">{&quot;x&quot;:1}</openbadges:assertion></svg>"#;
        let found = find_badge(svg).unwrap().unwrap();
        assert_eq!(found.text, r#"{"x":1}"#);
        assert_eq!(found.verify.as_deref(), Some("https://example.org/a.json"));
        let hosted = r#"<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a.json"/></svg>"#;
        let found = find_badge(hosted).unwrap().unwrap();
        assert!(found.text.is_empty());
    }

    #[test]
    fn two_badges_are_refused_and_declared_prefixes_are_read() {
        let two = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[{"a":1}]]></openbadges:credential><g><openbadges:credential><![CDATA[{"b":2}]]></openbadges:credential></g></svg>"#;
        let e = find_badge(two).unwrap_err();
        assert_eq!(e.msg().id(), "svg-two-badges");
        let hosted_and_baked = r#"<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a.json"/><openbadges:assertion>{"x":1}</openbadges:assertion></svg>"#;
        assert!(find_badge(hosted_and_baked).is_err());
        // Any prefix the root binds to the namespace.
        let ob = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0"><ob:credential><![CDATA[{"a":1}]]></ob:credential></svg>"#;
        let found = find_badge(ob).unwrap().unwrap();
        assert_eq!(
            (found.element.as_str(), found.text.as_str()),
            ("credential", r#"{"a":1}"#)
        );
        // Another prefix bound elsewhere is not a badge.
        let other = r#"<svg xmlns:ob="https://example.org/not-badges"><ob:credential>{"a":1}</ob:credential></svg>"#;
        assert_eq!(find_badge(other).unwrap(), None);
    }

    #[test]
    fn broken_svgs_are_refused() {
        assert!(find_badge("<svg><openbadges:credential>{").is_err());
        assert!(find_badge("<html></html>").is_err());
    }
}
