//! How far opening a plan has got, shared with whoever shows it (the desktop app's progress bar)
//! while the loading runs on another thread.

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

/// The stages of opening, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadStage {
    /// Reading and converting the layers.
    Reading,
    /// Building the R-trees.
    Indexing,
    /// Counting households per community.
    Counting,
    /// Checking the rules.
    Checking,
}

impl LoadStage {
    const ALL: [LoadStage; 4] = [
        LoadStage::Reading,
        LoadStage::Indexing,
        LoadStage::Counting,
        LoadStage::Checking,
    ];

    /// The share of the whole open that the stages before this one take (measured at 1M
    /// buildings: reading dominates).
    fn start_share(self) -> f32 {
        match self {
            LoadStage::Reading => 0.0,
            LoadStage::Indexing => 0.85,
            LoadStage::Counting => 0.93,
            LoadStage::Checking => 0.96,
        }
    }
}

/// Progress counters, updated by the loader and read by anyone.
#[derive(Debug, Default)]
pub struct LoadProgress {
    stage: AtomicU8,
    features_read: AtomicU64,
    features_expected: AtomicU64,
}

impl LoadProgress {
    /// The current stage.
    pub fn stage(&self) -> LoadStage {
        LoadStage::ALL
            .get(usize::from(self.stage.load(Ordering::Relaxed)))
            .copied()
            .unwrap_or(LoadStage::Checking)
    }

    /// Enters `stage`.
    pub fn enter(&self, stage: LoadStage) {
        self.stage.store(stage as u8, Ordering::Relaxed);
    }

    /// Building features read so far, and how many are expected (0 while unknown).
    pub fn features(&self) -> (u64, u64) {
        (
            self.features_read.load(Ordering::Relaxed),
            self.features_expected.load(Ordering::Relaxed),
        )
    }

    /// Sets how many building features are expected.
    pub fn expect_features(&self, count: u64) {
        self.features_expected.store(count, Ordering::Relaxed);
    }

    /// Starts counting read features again (the layer is read a second way).
    pub fn restart_features(&self) {
        self.features_read.store(0, Ordering::Relaxed);
    }

    /// Counts `count` more building features read.
    pub fn add_features(&self, count: u64) {
        self.features_read.fetch_add(count, Ordering::Relaxed);
    }

    /// The share (0–1) of the open done, for a progress bar.
    pub fn fraction(&self) -> f32 {
        let stage = self.stage();
        let start = stage.start_share();
        match stage {
            LoadStage::Reading => {
                let (read, expected) = self.features();
                if expected == 0 {
                    0.0
                } else {
                    let within = (read as f32 / expected as f32).min(0.99);
                    within * LoadStage::Indexing.start_share()
                }
            }
            _ => start,
        }
    }
}

/// An estimate of how many features a GeoJSON file of `file_bytes` holds, from how often the
/// token `"Feature"` (every feature's type) occurs in its first `sample`.
pub fn estimate_features(sample: &[u8], file_bytes: u64) -> u64 {
    const TOKEN: &[u8] = b"\"Feature\"";
    let found = sample
        .windows(TOKEN.len())
        .filter(|window| *window == TOKEN)
        .count() as u64;
    if found == 0 || sample.is_empty() {
        return 0;
    }
    (file_bytes as f64 * found as f64 / sample.len() as f64).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fraction_follows_the_features_then_the_stages() {
        let progress = LoadProgress::default();
        assert_eq!(progress.fraction(), 0.0);
        progress.expect_features(1000);
        progress.add_features(500);
        assert!((progress.fraction() - 0.425).abs() < 1e-6);
        progress.enter(LoadStage::Counting);
        assert_eq!(progress.stage(), LoadStage::Counting);
        assert!(progress.fraction() > 0.9);
    }

    #[test]
    fn features_are_estimated_from_the_density_of_their_type_token() {
        let feature = br#"{"type":"Feature","properties":{},"geometry":null},"#;
        let sample: Vec<u8> = feature.repeat(100);
        let estimate = estimate_features(&sample, sample.len() as u64 * 10);
        assert_eq!(estimate, 1000);
        assert_eq!(estimate_features(b"{}", 100), 0);
    }
}
