//! Periodic background work (the deadline scheduler, the mail sender) that starts with the
//! backend and stops cleanly: a pass in progress finishes, then the task exits.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A set of periodic tasks sharing one stop signal.
#[derive(Debug)]
pub struct Background {
    stop: watch::Sender<bool>,
    tasks: Vec<(&'static str, JoinHandle<()>)>,
}

impl Default for Background {
    fn default() -> Self {
        Self::new()
    }
}

impl Background {
    /// No tasks yet.
    pub fn new() -> Self {
        let (stop, _) = watch::channel(false);
        Self {
            stop,
            tasks: Vec::new(),
        }
    }

    /// Run `pass` now, then every `period`, until [`Background::shutdown`].
    pub fn every<F, Fut>(&mut self, name: &'static str, period: Duration, pass: F)
    where
        F: Fn() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let mut stop = self.stop.subscribe();
        let handle = tokio::spawn(async move {
            loop {
                if *stop.borrow() {
                    break;
                }
                pass().await;
                tokio::select! {
                    _ = tokio::time::sleep(period) => {}
                    changed = stop.changed() => {
                        if changed.is_err() || *stop.borrow() {
                            break;
                        }
                    }
                }
            }
            tracing::debug!(task = name, "background task stopped");
        });
        self.tasks.push((name, handle));
    }

    /// Ask every task to stop and wait for the passes in progress to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for (name, handle) in self.tasks {
            if let Err(error) = handle.await {
                tracing::error!(task = name, %error, "background task ended abnormally");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn runs_at_once_and_stops() {
        let count = Arc::new(AtomicUsize::new(0));
        let mut bg = Background::new();
        let (ran_tx, mut ran_rx) = tokio::sync::mpsc::channel(4);
        let c = count.clone();
        bg.every("t", Duration::from_secs(3600), move || {
            let c = c.clone();
            let ran = ran_tx.clone();
            async move {
                c.fetch_add(1, Ordering::SeqCst);
                let _ = ran.send(()).await;
            }
        });
        ran_rx.recv().await.expect("first pass");
        bg.shutdown().await;
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }
}
