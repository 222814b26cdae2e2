//! Paths saved in a plan file are relative to the plan's folder, so a plan and its layers can be
//! moved or copied together.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The size of the regular file at `path`; a device (`/dev/zero`), a named pipe, a socket or a
/// folder is refused at once, before anything opens it (reading a device never ends, and opening
/// a pipe waits for a writer).
pub fn regular_file_size(path: &Path) -> Result<u64> {
    let metadata = std::fs::metadata(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if metadata.is_file() {
        return Ok(metadata.len());
    }
    let kind = if metadata.is_dir() {
        "a folder"
    } else {
        special_file_kind(&metadata)
    };
    Err(Error::NotAFile {
        path: path.to_path_buf(),
        kind,
    })
}

#[cfg(unix)]
fn special_file_kind(metadata: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let file_type = metadata.file_type();
    if file_type.is_fifo() {
        "a named pipe"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_metadata: &std::fs::Metadata) -> &'static str {
    "not a regular file"
}

/// The folder a file is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `target` resolved against `folder` when it is relative.
pub fn resolve(folder: &Path, target: &str) -> PathBuf {
    let target = Path::new(target);
    if target.is_absolute() {
        target.to_path_buf()
    } else {
        folder.join(target)
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|current| current.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

/// `target` written relative to `folder` (with `/` separators), or absolute when they share no
/// root (another drive on Windows).
pub fn relative_to(folder: &Path, target: &Path) -> String {
    let folder = absolute(folder);
    let target = absolute(target);
    let folder_parts: Vec<Component> = folder.components().collect();
    let target_parts: Vec<Component> = target.components().collect();
    let common = folder_parts
        .iter()
        .zip(&target_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return target.to_string_lossy().into_owned();
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); folder_parts.len() - common];
    parts.extend(
        target_parts[common..]
            .iter()
            .map(|part| part.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sibling_folder_is_reached_through_its_parent() {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(root.path().join("plans")).expect("mkdir");
        std::fs::create_dir_all(root.path().join("data")).expect("mkdir");
        let relative = relative_to(
            &root.path().join("plans"),
            &root.path().join("data/buildings.geojson"),
        );
        assert_eq!(relative, "../data/buildings.geojson");
    }
}

#[cfg(all(test, unix))]
mod special_file_tests {
    use super::*;

    #[test]
    fn a_device_and_a_folder_are_refused_and_a_file_gives_its_size() {
        let message = regular_file_size(Path::new("/dev/zero"))
            .expect_err("a device")
            .to_string();
        assert!(
            message.contains("/dev/zero") && message.contains("a device"),
            "{message}"
        );
        let folder = tempfile::tempdir().expect("temp dir");
        let message = regular_file_size(folder.path())
            .expect_err("a folder")
            .to_string();
        assert!(message.contains("a folder"), "{message}");
        let file = folder.path().join("plan.geojson");
        std::fs::write(&file, b"{}").expect("write");
        assert_eq!(regular_file_size(&file).expect("a file"), 2);
    }
}
