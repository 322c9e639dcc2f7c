//! The progress bar: on a terminal only, on stderr. Its total is the number of
//! results the audit will have (skips included), and while the network is slow the
//! spinner keeps turning and names what is in flight, so a wait never looks frozen.

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub fn bar(enabled: bool) -> Option<ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    Some(ProgressBar::with_draw_target(
        None,
        ProgressDrawTarget::stderr(),
    ))
}

pub struct Progress {
    bar: Option<ProgressBar>,
    /// "check target" of every unit running now, in start order.
    in_flight: Mutex<Vec<String>>,
}

impl Progress {
    /// `already` results exist before any unit runs (skips); `units` are still to run.
    pub fn new(bar: Option<ProgressBar>, already: usize, units: usize) -> Self {
        if let Some(bar) = &bar {
            bar.set_length((already + units) as u64);
            bar.set_position(already as u64);
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} {pos}/{len} checks {wide_bar} {msg}")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        Self {
            bar,
            in_flight: Mutex::new(Vec::new()),
        }
    }

    pub fn start(&self, label: &str) {
        self.with_in_flight(|running| running.push(label.to_owned()));
    }

    pub fn finish(&self, label: &str) {
        self.with_in_flight(|running| {
            if let Some(i) = running.iter().position(|l| l == label) {
                running.remove(i);
            }
        });
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    pub fn done(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }

    fn with_in_flight(&self, change: impl FnOnce(&mut Vec<String>)) {
        let Some(bar) = &self.bar else { return };
        let mut running = match self.in_flight.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        change(&mut running);
        bar.set_message(in_flight_text(&running));
    }
}

/// "waiting for dns.ns acme.app (+3 more)".
fn in_flight_text(running: &[String]) -> String {
    match running {
        [] => String::new(),
        [one] => format!("waiting for {one}"),
        [first, rest @ ..] => format!("waiting for {first} (+{} more)", rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_what_is_in_flight() {
        let bar = ProgressBar::hidden();
        let progress = Progress::new(Some(bar.clone()), 2, 3);
        assert_eq!(bar.length(), Some(5));
        assert_eq!(bar.position(), 2);
        progress.start("dns.ns acme.app");
        progress.start("tls.expiry www.acme.app");
        assert_eq!(bar.message(), "waiting for dns.ns acme.app (+1 more)");
        progress.finish("dns.ns acme.app");
        assert_eq!(bar.message(), "waiting for tls.expiry www.acme.app");
        assert_eq!(bar.position(), 3);
    }
}
