//! Progress bars on stderr (`indicatif`) for the steps that can take more than a
//! second at a city's scale: generating a dataset, simulating a month, reading and
//! replaying a journal, paying a month, importing a file.
//!
//! They are drawn only when stderr is a terminal and `--quiet` was not given, so that
//! pipes, files and tests see exactly the output they saw before (stdout is never
//! touched). Every bar clears itself when its step ends.

use std::io::IsTerminal as _;
use std::sync::OnceLock;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

/// Whether `--quiet` was given, set once at start.
static QUIET: OnceLock<bool> = OnceLock::new();

/// Records `--quiet` (no progress bars).
pub fn set_quiet(quiet: bool) {
    let _ = QUIET.set(quiet);
}

/// Whether bars are drawn: stderr is a terminal and `--quiet` was not given.
pub fn shown() -> bool {
    !QUIET.get().copied().unwrap_or(false) && std::io::stderr().is_terminal()
}

fn bar(len: Option<u64>, template: &str, message: String) -> ProgressBar {
    if !shown() {
        return ProgressBar::hidden();
    }
    let pb = match len {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner());
    let pb = pb.with_style(style).with_message(message).with_finish(ProgressFinish::AndClear);
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// A step whose length is unknown: a spinner with the elapsed time.
pub fn spinner(message: impl Into<String>) -> ProgressBar {
    bar(None, "{spinner} {msg} ({elapsed})", message.into())
}

/// A step counted in items (events, rows) of unknown total.
pub fn counter(message: impl Into<String>) -> ProgressBar {
    bar(None, "{spinner} {msg}: {human_pos} ({per_sec}, {elapsed})", message.into())
}

/// A step of `len` items (employees, regions) known in advance.
pub fn items(len: u64, message: impl Into<String>) -> ProgressBar {
    bar(Some(len), "{msg} [{wide_bar}] {human_pos}/{human_len} ({per_sec}, eta {eta})", message.into())
}

/// Reading `len` bytes of a file.
pub fn bytes(len: u64, message: impl Into<String>) -> ProgressBar {
    bar(
        Some(len),
        // `wide_bar` takes the width the rest leaves, so the line never wraps.
        "{msg} [{wide_bar}] {binary_bytes}/{binary_total_bytes} (eta {eta})",
        message.into(),
    )
}
