//! A progress indicator for slow work (key derivation, big imports): an indicatif spinner on
//! stderr that appears only when the work has taken more than a second and stderr is a terminal,
//! so quick runs, pipes and tests see nothing.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before the spinner appears.
pub const DELAY: Duration = Duration::from_secs(1);

/// A spinner that shows up after [`DELAY`] (when stderr is a terminal) and names the stage.
pub struct Progress {
    bar: Option<ProgressBar>,
    shown: Arc<Mutex<bool>>,
    stop: Option<std::sync::mpsc::Sender<()>>,
}

impl Progress {
    /// Starts timing; the spinner itself is drawn only after [`DELAY`].
    pub fn start() -> Progress {
        let force = std::env::var("TESSERA_PROGRESS").is_ok_and(|v| v == "always");
        if !force && !std::io::stderr().is_terminal() {
            return Progress {
                bar: None,
                shown: Arc::new(Mutex::new(false)),
                stop: None,
            };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let shown = Arc::new(Mutex::new(false));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let (b, s) = (bar.clone(), shown.clone());
        std::thread::spawn(move || {
            if rx.recv_timeout(DELAY).is_err() {
                // Still running after the delay (or finished without telling: then the bar is
                // already finished and drawing is a no-op).
                if let Ok(mut shown) = s.lock()
                    && !b.is_finished()
                {
                    b.set_draw_target(ProgressDrawTarget::stderr());
                    b.enable_steady_tick(Duration::from_millis(120));
                    *shown = true;
                }
            }
        });
        Progress {
            bar: Some(bar),
            shown,
            stop: Some(tx),
        }
    }

    /// Names what is happening now.
    pub fn stage(&self, message: &str) {
        if let Some(b) = &self.bar {
            b.set_message(message.to_string());
        }
    }

    /// Runs `f` (a prompt, say) with the spinner hidden.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    /// Removes the spinner.
    pub fn finish(&self) {
        if let Some(tx) = &self.stop {
            let _ = tx.send(());
        }
        if let Some(b) = &self.bar
            && let Ok(_guard) = self.shown.lock()
        {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
