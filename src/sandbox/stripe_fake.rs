//! A Stripe API fake for the sandbox, on the API fake kit (`sandbox::api_fake`):
//! `GET /v1/webhook_endpoints` and `GET /v1/events` with Stripe's list shape,
//! pagination (`limit`, `starting_after`), the event filters (`delivery_success`,
//! `created[gte|gt|lte|lt]`, `type`, `types[]`), Stripe's error shape, and Stripe's
//! strictness: pretty-printed pages of real-sized events, unknown query parameters
//! answered 400 `parameter_unknown`, failed events pending while Stripe retries,
//! transient failures on demand. It holds several accounts, each selected by the
//! Bearer key, so one world can serve one scenario per key.

mod api;
mod objects;
pub mod shapes;

use std::sync::Arc;
use std::sync::atomic::AtomicU32;
use std::time::Duration;

use super::api_fake::{ApiFake, Fault, RequestLog, Rule, Script};
use super::web::Site;
pub use objects::{API_VERSION, Delivery, Endpoint, Event, RETRY_WINDOW_SECS};

/// The fake's default host; point `STRIPE_API_BASE` at `https://api.stripe.sandbox`.
pub const HOST: &str = "api.stripe.sandbox";

/// How an account's API misbehaves.
#[derive(Clone, Debug, Default)]
pub enum Behaviour {
    #[default]
    Normal,
    /// 403 on this path: a restricted key without the permission for it.
    Deny(&'static str),
    /// The first `n` requests get 429 with `Retry-After: 1`.
    RateLimited(u32),
    /// Every request gets this 5xx status.
    ServerError(u16),
    /// The first `times` requests get `status`, then the API recovers.
    Transient { status: u16, times: u32 },
    /// Every request gets this status with `Stripe-Should-Retry: false`.
    DoNotRetry(u16),
    /// 200 with a body that is not JSON.
    Garbage,
    /// Every answer comes this late.
    Slow(Duration),
}

/// One Stripe account: its endpoints, its events and how its API behaves.
#[derive(Clone, Debug)]
pub struct Account {
    pub livemode: bool,
    pub endpoints: Vec<Endpoint>,
    pub events: Vec<Event>,
    /// Customers by id, with their email (`GET /v1/customers/{id}`).
    pub customers: Vec<(String, Option<String>)>,
    /// 403 on this path.
    pub(crate) denied: Option<&'static str>,
    pub(crate) script: Script,
    pub(crate) requests: Arc<AtomicU32>,
}

impl Default for Account {
    fn default() -> Self {
        Self::new()
    }
}

impl Account {
    pub fn new() -> Self {
        Self {
            livemode: true,
            endpoints: Vec::new(),
            events: Vec::new(),
            customers: Vec::new(),
            denied: None,
            script: Script::new(),
            requests: Arc::new(AtomicU32::new(0)),
        }
    }
    /// A test-mode account (objects say `livemode: false`).
    pub fn test_mode(mut self) -> Self {
        self.livemode = false;
        self
    }
    pub fn endpoint(mut self, mut endpoint: Endpoint) -> Self {
        if endpoint.id.is_empty() {
            endpoint.id = format!("we_1Fake{:0>17}", self.endpoints.len() + 1);
        }
        self.endpoints.push(endpoint);
        self
    }
    pub fn event(mut self, mut event: Event) -> Self {
        if event.id.is_empty() {
            event.id = format!("evt_1Fake{:0>19}", self.events.len() + 1);
        }
        self.events.push(event);
        self
    }
    pub fn events(self, events: impl IntoIterator<Item = Event>) -> Self {
        events.into_iter().fold(self, Account::event)
    }
    pub fn customer(mut self, id: &str, email: Option<&str>) -> Self {
        self.customers
            .push((id.to_owned(), email.map(str::to_owned)));
        self
    }
    pub fn behaviour(self, behaviour: Behaviour) -> Self {
        match behaviour {
            Behaviour::Normal => self,
            Behaviour::Deny(path) => Self {
                denied: Some(path),
                ..self
            },
            Behaviour::RateLimited(n) => self.fault(
                Rule::new(Fault::RateLimited {
                    retry_after_secs: 1,
                })
                .times(n),
            ),
            Behaviour::ServerError(status) => self.fault(Rule::new(Fault::status(status))),
            Behaviour::Transient { status, times } => {
                self.fault(Rule::new(Fault::status(status)).times(times))
            }
            Behaviour::DoNotRetry(status) => self.fault(Rule::new(Fault::status_with(
                status,
                "Stripe-Should-Retry",
                "false",
            ))),
            Behaviour::Garbage => self.fault(Rule::new(Fault::Garbage)),
            Behaviour::Slow(d) => self.fault(Rule::new(Fault::Slow(d))),
        }
    }
    /// Any scripted fault for this account's requests.
    pub fn fault(mut self, rule: Rule) -> Self {
        self.script = self.script.rule(rule);
        self
    }
    /// Counts every authenticated request to this account (clone it before the
    /// account moves into a world, to assert on paging).
    pub fn request_counter(&self) -> Arc<AtomicU32> {
        self.requests.clone()
    }
}

#[derive(Clone, Debug)]
pub(crate) enum KeyMatch {
    Exact(String),
    /// Any well-formed live secret or restricted key (the demo makes its key at run time).
    AnyLive,
}

impl KeyMatch {
    pub(crate) fn matches(&self, key: &str) -> bool {
        match self {
            KeyMatch::Exact(k) => k == key,
            KeyMatch::AnyLive => crate::stripe::keys::parse_key(key).is_some_and(|k| {
                k.is_well_formed()
                    && k.is_live()
                    && (key.starts_with("sk_") || key.starts_with("rk_"))
            }),
        }
    }
}

#[derive(Clone, Debug)]
pub struct StripeFake {
    host: String,
    accounts: Vec<(KeyMatch, Account)>,
    log: RequestLog,
    compact: bool,
}

impl Default for StripeFake {
    fn default() -> Self {
        Self::new()
    }
}

impl StripeFake {
    pub fn new() -> Self {
        Self {
            host: HOST.to_owned(),
            accounts: Vec::new(),
            log: RequestLog::new(),
            compact: false,
        }
    }
    pub fn host(mut self, host: &str) -> Self {
        self.host = host.to_owned();
        self
    }
    /// An account reached with exactly this key.
    pub fn account(mut self, key: &str, account: Account) -> Self {
        self.accounts
            .push((KeyMatch::Exact(key.to_owned()), account));
        self
    }
    /// An account reached with any well-formed live `sk_`/`rk_` key not matched before.
    pub fn any_live_key(mut self, account: Account) -> Self {
        self.accounts.push((KeyMatch::AnyLive, account));
        self
    }
    /// Record every request in `log`.
    pub fn log_to(mut self, log: &RequestLog) -> Self {
        self.log = log.clone();
        self
    }
    /// Compact JSON (Stripe indents its answers; only for size comparisons).
    pub fn compact(mut self) -> Self {
        self.compact = true;
        self
    }

    pub fn site(self) -> Site {
        let accounts = Arc::new(self.accounts);
        let known = accounts.clone();
        let fake = ApiFake::new(&self.host)
            .errors(api::stripe_error)
            .accept("authorization", move |key| {
                known.iter().any(|(m, _)| m.matches(key))
            })
            .unauthorized(api::unauthorized)
            .log_to(&self.log);
        let fake = if self.compact { fake.compact() } else { fake };
        let for_endpoints = accounts.clone();
        fake.route(
            "/v1/webhook_endpoints",
            Some(api::ENDPOINT_PARAMS),
            move |req| api::answer(&for_endpoints, req),
        )
        .route("/v1/customers/*", Some(api::CUSTOMER_PARAMS), {
            let accounts = accounts.clone();
            move |req| api::answer(&accounts, req)
        })
        .route("/v1/events", Some(api::EVENT_PARAMS), move |req| {
            api::answer(&accounts, req)
        })
        .site()
    }
}
