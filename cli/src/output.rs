//! Where the command's results go: stdout that ends quietly when the reader goes away
//! (`kinerja tpp ... | head -1`), and files written atomically.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::Failure;

/// Writes `text` to stdout. A closed stdout (the reader exited, e.g. `| head`) is not an
/// error: the command stops quietly with exit code 0 ([`Failure::closed`]).
pub fn emit(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|e| {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::closed()
        } else {
            Failure::one(format!("cannot write to standard output: {e}"))
        }
    })
}

/// `text` and a new line to stdout (see [`emit`]).
pub fn emitln(text: &str) -> Result<(), Failure> {
    emit(text)?;
    emit("\n")
}

/// Why a file was not written. The previous file, if any, is untouched in every case.
#[derive(Debug)]
pub enum WriteError {
    /// The file exists and replacing it was not asked for (`--force`).
    Exists(PathBuf),
    /// Writing failed.
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Exists(p) => {
                write!(f, "{} already exists; nothing was written (pass --force to replace it)", p.display())
            }
            WriteError::Io(p, e) => {
                write!(f, "cannot write {}: {e}; the previous file, if any, is untouched", p.display())
            }
        }
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Self {
        Failure::one(e.to_string())
    }
}

/// Writes a file atomically: the content goes to a new temporary file in the same
/// directory, which is flushed to disk (fsync) and then renamed over `path`, and the
/// directory is synced so that the rename itself survives a crash. A process killed
/// at any point leaves either the previous file or the new one, never a mix (at worst
/// a stray `.NAME.*.tmp` file next to it).
///
/// Without `force` an existing `path` is never replaced, even if it appears while the
/// content is written: the temporary file is hard-linked to `path`, which fails when
/// `path` exists ([`WriteError::Exists`]).
pub fn write_atomic(
    path: &Path,
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), WriteError> {
    let io_err = |e: io::Error| WriteError::Io(path.to_path_buf(), e);
    if !force && std::fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let name = path
        .file_name()
        .ok_or_else(|| io_err(io::Error::new(io::ErrorKind::InvalidInput, "the path names no file")))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let tmp = dir.join(format!(".{}.{}.{stamp}.tmp", name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        let mut w = io::BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        drop(file);
        if force {
            std::fs::rename(&tmp, path)
        } else {
            match std::fs::hard_link(&tmp, path) {
                Ok(()) => std::fs::remove_file(&tmp),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
                // A file system without hard links: check, then rename.
                Err(_) if std::fs::symlink_metadata(path).is_ok() => {
                    Err(io::Error::new(io::ErrorKind::AlreadyExists, "exists"))
                }
                Err(_) => std::fs::rename(&tmp, path),
            }
        }
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(if e.kind() == io::ErrorKind::AlreadyExists && !force {
            WriteError::Exists(path.to_path_buf())
        } else {
            io_err(e)
        });
    }
    // The rename is durable once the directory is synced.
    std::fs::File::open(&dir).and_then(|d| d.sync_all()).map_err(io_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("kinerja-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("scratch dir");
        d
    }

    /// Files in `d` other than `keep`.
    fn others(d: &Path, keep: &str) -> Vec<String> {
        std::fs::read_dir(d)
            .expect("lists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n != keep)
            .collect()
    }

    #[test]
    fn writes_a_new_file_and_replaces_only_with_force() {
        let d = dir("replace");
        let p = d.join("journal.json");
        write_atomic(&p, false, |w| w.write_all(b"first")).expect("new file");
        assert_eq!(std::fs::read(&p).expect("reads"), b"first");
        let err = write_atomic(&p, false, |w| w.write_all(b"second")).expect_err("exists");
        assert!(matches!(err, WriteError::Exists(_)), "{err}");
        assert!(err.to_string().contains("--force"), "{err}");
        assert_eq!(std::fs::read(&p).expect("reads"), b"first", "refused: untouched");
        write_atomic(&p, true, |w| w.write_all(b"second")).expect("forced");
        assert_eq!(std::fs::read(&p).expect("reads"), b"second");
        assert!(others(&d, "journal.json").is_empty(), "no temporary file left");
    }

    #[test]
    fn a_failed_write_leaves_the_previous_file_whole() {
        let d = dir("fail");
        let p = d.join("city.json");
        std::fs::write(&p, b"the previous dataset").expect("writes");
        // The writer fails half-way (a full disk, a serialisation error, ...).
        let err = write_atomic(&p, true, |w| {
            w.write_all(b"half of the new")?;
            Err(io::Error::other("disk full"))
        })
        .expect_err("fails");
        assert!(err.to_string().contains("disk full") && err.to_string().contains("untouched"), "{err}");
        assert_eq!(std::fs::read(&p).expect("reads"), b"the previous dataset");
        assert!(others(&d, "city.json").is_empty(), "the temporary file is removed");
    }

    #[test]
    fn a_missing_directory_is_an_error_and_creates_nothing() {
        let d = dir("missing");
        let p = d.join("no").join("such").join("dir.json");
        let err = write_atomic(&p, false, |w| w.write_all(b"x")).expect_err("no directory");
        assert!(matches!(err, WriteError::Io(..)), "{err}");
        assert!(others(&d, "").is_empty());
    }
}
