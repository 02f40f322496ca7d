//! Untrusted text made safe to print on a terminal.
//!
//! Much of what musette prints comes from elsewhere: a field typed or pasted into a record, a
//! badge or credential someone sent, an error quoting either. A terminal obeys the control
//! characters in such text: ESC starts sequences that set the window title (`ESC ] 0 ; … BEL`),
//! clear the screen (`ESC [ 2 J`), move the cursor or recolour what follows, and some terminals
//! answer them back as if typed; the C1 controls (U+0080–U+009F) do the same in one character
//! (U+009B is CSI); backspace and carriage return overwrite what was printed; and the
//! bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder it, so that
//! `gpj.exe` may read as `exe.jpg`.
//!
//! [`line`] shows each of these characters as its Rust escape, the form `{:?}` already gives in
//! quoted values of error messages, so one style shows everywhere: ESC as `\u{1b}`, BEL as
//! `\u{7}`, DEL as `\u{7f}`, U+009B as `\u{9b}`, U+202E as `\u{202e}`, tab, carriage return and
//! line feed as `\t`, `\r` and `\n`. [`block`] does the same but keeps line feeds, for a value
//! printed as a block of lines. Everything else, any letter of any script, is left alone. The
//! result is for reading, not for parsing (a value that holds the six characters `\u{1b}` shows
//! the same): `--json` gives the exact text, and [`JsonFormatter`] writes that JSON with the same
//! characters as `\u` escapes, so it is safe on a terminal too and still parses to the original.
//!
//! ```text
//! line("Welder\u{1b}]0;pwned\u{7}")  →  Welder\u{1b}]0;pwned\u{7}   (printed as these characters)
//! ```

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::ser::{Formatter, PrettyFormatter};

/// Whether a character must not reach a terminal as it is: C0 and C1 controls, DEL, the
/// line and paragraph separators (which some terminals and viewers break lines at), and the
/// bidirectional marks, embeddings, overrides and isolates.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let bad = |c: char| is_unsafe(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of untrusted text, safe for a terminal: every control and bidirectional formatting
/// character, line feeds included, shown as its escape (`\u{1b}`, `\n`).
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Untrusted text printed as a block of lines: as [`line`], but line feeds are kept.
pub fn block(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// Pretty JSON whose strings also escape what serde_json leaves raw (DEL, C1 controls,
/// bidirectional formatting) as `\u` escapes: still valid JSON that parses to the exact same
/// strings, and safe to show on a terminal. serde_json already escapes C0 controls.
/// Pretty by default; compact (one line) with `None`.
pub struct JsonFormatter(Option<PrettyFormatter<'static>>);

impl Default for JsonFormatter {
    fn default() -> Self {
        JsonFormatter(Some(PrettyFormatter::default()))
    }
}

/// Writes `value` as pretty JSON with [`JsonFormatter`], without an intermediate copy.
pub fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, JsonFormatter::default());
    value.serialize(&mut ser)
}

/// Writes `value` as JSON on one line (for a first line that scripts read while the command
/// goes on), escaped as [`write_json`] escapes.
pub fn write_json_line(
    out: &mut impl Write,
    value: &impl serde::Serialize,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, JsonFormatter(None));
    value.serialize(&mut ser)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

impl Formatter for JsonFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(is_unsafe) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        match &mut self.0 {
            Some(p) => p.begin_array(w),
            None => serde_json::ser::CompactFormatter.begin_array(w),
        }
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        match &mut self.0 {
            Some(p) => p.end_array(w),
            None => serde_json::ser::CompactFormatter.end_array(w),
        }
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        match &mut self.0 {
            Some(p) => p.begin_array_value(w, first),
            None => serde_json::ser::CompactFormatter.begin_array_value(w, first),
        }
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        match &mut self.0 {
            Some(p) => p.end_array_value(w),
            None => serde_json::ser::CompactFormatter.end_array_value(w),
        }
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        match &mut self.0 {
            Some(p) => p.begin_object(w),
            None => serde_json::ser::CompactFormatter.begin_object(w),
        }
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        match &mut self.0 {
            Some(p) => p.end_object(w),
            None => serde_json::ser::CompactFormatter.end_object(w),
        }
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        match &mut self.0 {
            Some(p) => p.begin_object_key(w, first),
            None => serde_json::ser::CompactFormatter.begin_object_key(w, first),
        }
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        match &mut self.0 {
            Some(p) => p.begin_object_value(w),
            None => serde_json::ser::CompactFormatter.begin_object_value(w),
        }
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        match &mut self.0 {
            Some(p) => p.end_object_value(w),
            None => serde_json::ser::CompactFormatter.end_object_value(w),
        }
    }
}

/// `text` as one word of a shell command a user may paste: as it is when it is safe, quoted
/// otherwise; with control characters escaped as [`line`] does.
pub fn shell_word(text: &str) -> String {
    let shown = line(text);
    shlex::try_quote(&shown).map_or_else(|_| format!("'{shown}'"), |q| q.into_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_and_text_is_kept() {
        assert_eq!(line("Welder, Nantes — 溶接工"), "Welder, Nantes — 溶接工");
        assert!(matches!(line("plain"), Cow::Borrowed(_)));
        assert_eq!(
            line("a\u{1b}]0;pwned\u{7}b\u{1b}[2J\u{9b}31m\u{7f}\u{8}\r\t\n\u{202e}\u{2066}"),
            r"a\u{1b}]0;pwned\u{7}b\u{1b}[2J\u{9b}31m\u{7f}\u{8}\r\t\n\u{202e}\u{2066}"
        );
        assert_eq!(block("one\ntwo\r\n"), "one\ntwo\\r\n");
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let shown = line(c.encode_utf8(&mut [0; 4])).into_owned();
            assert!(!shown.chars().any(is_unsafe), "{c:?} shows as {shown:?}");
        }
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw_and_round_trips() {
        let text = "x\u{1b}[2J\u{7}\u{7f}\u{85}\u{9b}\u{202e}\u{2069}é\"\\y";
        let value = serde_json::json!({ "title": text, "list": [text] });
        let mut out = Vec::new();
        write_json(&mut out, &value).unwrap();
        let shown = String::from_utf8(out).unwrap();
        assert!(!shown.chars().any(|c| is_unsafe(c) && c != '\n'), "{shown}");
        assert!(shown.contains(r"\u202e") && shown.contains('é'));
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, value);
        let mut pretty = Vec::new();
        serde_json::to_writer_pretty(&mut pretty, &serde_json::json!({ "a": [1, "b"] })).unwrap();
        let mut ours = Vec::new();
        write_json(&mut ours, &serde_json::json!({ "a": [1, "b"] })).unwrap();
        assert_eq!(ours, pretty);
    }
}
