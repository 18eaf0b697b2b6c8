//! Files in a cache directory, read and written as if someone else could write there too: the
//! page cache (`fetch::cache`) keeps its files in a directory that is often shared (`~/.cache`,
//! a CI cache restored from elsewhere).
//!
//! Reading opens only regular files, never through a symbolic link, and never waits on a FIFO
//! or device. Writing goes through a temporary file created exclusively (a fresh random name,
//! never an existing file or link) in the same directory and renamed over the target, so a
//! reader never sees half a file and a planted link never redirects a write elsewhere.
//!
//! Not for inputs (that is `walk`): a cache file that cannot be read is simply a miss.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

/// The bytes of the regular file at `path`, at most `limit` of them; an error for anything else
/// (missing, a link, a FIFO, a device, a directory, larger than `limit`).
pub fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(io::Error::other(format!(
            "{} is larger than {limit} bytes",
            path.display()
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // The file may grow after the size was taken: still read no more than the limit.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::other(format!(
            "{} is larger than {limit} bytes",
            path.display()
        )));
    }
    Ok(bytes)
}

/// Open `path` for reading when it is a regular file, without following a link in its last
/// component and without blocking on a FIFO.
fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one for ever.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    {
        // No O_NOFOLLOW here: refuse a link before opening instead.
        if fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Err(io::Error::other(format!(
                "{} is a symbolic link",
                path.display()
            )));
        }
    }
    let file = options.open(path)?;
    // Judged on the opened file itself, so the answer cannot change between check and read.
    if !file.metadata()?.file_type().is_file() {
        return Err(io::Error::other(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    Ok(file)
}

/// Replace `path` with the bytes `write` produces: written to an exclusively created temporary
/// file in the same directory (created when missing), synced, then renamed over `path` (a link
/// at `path` is replaced, not followed). On any error nothing is left behind.
pub fn write(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut out = io::BufWriter::new(temp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    temp.as_file().sync_all()?;
    // On failure the temporary file is deleted when `temp` drops.
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entry");
        fs::write(&path, b"twelve bytes").unwrap();
        assert_eq!(read(&path, 12).unwrap(), b"twelve bytes");
        assert!(read(&path, 11).is_err());
        assert!(read(dir.path(), 100).is_err(), "a directory is not read");
        assert!(read(&dir.path().join("missing"), 100).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_and_fifos_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        fs::write(&target, b"secret").unwrap();
        let link = dir.path().join("entry");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(read(&link, 100).is_err(), "the link was followed");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Returns at once rather than waiting for a writer.
        assert!(read(&fifo, 100).is_err());
    }

    #[test]
    fn a_write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("entry");
        write(&path, |out| out.write_all(b"one")).unwrap();
        write(&path, |out| out.write_all(b"two")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let failed = write(&path, |_| Err(io::Error::other("full")));
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["entry"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_target_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"keep").unwrap();
        let path = dir.path().join("entry");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        write(&path, |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"keep");
        assert!(
            !fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&path).unwrap(), b"new");
    }
}
