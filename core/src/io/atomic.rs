//! Saving without ever damaging the previous file: write a temporary file beside it, flush it to
//! disk, rename it over the old one, then flush the folder so the rename itself survives a crash.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

fn temporary_path_for(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.saving-{}", std::process::id()))
}

/// Writes `path` atomically with whatever `write` produces. If `write` or any step fails, the
/// previous file at `path` is left as it was and the temporary file is removed.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let temporary = temporary_path_for(path);
    let outcome = (|| -> std::io::Result<()> {
        let file = File::create(&temporary)?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        write(&mut writer)?;
        let file = writer.into_inner().map_err(|error| error.into_error())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)?;
        sync_folder_of(path)
    })();
    outcome.map_err(|source| {
        // The temporary file may not exist (creation failed); nothing else to clean up then.
        let _ = fs::remove_file(&temporary);
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

#[cfg(unix)]
fn sync_folder_of(path: &Path) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    File::open(folder)?.sync_all()
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

    #[test]
    fn saving_into_a_missing_folder_is_an_error_naming_the_file() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("no-such-folder").join("plan.geojson");
        let error =
            write_atomically(&path, |writer| writer.write_all(b"x")).expect_err("no folder");
        assert!(error.to_string().contains("plan.geojson"), "{error}");
    }
}
