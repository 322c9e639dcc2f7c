//! Evidence: what checks judge, fetched at most once per audit. A *source* is a typed
//! key (`dns::Addresses("www.acme.app")`, `stripe::Endpoints`) whose value type is fixed
//! by the key's type; the first check to ask fetches it, concurrent askers wait for that
//! one fetch, later ones read the stored answer. A source that cannot produce its
//! evidence says why once, as [`Unavailable`], and every check reading it returns
//! that (`?` converts it into the check's outcome).
//!
//! Dependency direction: checks → evidence → net. Checks never reach `Net` themselves.

pub mod cloudflare;
pub mod code;
pub mod crm;
pub mod dns;
pub mod env;
pub mod mail;
pub mod monitoring;
pub mod platform;
pub mod stripe;
pub mod tls;
pub mod webhook;

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::context::Context;
use crate::net::{Memo, Net};
use crate::report::Outcome;

/// Why a source has no evidence: a missing prerequisite (`skip`, with the reason) or
/// something that went wrong (`error`, never a verdict).
#[derive(Clone, Debug, PartialEq)]
pub enum Unavailable {
    Skip(String),
    Error {
        reason: String,
        details: Value,
        remediation: Option<String>,
    },
}

impl Unavailable {
    pub fn skip(reason: impl Into<String>) -> Self {
        Unavailable::Skip(reason.into())
    }

    pub fn error(reason: impl Into<String>) -> Self {
        Unavailable::Error {
            reason: reason.into(),
            details: Value::Null,
            remediation: None,
        }
    }

    /// Report details for an `error` (a `skip` carries its reason only).
    pub fn details(mut self, value: Value) -> Self {
        if let Unavailable::Error { details, .. } = &mut self {
            *details = value;
        }
        self
    }

    pub fn remediation(mut self, text: impl Into<String>) -> Self {
        if let Unavailable::Error { remediation, .. } = &mut self {
            *remediation = Some(text.into());
        }
        self
    }
}

/// The one place where missing evidence becomes a result.
impl From<Unavailable> for Outcome {
    fn from(u: Unavailable) -> Self {
        match u {
            Unavailable::Skip(reason) => Outcome::skip(reason),
            Unavailable::Error {
                reason,
                details,
                remediation,
            } => {
                let out = Outcome::error(reason).details(details);
                match remediation {
                    Some(fix) => out.remediation(fix),
                    None => out,
                }
            }
        }
    }
}

/// Evidence or why there is none.
pub type Got<T> = Result<Arc<T>, Unavailable>;

/// A kind of evidence. The key's fields say which one (a host, a webhook name); its
/// type says what comes back.
pub trait Source: Clone + Eq + Hash + Send + Sync + 'static {
    type Value: Send + Sync + 'static;
    fn fetch(&self, cx: &Context) -> impl Future<Output = Result<Self::Value, Unavailable>> + Send;
}

/// Every source's answers for one audit, one table per key type.
#[derive(Default)]
pub struct Store {
    tables: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

type Table<S> = Memo<S, Got<<S as Source>::Value>>;

impl Store {
    pub async fn get<S: Source>(&self, cx: &Context, key: S) -> Got<S::Value> {
        let table = self.table::<S>();
        table
            .get_or_run(&key, || async { key.fetch(cx).await.map(Arc::new) })
            .await
    }

    fn table<S: Source>(&self) -> Arc<Table<S>> {
        let mut tables = match self.tables.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let entry = tables
            .entry(TypeId::of::<S>())
            .or_insert_with(|| Arc::new(Table::<S>::default()));
        match Arc::clone(entry).downcast::<Table<S>>() {
            Ok(table) => table,
            // The table is keyed by the source's TypeId, so it always has that type;
            // should that ever break, a fresh table only costs a repeated fetch.
            Err(_) => Arc::new(Table::<S>::default()),
        }
    }
}

/// The network, for sources (the runner skips network checks under `--offline`
/// before they run, so this is a safeguard).
pub(crate) fn net(cx: &Context) -> Result<&Net, Unavailable> {
    cx.net
        .as_ref()
        .ok_or_else(|| Unavailable::error("network access is off (--offline)"))
}

#[cfg(test)]
mod tests;
