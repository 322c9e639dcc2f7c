//! The fake's data: webhook endpoints and events, serialised in the shapes of
//! Stripe's public OpenAPI fixtures.

use serde_json::{Value, json};

/// The API version the fake's objects claim.
pub const API_VERSION: &str = "2024-06-20";

pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A webhook endpoint registered in the account.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    pub enabled: bool,
    pub enabled_events: Vec<String>,
    pub description: Option<String>,
    /// The Connect application of a Connect endpoint (`connect: true` at creation).
    pub application: Option<String>,
    pub created: i64,
}

impl Endpoint {
    /// An enabled endpoint; its id is assigned by `Account::endpoint` unless set.
    pub fn new(url: &str, events: &[&str]) -> Self {
        Self {
            id: String::new(),
            url: url.to_owned(),
            enabled: true,
            enabled_events: events.iter().map(|e| e.to_string()).collect(),
            description: None,
            application: None,
            created: unix_now() - 90 * 86_400,
        }
    }
    pub fn id(mut self, id: &str) -> Self {
        self.id = id.to_owned();
        self
    }
    pub fn disabled(mut self) -> Self {
        self.enabled = false;
        self
    }
    /// A Connect endpoint: it receives connected accounts' events, which the
    /// platform's `GET /v1/events` does not list.
    pub fn connect(mut self, application: &str) -> Self {
        self.application = Some(application.to_owned());
        self
    }
    pub fn description(mut self, text: &str) -> Self {
        self.description = Some(text.to_owned());
        self
    }

    pub(crate) fn to_json(&self, livemode: bool) -> Value {
        json!({
            "id": self.id,
            "object": "webhook_endpoint",
            "api_version": API_VERSION,
            "application": self.application,
            "created": self.created,
            "description": self.description,
            "enabled_events": self.enabled_events,
            "livemode": livemode,
            "metadata": {},
            "status": if self.enabled { "enabled" } else { "disabled" },
            "url": self.url,
        })
    }
}

/// How an event's deliveries went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Every endpoint answered 2xx.
    Delivered,
    /// An endpoint failed every attempt so far. As on Stripe, the event stays
    /// pending (`pending_webhooks` > 0) while Stripe retries — up to 3 days in
    /// live mode — and only then drops to 0.
    Failed,
    /// Still being retried: `pending_webhooks` > 0.
    Pending,
}

/// How long Stripe retries a live-mode delivery.
pub const RETRY_WINDOW_SECS: i64 = 3 * 86_400;

/// An event in the account, `age` seconds old when the fake was built.
#[derive(Clone, Debug)]
pub struct Event {
    pub id: String,
    pub kind: String,
    pub created: i64,
    pub delivery: Delivery,
    /// Fields set over the generated `data.object` (a customer, an email, a status).
    pub object_patch: Option<Value>,
}

impl Event {
    fn new(kind: &str, age_secs: i64, delivery: Delivery) -> Self {
        Self {
            id: String::new(),
            kind: kind.to_owned(),
            created: unix_now() - age_secs,
            delivery,
            object_patch: None,
        }
    }
    pub fn delivered(kind: &str, age_secs: i64) -> Self {
        Self::new(kind, age_secs, Delivery::Delivered)
    }
    pub fn failed(kind: &str, age_secs: i64) -> Self {
        Self::new(kind, age_secs, Delivery::Failed)
    }
    pub fn pending(kind: &str, age_secs: i64) -> Self {
        Self::new(kind, age_secs, Delivery::Pending)
    }
    pub fn id(mut self, id: &str) -> Self {
        self.id = id.to_owned();
        self
    }
    /// Set these top-level fields of `data.object` (e.g. `customer`,
    /// `customer_details`, `payment_status`, `amount_paid`, `status`).
    pub fn object(mut self, patch: Value) -> Self {
        self.object_patch = Some(patch);
        self
    }

    /// What `delivery_success=false` returns: pending or failed on every attempt.
    pub(crate) fn unsuccessful(&self) -> bool {
        self.delivery != Delivery::Delivered
    }

    /// Endpoints still owed a delivery: a failed event stays pending while Stripe
    /// retries (3 days), as the real API reports it.
    pub(crate) fn pending_webhooks(&self, now: i64) -> u32 {
        match self.delivery {
            Delivery::Delivered => 0,
            Delivery::Pending => 1,
            Delivery::Failed => u32::from(now - self.created < RETRY_WINDOW_SECS),
        }
    }

    pub(crate) fn to_json(&self, livemode: bool) -> Value {
        let suffix = self.id.trim_start_matches("evt_");
        let mut object = super::shapes::object_for(&self.kind, suffix, self.created, livemode);
        if let (Some(Value::Object(patch)), Some(fields)) =
            (&self.object_patch, object.as_object_mut())
        {
            fields.extend(patch.clone());
        }
        json!({
            "id": self.id,
            "object": "event",
            "api_version": API_VERSION,
            "created": self.created,
            "data": {
                "object": object
            },
            "livemode": livemode,
            "pending_webhooks": self.pending_webhooks(unix_now()),
            "request": { "id": format!("req_{suffix}"), "idempotency_key": format!("ik-{suffix}") },
            "type": self.kind,
        })
    }
}
