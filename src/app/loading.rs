//! Opening a plan on a worker thread while the window stays responsive: the window appears at
//! once, a progress bar follows the load (features read, then indexing, counting, checking), and
//! the plan replaces the view when it is ready.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use eframe::egui;
use shequ_core::Session;
use shequ_core::format::grouped;
use shequ_core::progress::{LoadProgress, LoadStage};

use super::i18n::Strings;

/// A plan being opened.
pub struct Loading {
    /// What is being opened (a file name).
    pub label: String,
    /// How far it has got.
    pub progress: Arc<LoadProgress>,
    receiver: Receiver<shequ_core::Result<Session>>,
    started: Instant,
}

/// How a load ended.
pub enum Loaded {
    /// The plan, and how long it took.
    Opened(Box<Session>, Duration),
    /// Why it could not be opened.
    Failed(String),
}

impl Loading {
    /// Runs `job` on a new thread.
    pub fn start(
        label: &Path,
        job: impl FnOnce(&LoadProgress) -> shequ_core::Result<Session> + Send + 'static,
    ) -> Self {
        let progress = Arc::new(LoadProgress::default());
        let (sender, receiver) = mpsc::channel();
        let worker_progress = Arc::clone(&progress);
        std::thread::spawn(move || {
            // The receiver is gone only when the app has closed; nothing is left to tell then.
            let _ = sender.send(job(&worker_progress));
        });
        Self {
            label: label
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_else(|| label.display().to_string()),
            progress,
            receiver,
            started: Instant::now(),
        }
    }

    /// The outcome, once the worker is done.
    pub fn poll(&self) -> Option<Loaded> {
        match self.receiver.try_recv() {
            Ok(Ok(session)) => Some(Loaded::Opened(Box::new(session), self.started.elapsed())),
            Ok(Err(error)) => Some(Loaded::Failed(error.to_string())),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Loaded::Failed(format!(
                "{}: the loading stopped unexpectedly",
                self.label
            ))),
        }
    }

    /// The progress window over the map.
    pub fn show(&self, ctx: &egui::Context, strings: &Strings) {
        let stage = self.progress.stage();
        let detail = match stage {
            LoadStage::Reading => {
                let (read, expected) = self.progress.features();
                if expected > 0 {
                    format!(
                        "{} {} / ≈ {}",
                        strings.loading_reading,
                        grouped(read),
                        grouped(expected)
                    )
                } else {
                    format!("{} {}", strings.loading_reading, grouped(read))
                }
            }
            LoadStage::Indexing => strings.loading_indexing.to_owned(),
            LoadStage::Counting => strings.loading_counting.to_owned(),
            LoadStage::Checking => strings.loading_checking.to_owned(),
        };
        egui::Window::new(strings.loading_title)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(&self.label);
                ui.add(
                    egui::ProgressBar::new(self.progress.fraction())
                        .desired_width(360.0)
                        .show_percentage()
                        .animate(true),
                );
                ui.label(detail);
                ui.label(
                    egui::RichText::new(format!("{:.1} s", self.started.elapsed().as_secs_f32()))
                        .weak(),
                );
            });
        // Keep the bar moving while the worker runs, at a pace that leaves the cores to the worker.
        ctx.request_repaint_after(Duration::from_millis(250));
    }
}
