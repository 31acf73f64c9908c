//! One file: bytes go to `<dir>/<sha256>.part`, a later run resumes from its length with a `Range` request, and
//! only a file of the right size and SHA-256 is renamed to `<dir>/<sha256>`. Wrong bytes delete the `.part` file;
//! nothing ever overwrites a verified file with unverified bytes.

use std::{
    fs::{File, OpenOptions},
    io::{Read, Write},
    path::{Path, PathBuf},
};

use sha2::{Digest, Sha256};

use super::{
    content_path, plan::Wanted, transport::ContentTransport, ContentError, FailureReason, RangeReply,
};
use crate::sync::TransportError;

/// How one file ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Verified and in place; `resumed` when an earlier `.part` was continued.
    Done { resumed: bool },
    /// Not fetched this time, for this reason.
    Failed(FailureReason),
}

/// Where a download writes and ends.
pub(crate) struct Paths {
    pub part: PathBuf,
    pub done: PathBuf,
}

impl Paths {
    pub(crate) fn new(dir: &Path, sha256: &str) -> Paths {
        Paths {
            part: dir.join(format!("{sha256}.part")),
            done: dir.join(sha256),
        }
    }
}

/// Fetches `file` into `dir` in ranges of `chunk` bytes, calling `advanced(bytes)` as bytes are stored.
pub(crate) fn fetch(
    transport: &dyn ContentTransport,
    dir: &Path,
    file: &Wanted,
    chunk: u64,
    advanced: &mut dyn FnMut(u64),
) -> Result<Outcome, ContentError> {
    let paths = Paths::new(dir, &file.sha256);
    let mut offset = part_len(&paths.part)?;
    if offset > file.size {
        remove(&paths.part)?;
        offset = 0;
    }
    let resumed = offset > 0;
    let mut out = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&paths.part)
        .map_err(|err| ContentError::io(&paths.part, err))?;
    let path = content_path(&file.sha256);
    while offset < file.size {
        let end = offset.saturating_add(chunk.max(1)).min(file.size) - 1;
        let reply = match transport.get_range(&path, offset, end) {
            Ok(reply) => reply,
            Err(TransportError::Status { status: 404, .. }) => {
                return Ok(Outcome::Failed(FailureReason::NotOnServer))
            }
            Err(TransportError::Status { status: 416, .. }) => {
                // The server's file ends before what this device already has: not the catalog's file.
                remove(&paths.part)?;
                return Ok(Outcome::Failed(FailureReason::Protocol {
                    detail: format!(
                        "the server has fewer than {offset} bytes of a {}-byte file",
                        file.size
                    ),
                }));
            }
            Err(err) => return Err(err.into()),
        };
        let start = match check(&reply, offset, file.size) {
            Ok(start) => start,
            Err(reason) => {
                if matches!(reason, FailureReason::SizeMismatch { .. }) {
                    remove(&paths.part)?;
                }
                return Ok(Outcome::Failed(reason));
            }
        };
        if start == 0 && offset > 0 {
            // A 200: the server sent the whole file from its first byte.
            out.set_len(0).map_err(|err| ContentError::io(&paths.part, err))?;
            offset = 0;
        }
        let room = usize::try_from(file.size - offset).unwrap_or(usize::MAX);
        let body = &reply.body[..reply.body.len().min(room)];
        out.write_all(body)
            .and_then(|()| out.sync_data())
            .map_err(|err| ContentError::io(&paths.part, err))?;
        offset += body.len() as u64;
        advanced(body.len() as u64);
    }
    drop(out);
    let actual = hash_file(&paths.part)?;
    if actual != file.sha256 {
        remove(&paths.part)?;
        return Ok(Outcome::Failed(FailureReason::HashMismatch { actual }));
    }
    std::fs::rename(&paths.part, &paths.done).map_err(|err| ContentError::io(&paths.done, err))?;
    // Make the rename durable where the platform allows syncing a directory (best effort elsewhere).
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(Outcome::Done { resumed })
}

/// The first byte of the reply's body, after checking it answers a request from `offset` of a `size`-byte file.
fn check(reply: &RangeReply, offset: u64, size: u64) -> Result<u64, FailureReason> {
    if reply.body.is_empty() {
        return Err(FailureReason::Protocol {
            detail: "an empty body".into(),
        });
    }
    match reply.status {
        200 => {
            if reply.body.len() as u64 > size {
                return Err(FailureReason::SizeMismatch {
                    expected: size,
                    server: reply.body.len() as u64,
                });
            }
            Ok(0)
        }
        206 => {
            let header = reply.content_range.as_deref().unwrap_or_default();
            let (start, total) = parse_content_range(header).ok_or_else(|| FailureReason::Protocol {
                detail: format!("a 206 with Content-Range {header:?}"),
            })?;
            if total != size {
                return Err(FailureReason::SizeMismatch {
                    expected: size,
                    server: total,
                });
            }
            if start != offset {
                return Err(FailureReason::Protocol {
                    detail: format!("asked for bytes from {offset}, got bytes from {start}"),
                });
            }
            Ok(start)
        }
        status => Err(FailureReason::Protocol {
            detail: format!("status {status}"),
        }),
    }
}

/// `bytes a-b/size` → (a, size).
fn parse_content_range(header: &str) -> Option<(u64, u64)> {
    let rest = header.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, _end) = range.split_once('-')?;
    Some((start.trim().parse().ok()?, total.trim().parse().ok()?))
}

fn part_len(path: &Path) -> Result<u64, ContentError> {
    match std::fs::metadata(path) {
        Ok(meta) => Ok(meta.len()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(err) => Err(ContentError::io(path, err)),
    }
}

fn remove(path: &Path) -> Result<(), ContentError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(ContentError::io(path, err)),
    }
}

/// The lower-case hex SHA-256 of a file, read in blocks.
pub(crate) fn hash_file(path: &Path) -> Result<String, ContentError> {
    let mut file = File::open(path).map_err(|err| ContentError::io(path, err))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(|err| ContentError::io(path, err))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(crate::nfc::text_codec::hex(&hasher.finalize()))
}
