//! A Stripe API fake for the sandbox: `GET /v1/webhook_endpoints` and `GET /v1/events`
//! with Stripe's list shape, pagination (`limit`, `starting_after`), the event filters
//! the checks use (`delivery_success`, `created[gte|gt|lte|lt]`, `type`) and Stripe's
//! error shape. It holds several accounts, each selected by the Bearer key, so one
//! world can serve one scenario per key.

mod api;
mod objects;

use std::sync::Arc;
use std::sync::atomic::AtomicU32;
use std::time::Duration;

use super::web::{Req, Resp, Site, handler};
pub use objects::{API_VERSION, Delivery, Endpoint, Event};

/// The fake's default host; point `stripe.api_base` at `https://api.stripe.sandbox`.
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
    pub behaviour: Behaviour,
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
            behaviour: Behaviour::Normal,
            requests: Arc::new(AtomicU32::new(0)),
        }
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
    pub fn behaviour(mut self, behaviour: Behaviour) -> Self {
        self.behaviour = behaviour;
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

    pub fn site(self) -> Site {
        let accounts = Arc::new(self.accounts);
        let serve = move |req: &Req| -> Resp { api::answer(&accounts, req) };
        Site::new(&self.host).route("*", handler(serve))
    }
}
