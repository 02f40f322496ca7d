//! Attachments through the app in pieces: an upload's body is handed to the vault chunk by
//! chunk (the vault reads it on a blocking thread), a download's chunks are sent as the vault
//! writes them; a bounded channel between the two keeps memory flat whatever the file weighs.

use std::io::{Read, Write};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use musette_core::AttachmentInfo;
use tokio::sync::mpsc;

use crate::{App, WebError};

/// Chunks in flight between the request and the vault.
const IN_FLIGHT: usize = 8;

/// How long a transfer may wait for the other side (the client to send or to read) before it
/// gives up: the vault is held meanwhile, and a stalled client must not hold it for long.
const STALL: std::time::Duration = std::time::Duration::from_secs(30);

/// Waits for the other side of a transfer (`ready`) at most [`STALL`], and gives up at once
/// when the app is asked to lock: a transfer never keeps the vault's keys past a lock.
fn wait<T>(
    handle: &tokio::runtime::Handle,
    app: &App,
    ready: impl std::future::Future<Output = T>,
    what: &str,
) -> std::io::Result<T> {
    let stopped = || std::io::Error::other("the vault was locked: the transfer was stopped");
    if !app.unlocked() {
        return Err(stopped());
    }
    handle.block_on(async {
        let deadline = tokio::time::Instant::now() + STALL;
        let mut ready = std::pin::pin!(ready);
        loop {
            match tokio::time::timeout(std::time::Duration::from_millis(200), &mut ready).await {
                Ok(v) => return Ok(v),
                Err(_) if !app.unlocked() => return Err(stopped()),
                Err(_) if tokio::time::Instant::now() >= deadline => {
                    return Err(std::io::Error::other(format!("the {what} stalled")));
                }
                Err(_) => {}
            }
        }
    })
}

/// The least an upload must average once [`STALL`] has passed: one that trickles (a byte
/// now and then, each in time) would otherwise hold the vault as long as it likes.
const MIN_RATE: u64 = 1 << 20;

/// The vault's side of an upload: reads the chunks the request sends.
struct ChunkReader {
    rx: mpsc::Receiver<std::io::Result<Bytes>>,
    current: Bytes,
    handle: tokio::runtime::Handle,
    app: Arc<App>,
    started: std::time::Instant,
    read: u64,
    /// Set when the client broke the upload off, stalled or trickled: its fault, not the
    /// vault's.
    client_failed: Arc<std::sync::atomic::AtomicBool>,
}

impl ChunkReader {
    fn client_failed(&self, e: std::io::Error) -> std::io::Error {
        self.client_failed
            .store(true, std::sync::atomic::Ordering::SeqCst);
        e
    }
}

impl Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let elapsed = self.started.elapsed();
        if elapsed > STALL && self.read < MIN_RATE.saturating_mul(elapsed.as_secs()) {
            return Err(self.client_failed(std::io::Error::other("the upload is too slow")));
        }
        while self.current.is_empty() {
            let next = wait(&self.handle, &self.app, self.rx.recv(), "upload").map_err(|e| {
                if self.app.unlocked() {
                    self.client_failed(e)
                } else {
                    e
                }
            })?;
            match next {
                Some(Ok(b)) => self.current = b,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current = self.current.slice(n..);
        self.read += n as u64;
        Ok(n)
    }
}

/// Streams `body` into an attachment `name` of record `id`, refusing more than `limit` bytes
/// (413: nothing is attached).
pub(crate) async fn upload(
    app: &Arc<App>,
    id: String,
    name: String,
    body: Body,
    limit: u64,
) -> Result<AttachmentInfo, WebError> {
    upload_stream(app, id, name, body.into_data_stream(), limit).await
}

/// [`upload`] from any stream of chunks (a request body, a form's file field).
pub(crate) async fn upload_stream<S, E>(
    app: &Arc<App>,
    id: String,
    name: String,
    mut chunks: S,
    limit: u64,
) -> Result<AttachmentInfo, WebError>
where
    S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    use futures_util::StreamExt;
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(IN_FLIGHT);
    let app2 = app.clone();
    let app3 = app.clone();
    let handle = tokio::runtime::Handle::current();
    let client_failed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let failed = client_failed.clone();
    let writer = tokio::task::spawn_blocking(move || {
        app2.hold_vault(|vault| {
            let mut reader = ChunkReader {
                rx,
                current: Bytes::new(),
                handle,
                app: app3,
                started: std::time::Instant::now(),
                read: 0,
                client_failed: failed,
            };
            vault
                .attach(&id, &name, &mut reader, &mut |_| {})
                .map_err(WebError::from)
        })
    });
    let mut total = 0u64;
    let mut too_large = false;
    loop {
        // The vault side may stop first (a lock, an error): then the client is not waited for.
        let item = tokio::select! {
            item = chunks.next() => item,
            () = tx.closed() => break,
        };
        let Some(item) = item else { break };
        let chunk = match item {
            Ok(d) => d,
            Err(e) => {
                client_failed.store(true, std::sync::atomic::Ordering::SeqCst);
                let _ = tx
                    .send(Err(std::io::Error::other(format!(
                        "the upload broke off: {e}"
                    ))))
                    .await;
                break;
            }
        };
        total += chunk.len() as u64;
        if total > limit {
            too_large = true;
            let _ = tx
                .send(Err(std::io::Error::other("the upload is too large")))
                .await;
            break;
        }
        if tx.send(Ok(chunk)).await.is_err() {
            break;
        }
    }
    drop(tx);
    let out = writer
        .await
        .map_err(|e| WebError::internal(format!("a task failed: {e}")))?;
    if out.is_err() && !app.unlocked() {
        // Stopped by a lock: nothing was attached, and the vault is locked.
        return Err(WebError::locked());
    }
    if out.is_err() && client_failed.load(std::sync::atomic::Ordering::SeqCst) {
        // The client broke the upload off, stalled or trickled: nothing was attached.
        return Err(WebError::said(
            axum::http::StatusCode::BAD_REQUEST,
            "upload_incomplete",
            musette_core::msg!(crate::i18n::WEB, "error-upload-incomplete"),
        ));
    }
    if too_large {
        return Err(WebError::said(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            musette_core::msg!(
                crate::i18n::WEB,
                "error-upload-too-large",
                mib = limit >> 20
            ),
        ));
    }
    out
}

