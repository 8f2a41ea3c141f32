//! A circuit breaker on the session store: after `failures` database errors in a row it
//! opens for `open_for`, and every request needing a session is answered 503 at once
//! instead of each waiting for the pool's timeout (under load they would pile up). Then
//! one request is let through as a probe (half-open): its success closes the circuit,
//! its failure opens it again. Open or not, nothing is ever forwarded without a session.

use std::sync::Mutex;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Calls go through; `n` failures in a row so far.
    Closed(u32),
    /// Calls fail at once until then.
    Open(Instant),
    /// One probe is under way; the others fail at once.
    Probing,
}

/// The breaker; share one per store.
#[derive(Debug)]
pub struct Breaker {
    failures: u32,
    open_for: Duration,
    state: Mutex<State>,
}

/// The circuit is open: the store is not asked.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("session store circuit open after repeated failures")]
pub struct Open;

impl Breaker {
    /// Opens after `failures` errors in a row, for `open_for`.
    pub fn new(failures: u32, open_for: Duration) -> Self {
        Self {
            failures: failures.max(1),
            open_for,
            state: Mutex::new(State::Closed(0)),
        }
    }

    /// May a call go to the store now? `Err(Open)` answers at once.
    pub fn admit(&self) -> Result<(), Open> {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match *s {
            State::Closed(_) => Ok(()),
            State::Open(until) if Instant::now() >= until => {
                *s = State::Probing;
                Ok(())
            }
            State::Open(_) | State::Probing => Err(Open),
        }
    }

    /// The admitted call succeeded: the circuit closes.
    pub fn success(&self) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        *s = State::Closed(0);
    }

    /// The admitted call failed: one more in a row, or open again after a probe.
    pub fn failure(&self) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let open = State::Open(Instant::now() + self.open_for);
        *s = match *s {
            State::Closed(n) if n + 1 >= self.failures => {
                tracing::warn!(
                    failures = n + 1,
                    open_secs = self.open_for.as_secs(),
                    "session store failing: circuit open, answering 503 at once"
                );
                open
            }
            State::Closed(n) => State::Closed(n + 1),
            State::Probing | State::Open(_) => open,
        };
    }

    /// Whether calls are refused right now (for metrics and tests).
    pub fn is_open(&self) -> bool {
        let s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match *s {
            State::Open(until) => Instant::now() < until,
            State::Probing => true,
            State::Closed(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_failures_in_a_row_and_one_probe_closes_it() {
        let b = Breaker::new(3, Duration::from_millis(0));
        for _ in 0..2 {
            assert!(b.admit().is_ok());
            b.failure();
        }
        b.success();
        for _ in 0..2 {
            b.failure();
        }
        assert!(!b.is_open(), "a success resets the count");
        b.failure();
        // Open for 0 ms: the next call is the probe, the one after waits for it.
        assert!(b.admit().is_ok());
        assert!(b.admit().is_err(), "only one probe at a time");
        b.failure();
        assert!(
            b.admit().is_ok(),
            "a failed probe opens again, then probes again"
        );
        b.success();
        assert!(b.admit().is_ok());
        assert!(b.admit().is_ok());
    }

    #[test]
    fn an_open_circuit_refuses_at_once() {
        let b = Breaker::new(1, Duration::from_secs(3600));
        b.failure();
        assert!(b.is_open());
        assert!(b.admit().is_err());
    }
}
