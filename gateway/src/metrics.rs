//! Prometheus metrics: proxied requests by route and status class, their latency,
//! logins by provider and outcome, denials by reason, and sessions read from the store.

use std::sync::Arc;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    class: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LoginLabels {
    provider: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DenialLabels {
    reason: &'static str,
}

/// The gateway's metrics.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabel, Histogram>,
    logins: Family<LoginLabels, Counter>,
    denials: Family<DenialLabels, Counter>,
    session_store_reads: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Register every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("gateway");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabel, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
        });
        let logins = Family::<LoginLabels, Counter>::default();
        let denials = Family::<DenialLabels, Counter>::default();
        registry.register(
            "proxied_requests",
            "Proxied requests by route and status class",
            requests.clone(),
        );
        registry.register(
            "proxy_latency_seconds",
            "Time to upstream response headers",
            latency.clone(),
        );
        registry.register("logins", "Logins by provider and outcome", logins.clone());
        registry.register(
            "denials",
            "Requests refused by the gateway, by reason",
            denials.clone(),
        );
        let session_store_reads = Counter::default();
        registry.register(
            "session_store_reads",
            "Sessions read from the store (a miss of the node's memory, or memory off)",
            session_store_reads.clone(),
        );
        Self {
            registry: Arc::new(registry),
            requests,
            latency,
            logins,
            denials,
            session_store_reads,
        }
    }

    /// The counter of sessions read from the store (kept by [`crate::sessions::Sessions`]).
    pub fn session_store_reads(&self) -> Counter {
        self.session_store_reads.clone()
    }

    /// Count a proxied request.
    pub fn request(&self, route: &str, status: u16, seconds: f64) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                class,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabel {
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    /// Count a login attempt.
    pub fn login(&self, provider: &str, outcome: &'static str) {
        self.logins
            .get_or_create(&LoginLabels {
                provider: provider.to_owned(),
                outcome,
            })
            .inc();
    }

    /// Count a denial.
    pub fn denial(&self, reason: &'static str) {
        self.denials.get_or_create(&DenialLabels { reason }).inc();
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
