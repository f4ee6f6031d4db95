//! Progress lines for the long commands (`generate`, `clients`, `bench`): a spinner or a
//! bar on stderr with the elapsed time, drawn only when stderr is a terminal, so logs and
//! CI output get the plain result lines and nothing else.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A spinner with a message and the time since it started.
pub fn spinner(message: impl Into<std::borrow::Cow<'static, str>>) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A bar of `len` steps with a message (the step under way) and the elapsed time.
pub fn bar(len: usize, message: impl Into<std::borrow::Cow<'static, str>>) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Prints a result line above the bar (or plainly, when the bar is hidden).
pub fn line(bar: &ProgressBar, text: &str) {
    bar.suspend(|| println!("{text}"));
}
