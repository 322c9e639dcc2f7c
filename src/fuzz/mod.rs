//! A stable-toolchain fuzzer for every parser of hostile input (no nightly, no extra
//! dependency): seeds from the test fixtures, a seeded random mutator, every target
//! run under `catch_unwind`. `cargo test` runs a bounded pass over every target; the
//! long run is an ignored test (see CONTRIBUTING.md, "Fuzzing"):
//!
//! ```text
//! FUZZ_SECONDS=600 nice -n 19 cargo test --lib fuzz::long -- --ignored --nocapture
//! ```
//!
//! A crash is written to `target/fuzz-crashes/<target>-<n>.bin` and fails the run;
//! turn it into a regression test next to the parser it broke.

mod mutate;
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

pub use targets::TARGETS;

/// One fuzz target: a name, its seed inputs and the code that must never panic.
pub struct Target {
    pub name: &'static str,
    pub seeds: fn() -> Vec<Vec<u8>>,
    /// Tokens the mutator splices in (record keywords, separators).
    pub dictionary: &'static [&'static str],
    pub run: fn(&[u8]),
}

#[derive(Debug, Default)]
pub struct Stats {
    pub execs: u64,
    pub crashes: Vec<(Vec<u8>, String)>,
    /// Inputs that took longer than `SLOW`: hostile input must cost little.
    pub slow: Vec<(Vec<u8>, Duration)>,
}

const SLOW: Duration = Duration::from_secs(2);
const MAX_INPUT: usize = 16 * 1024;

/// Fuzz `target` until `until` or `max_execs`, with a deterministic `seed`.
pub fn fuzz(target: &Target, seed: u64, until: Instant, max_execs: u64) -> Stats {
    let mut rng = mutate::Rng::new(seed);
    let mut corpus = (target.seeds)();
    if corpus.is_empty() {
        corpus.push(Vec::new());
    }
    let mut stats = Stats::default();
    // Every seed as it is first.
    for input in corpus.clone() {
        exec(target, &input, &mut stats);
    }
    while stats.execs < max_execs && Instant::now() < until {
        let base = &corpus[rng.below(corpus.len())];
        let other = &corpus[rng.below(corpus.len())];
        let mut input = base.clone();
        for _ in 0..1 + rng.below(6) {
            mutate::mutate(&mut input, other, target.dictionary, &mut rng);
        }
        input.truncate(MAX_INPUT);
        exec(target, &input, &mut stats);
        // Keep a bounded share of mutants as new bases, so mutations compound.
        if rng.below(64) == 0 && corpus.len() < 512 {
            corpus.push(input);
        }
    }
    stats
}

fn exec(target: &Target, input: &[u8], stats: &mut Stats) {
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    stats.execs += 1;
    if let Err(panic) = outcome {
        let text = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        stats.crashes.push((input.to_vec(), text));
    }
    let took = started.elapsed();
    if took > SLOW {
        stats.slow.push((input.to_vec(), took));
    }
}

fn save(target: &str, kind: &str, found: &[Vec<u8>]) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    let _ = std::fs::create_dir_all(&dir);
    found
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let path = dir.join(format!("{target}-{kind}-{i}.bin"));
            let _ = std::fs::write(&path, input);
            path.display().to_string()
        })
        .collect()
}

fn report(name: &str, stats: &Stats) -> Option<String> {
    if stats.crashes.is_empty() && stats.slow.is_empty() {
        return None;
    }
    let crashes: Vec<Vec<u8>> = stats.crashes.iter().map(|(i, _)| i.clone()).collect();
    let slow: Vec<Vec<u8>> = stats.slow.iter().map(|(i, _)| i.clone()).collect();
    let mut paths = save(name, "crash", &crashes);
    paths.extend(save(name, "slow", &slow));
    let first = stats
        .crashes
        .first()
        .map(|(i, why)| format!("panic `{why}` on {:?}", String::from_utf8_lossy(i)))
        .or_else(|| {
            stats
                .slow
                .first()
                .map(|(_, d)| format!("an input took {d:?}"))
        })
        .unwrap_or_default();
    Some(format!(
        "{name}: {} crashes, {} slow inputs; first: {first}; saved: {}",
        stats.crashes.len(),
        stats.slow.len(),
        paths.join(", ")
    ))
}

/// Under a busy machine (15 threads at nice 19) a stalled thread looks like a slow
/// input: keep only the inputs that are still slow when run again, alone.
fn confirm_slow(name: &str, stats: &Stats) -> Stats {
    let Some(target) = TARGETS.iter().find(|t| t.name == name) else {
        return Stats::default();
    };
    let mut confirmed = Stats {
        execs: stats.execs,
        crashes: stats.crashes.clone(),
        slow: Vec::new(),
    };
    for (input, _) in &stats.slow {
        let mut again = Stats::default();
        exec(target, input, &mut again);
        confirmed.slow.extend(again.slow);
    }
    confirmed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bounded pass `cargo test` runs: a few hundred mutants per target.
    #[test]
    fn quick_fuzz_finds_no_panic_in_any_target() {
        // At most 300 mutants or 200 ms per target: seconds in all.
        let problems: Vec<String> = TARGETS
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let until = Instant::now() + Duration::from_millis(200);
                report(t.name, &fuzz(t, 0x5eed + i as u64, until, 300))
            })
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Run every saved finding (`target/fuzz-crashes/<target>-….bin`) again, alone,
    /// and say which still panics or is still slow.
    #[test]
    #[ignore = "replays saved findings, see CONTRIBUTING.md"]
    fn replay() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
        let mut problems = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
            let target = TARGETS
                .iter()
                .filter(|t| {
                    file.as_deref()
                        .is_some_and(|f| f.starts_with(&format!("{}-", t.name)))
                })
                .max_by_key(|t| t.name.len());
            let (Some(target), Ok(input)) = (target, std::fs::read(&path)) else {
                continue;
            };
            let mut stats = Stats::default();
            let started = Instant::now();
            exec(target, &input, &mut stats);
            eprintln!("replay: {} {:?}", path.display(), started.elapsed());
            problems.extend(report(target.name, &stats));
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// The long run: every target on its own thread for FUZZ_SECONDS (default 600).
    #[test]
    #[ignore = "long: run by hand, see CONTRIBUTING.md"]
    fn long() {
        let seconds: u64 = std::env::var("FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(600);
        let seed: u64 = std::env::var("FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(1)
            });
        // Panics are caught and reported below; the default hook would flood stderr.
        std::panic::set_hook(Box::new(|_| {}));
        let until = Instant::now() + Duration::from_secs(seconds);
        let results: Vec<(&str, Stats)> = std::thread::scope(|scope| {
            let handles: Vec<_> = TARGETS
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let seed = seed.wrapping_add(i as u64 * 7919);
                    std::thread::Builder::new()
                        .stack_size(16 * 1024 * 1024)
                        .spawn_scoped(scope, move || (t.name, fuzz(t, seed, until, u64::MAX)))
                })
                .collect();
            handles
                .into_iter()
                .filter_map(|h| h.ok()?.join().ok())
                .collect()
        });
        let _ = std::panic::take_hook();
        let mut problems = Vec::new();
        eprintln!("fuzz: seed {seed}, {seconds} s per target");
        for (name, mut stats) in results.iter().map(|(n, s)| (*n, confirm_slow(n, s))) {
            eprintln!("fuzz: {name:<20} {:>10} execs", stats.execs);
            stats.execs = 0;
            problems.extend(report(name, &stats));
        }
        assert_eq!(results.len(), TARGETS.len(), "a fuzz thread died");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
