//! A file named on the command line to write to (`-o FILE`): a regular file is written beside
//! and renamed into place once whole, so a failure never leaves half a file; anything else
//! (`/dev/null`, a named pipe, `/dev/stdout`, a shell's `>(…)`) is written into, as a shell's
//! `>` would, and never replaced by a file.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::exit;

/// Where the bytes go.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A regular file, new or replaced. Through a symbolic link, the file it leads to: the
    /// link stays.
    Replace(PathBuf),
    /// Something that is not a regular file, written into.
    Into(PathBuf),
}

impl Target {
    /// Where `path` leads.
    pub fn of(path: &Path) -> Target {
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => {
                Target::Replace(std::fs::canonicalize(path).unwrap_or_else(|_| path.into()))
            }
            Ok(m) if !m.is_dir() => Target::Into(path.into()),
            _ => Target::Replace(dangling_link_target(path).unwrap_or_else(|| path.into())),
        }
    }

    /// The path written: the file replaced, or the one written into.
    pub fn path(&self) -> &Path {
        match self {
            Target::Replace(p) | Target::Into(p) => p,
        }
    }
}

/// Where a symbolic link that leads nowhere yet would lead: the file is made there.
fn dangling_link_target(path: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    let to = std::fs::read_link(path).ok()?;
    Some(match path.parent() {
        Some(dir) if to.is_relative() => dir.join(to),
        _ => to,
    })
}

/// The folder a new file at `path` is made in.
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A file being written to its [`Target`]: [`Sink::finish`] puts it in place.
pub struct Sink {
    target: Target,
    out: Out,
}

enum Out {
    Temp(tempfile::NamedTempFile),
    Direct(File),
}

impl Sink {
    /// Starts writing to `path` (`prefix` names the temporary file beside a regular one).
    pub fn create(path: &Path, prefix: &str) -> Result<Sink> {
        let target = Target::of(path);
        let out = match &target {
            Target::Replace(p) => {
                let dir = folder_of(p);
                let tmp = tempfile::Builder::new()
                    .prefix(prefix)
                    .tempfile_in(dir)
                    .map_err(|e| {
                        exit::invalid(crate::say::t(
                            "cli-cannot-write-in",
                            &[
                                ("path", &path.display().to_string()),
                                ("dir", &dir.display().to_string()),
                                ("why", &exit::folder_problem(&e)),
                            ],
                        ))
                    })?;
                Out::Temp(tmp)
            }
            Target::Into(p) => Out::Direct(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .map_err(|e| cannot_write(path, &e))?,
            ),
        };
        Ok(Sink { target, out })
    }

    /// The file to write.
    pub fn file_mut(&mut self) -> &mut File {
        match &mut self.out {
            Out::Temp(t) => t.as_file_mut(),
            Out::Direct(f) => f,
        }
    }

    /// Puts what was written in place: a regular file is synced and renamed over the target.
    pub fn finish(self, path: &Path) -> Result<()> {
        match self.out {
            Out::Temp(tmp) => {
                tmp.as_file().sync_all()?;
                tmp.persist(self.target.path())
                    .map_err(|e| cannot_write(path, &e.error))?;
            }
            Out::Direct(mut f) => f.flush().map_err(|e| cannot_write(path, &e))?,
        }
        Ok(())
    }

    /// Writes `bytes` whole to `path`.
    pub fn write(path: &Path, prefix: &str, bytes: &[u8]) -> Result<()> {
        let mut sink = Sink::create(path, prefix)?;
        sink.file_mut()
            .write_all(bytes)
            .map_err(|e| cannot_write(path, &e))?;
        sink.finish(path)
    }
}

fn cannot_write(path: &Path, e: &std::io::Error) -> anyhow::Error {
    exit::invalid(crate::say::t(
        "cli-cannot-write",
        &[
            ("path", &path.display().to_string()),
            ("why", &e.to_string()),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_replaced_and_everything_else_written_into() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.json");
        assert_eq!(Target::of(&file), Target::Replace(file.clone()));
        std::fs::write(&file, b"old").unwrap();
        let real = file.canonicalize().unwrap();
        assert_eq!(Target::of(&file), Target::Replace(real.clone()));
        assert_eq!(
            Target::of(Path::new("/dev/null")),
            Target::Into("/dev/null".into())
        );
        #[cfg(unix)]
        {
            // A link to a file: the file is replaced, the link stays a link.
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(Target::of(&link), Target::Replace(real.clone()));
            Sink::write(&link, ".t-", b"new").unwrap();
            assert!(
                std::fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(std::fs::read(&file).unwrap(), b"new");
            // A link to nothing yet: the file is made where it leads.
            let dangling = dir.path().join("dangling.json");
            std::os::unix::fs::symlink("made.json", &dangling).unwrap();
            Sink::write(&dangling, ".t-", b"made").unwrap();
            assert_eq!(
                std::fs::read(dir.path().join("made.json")).unwrap(),
                b"made"
            );
            assert!(
                std::fs::symlink_metadata(&dangling)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
        }
        // A named pipe is written into: its reader gets the bytes, and it stays a pipe.
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let pipe = dir.path().join("pipe");
            let made = std::process::Command::new("mkfifo")
                .arg(&pipe)
                .status()
                .unwrap();
            assert!(made.success(), "mkfifo: {made:?}");
            {
                assert_eq!(Target::of(&pipe), Target::Into(pipe.clone()));
                let reader = {
                    let pipe = pipe.clone();
                    std::thread::spawn(move || std::fs::read(pipe).unwrap())
                };
                Sink::write(&pipe, ".t-", b"through").unwrap();
                assert_eq!(reader.join().unwrap(), b"through");
                let ft = std::fs::symlink_metadata(&pipe).unwrap().file_type();
                assert!(ft.is_fifo());
            }
        }
    }
}
