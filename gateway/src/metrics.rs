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

/// The status classes, in the order of [`status_class`].
const CLASSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/// The index in [`CLASSES`] of a status code's class.
fn status_class(status: u16) -> usize {
    match status {
        100..=199 => 0,
        200..=299 => 1,
        300..=399 => 2,
        400..=499 => 3,
        _ => 4,
    }
}

/// A route's metric handles (the counters of its status classes and its latency
/// histogram), each taken from the registry's families the first time it is needed. A
/// reloaded route starts empty and finds the same series again by its prefix.
#[derive(Debug, Clone, Default)]
pub struct RouteHandles {
    classes: [std::sync::OnceLock<Counter>; 5],
    latency: std::sync::OnceLock<Histogram>,
}

/// Handles carry no configuration: two routes that are otherwise equal are equal.
impl PartialEq for RouteHandles {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for RouteHandles {}

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

    /// Count a proxied request through the route's own handles: the label sets are
    /// looked up (hashed, their strings copied) once per route and status class, not
    /// once per request.
    pub fn request_on(&self, route: &crate::routes::Route, status: u16, seconds: f64) {
        let handles = &route.metrics;
        let class = status_class(status);
        handles.classes[class]
            .get_or_init(|| {
                self.requests
                    .get_or_create(&RequestLabels {
                        route: route.prefix.clone(),
                        class: CLASSES[class],
                    })
                    .clone()
            })
            .inc();
        handles
            .latency
            .get_or_init(|| {
                self.latency
                    .get_or_create(&RouteLabel {
                        route: route.prefix.clone(),
                    })
                    .clone()
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
