//! Saving without ever damaging the previous file: write a temporary file beside it, flush it to
//! disk, rename it over the old one, then flush the folder so the rename itself survives a crash.
//!
//! The temporary file has an unpredictable name and is created exclusively (the `tempfile`
//! crate), so nobody who can write into the folder can plant a link for a save to follow. A save
//! keeps the file's permissions, writes through a symlinked file to its target (the link stays a
//! link), refuses a read-only file and a file with other hard links (replacing it would leave
//! them with the old contents), and removes temporaries that interrupted saves of the same file
//! left behind.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The prefix and suffix of a file's temporaries: `.NAME.` … `.saving`.
fn temporary_affixes(path: &Path) -> (String, &'static str) {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    (format!(".{name}."), ".saving")
}

/// Where a save of `path` writes: the file a symlink points to, or `path` itself.
fn save_target(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// Refuses to replace a file that is read-only or has other hard links.
fn check_replaceable(target: &Path) -> std::io::Result<Option<fs::Permissions>> {
    let metadata = match fs::metadata(target) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    if metadata.permissions().readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only; make it writable or save under another name",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if metadata.nlink() > 1 {
            return Err(std::io::Error::other(format!(
                "the file has {} hard links, and replacing it would leave the others with the old contents; save under another name, or remove the other links",
                metadata.nlink() - 1
            )));
        }
    }
    Ok(Some(metadata.permissions()))
}

/// Writes `path` atomically with whatever `write` produces. If `write` or any step fails, the
/// previous file at `path` is left as it was and the temporary file is removed.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let target = save_target(path);
    let outcome = (|| -> std::io::Result<()> {
        let permissions = check_replaceable(&target)?;
        let folder = folder_of(&target);
        let (prefix, suffix) = temporary_affixes(&target);
        // Removed when dropped: an error at any step below leaves no temporary behind.
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(suffix);
        #[cfg(unix)]
        if permissions.is_none() {
            use std::os::unix::fs::PermissionsExt;
            // A new file gets what any program's new file gets (0666 less the umask), not the
            // temporary's private 0600, which would hide a plan or an export from colleagues.
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let temporary = builder.tempfile_in(folder)?;
        let mut writer = BufWriter::with_capacity(1 << 20, temporary.as_file());
        write(&mut writer)?;
        writer.flush()?;
        drop(writer);
        if let Some(permissions) = permissions {
            fs::set_permissions(temporary.path(), permissions)?;
        }
        temporary.as_file().sync_all()?;
        temporary.persist(&target).map_err(|error| error.error)?;
        sync_folder_of(&target)
    })();
    outcome.map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })?;
    remove_stale_temporaries(&target);
    Ok(())
}

/// Removes the temporaries that interrupted saves of `target` left beside it.
fn remove_stale_temporaries(target: &Path) {
    let (prefix, suffix) = temporary_affixes(target);
    remove_leftovers(folder_of(target), &prefix, suffix);
}

/// Removes the files in `folder` whose names begin with `prefix` and end with `suffix`: what
/// interrupted writes left behind. Quietly: they only take room, and a write that is still using
/// one fails safely (the previous file stays).
pub fn remove_leftovers(folder: &Path, prefix: &str, suffix: &str) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
        if is_file && name.starts_with(prefix) && name.ends_with(suffix) {
            fs::remove_file(entry.path()).ok();
        }
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

#[cfg(unix)]
fn sync_folder_of(path: &Path) -> std::io::Result<()> {
    File::open(folder_of(path))?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder_of(_path: &Path) -> std::io::Result<()> {
    // Windows cannot open a folder as a file; its rename is already durable once it returns.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_save_leaves_the_previous_file_intact_and_no_temporary_file() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("plan.geojson");
        fs::write(&path, b"previous contents").expect("seed file");
        let result = write_atomically(&path, |writer| {
            writer.write_all(b"half of the new")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(matches!(result, Err(Error::Write { .. })));
        assert_eq!(fs::read(&path).expect("still there"), b"previous contents");
        let leftovers: Vec<_> = fs::read_dir(folder.path()).expect("list").collect();
        assert_eq!(leftovers.len(), 1, "only the plan remains");
    }

    #[test]
    fn a_successful_save_replaces_the_file() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("plan.geojson");
        fs::write(&path, b"old").expect("seed file");
        write_atomically(&path, |writer| writer.write_all(b"new")).expect("saves");
        assert_eq!(fs::read(&path).expect("read"), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_permissions_any_new_file_gets_not_the_temporarys_private_ones() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().expect("temp dir");
        let plain = folder.path().join("plain.txt");
        fs::write(&plain, b"made the usual way").expect("writes");
        let saved = folder.path().join("map.pdf");
        write_atomically(&saved, |writer| writer.write_all(b"%PDF-")).expect("saves");
        let mode = |path: &Path| fs::metadata(path).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode(&saved), mode(&plain));
    }

    #[cfg(unix)]
    #[test]
    fn a_save_keeps_permissions_writes_through_a_symlink_and_cleans_stale_temporaries() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("plan.geojson");
        fs::write(&path, b"old").expect("seed file");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
        let stale = folder.path().join(".plan.geojson.abc123.saving");
        fs::write(&stale, b"left by a killed save").expect("stale");
        write_atomically(&path, |writer| writer.write_all(b"new")).expect("saves");
        let mode = fs::metadata(&path).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(
            !stale.exists(),
            "stale temporaries of the same file are removed"
        );

        let link = folder.path().join("link.geojson");
        std::os::unix::fs::symlink(&path, &link).expect("symlink");
        write_atomically(&link, |writer| writer.write_all(b"through the link")).expect("saves");
        assert!(
            fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&path).expect("target"), b"through the link");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_and_a_hard_linked_file_are_refused_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("plan.geojson");
        fs::write(&path, b"old").expect("seed file");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
        let error =
            write_atomically(&path, |writer| writer.write_all(b"new")).expect_err("read-only");
        assert!(error.to_string().contains("read-only"), "{error}");
        assert_eq!(fs::read(&path).expect("read"), b"old");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
        fs::hard_link(&path, folder.path().join("copy.geojson")).expect("hard link");
        let error = write_atomically(&path, |writer| writer.write_all(b"new")).expect_err("linked");
        assert!(error.to_string().contains("hard link"), "{error}");
        assert_eq!(fs::read(&path).expect("read"), b"old");
    }

    #[test]
    fn saving_into_a_missing_folder_is_an_error_naming_the_file() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("no-such-folder").join("plan.geojson");
        let error =
            write_atomically(&path, |writer| writer.write_all(b"x")).expect_err("no folder");
        assert!(error.to_string().contains("plan.geojson"), "{error}");
    }
}
