//! The gateway's HTTP errors: the workspace's convention ([`web::HttpError`]: a status, a
//! message safe to show, the detail for the log only; JSON for API clients, a page for
//! browsers) answered with the gateway's own error page, and what a store failure means to
//! a client.

/// An error answered to a client, with the gateway's error page for browsers.
pub type HttpError = web::HttpError<crate::pages::Page>;

impl From<crate::store::StoreError> for HttpError {
    /// The store cannot answer: 503, fail closed.
    fn from(e: crate::store::StoreError) -> Self {
        Self::unavailable(e)
    }
}