/// The vault's side of a download: sends what it writes.
struct ChunkWriter {
    tx: mpsc::Sender<std::io::Result<Bytes>>,
    handle: tokio::runtime::Handle,
    app: Arc<App>,
}

impl Write for ChunkWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let send = self.tx.send(Ok(Bytes::copy_from_slice(buf)));
        wait(&self.handle, &self.app, send, "download")?
            .map_err(|_| std::io::Error::other("the download was closed"))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The attachment `name` of record `id` as a streamed body, with its name, once the vault has
/// found it (a missing one is an error before anything is sent).
pub(crate) async fn download(
    app: &Arc<App>,
    id: String,
    name: String,
) -> Result<(Body, String, u64), WebError> {
    let (found_name, size) = {
        let (id, name) = (id.clone(), name.clone());
        app.with_vault(move |v| {
            let r = v.show(&id)?;
            let a = r
                .state
                .attachments
                .iter()
                .find(|a| a.name == name)
                .ok_or_else(|| musette_core::Error::NoSuchAttachment {
                    record: r.id.clone(),
                    name: name.clone(),
                })?;
            Ok((a.name.clone(), a.size))
        })
        .await?
    };
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(IN_FLIGHT);
    let app2 = app.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut w = ChunkWriter {
            tx: tx.clone(),
            handle: handle.clone(),
            app: app2.clone(),
        };
        let read = app2.hold_vault(|vault| {
            vault
                .read_attachment(&id, &name, &mut w, &mut |_| {})
                .map_err(WebError::from)
        });
        if let Err(e) = read {
            let _ = handle.block_on(tokio::time::timeout(
                STALL,
                tx.send(Err(std::io::Error::other(e.message))),
            ));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Ok((Body::from_stream(stream), found_name, size))
}

/// A small text field of a form (a CSRF token, a format), read a chunk at a time and refused
/// past 1 KiB: a form cannot make the server hold a huge "token" in memory.
pub(crate) async fn small_text(
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<String, WebError> {
    const MAX: usize = 1024;
    let mut out = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| WebError::unreadable_form(&e, MAX as u64))?
    {
        if out.len() + chunk.len() > MAX {
            return Err(WebError::invalid_said(musette_core::msg!(
                crate::i18n::WEB,
                "error-field-too-long"
            )));
        }
        out.extend_from_slice(&chunk);
    }
    String::from_utf8(out).map_err(|_| WebError::invalid("a field of this form is not text"))
}

/// A backup of the vault (see `musette_core::backup`) as a streamed body: the image is made in
/// a private temporary folder (it is as sealed as the vault itself) and sent as it is read.
pub(crate) fn backup(app: &Arc<App>) -> Body {
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(IN_FLIGHT);
    let app2 = app.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut w = ChunkWriter {
            tx: tx.clone(),
            handle: handle.clone(),
            app: app2.clone(),
        };
        let made = app2.hold_vault(|vault| {
            let dir = tempfile_dir().map_err(|e| WebError::internal(e.to_string()))?;
            let image = dir.join("vault.db");
            let out = vault.write_backup(&image, &mut w, &mut |_| {});
            let _ = std::fs::remove_dir_all(&dir);
            out.map(|_| ()).map_err(WebError::from)
        });
        if let Err(e) = made {
            let _ = handle.block_on(tokio::time::timeout(
                STALL,
                tx.send(Err(std::io::Error::other(e.message))),
            ));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Body::from_stream(stream)
}

/// A new folder only this user can enter, in the system's temporary folder.
fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "musette-backup-{}",
        data_encoding::HEXLOWER.encode(&musette_core::crypto::random_bytes::<8>())
    ));
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(&dir)?;
    Ok(dir)
}
