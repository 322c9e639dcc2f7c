//! A monitor for the uptime fakes, in neutral words: `betterstack_fake` and
//! `uptimerobot_fake` each render it in their provider's own shape, so one scenario
//! can be told to both.

/// What the monitor requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probe {
    /// HTTP status check (2xx/3xx is up).
    Http,
    /// HTTP check that counts these statuses as up (405 for a POST-only route).
    Expect(Vec<u16>),
    /// The page must contain this keyword.
    Keyword(String),
    Ping,
    Port(u16),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reported {
    Up,
    Down,
    Paused,
    Pending,
    Maintenance,
}

#[derive(Clone, Debug)]
pub struct FakeMonitor {
    pub id: u64,
    pub name: String,
    pub url: String,
    pub probe: Probe,
    pub reported: Reported,
    pub interval_s: u64,
    /// An escalation policy / alert contact is attached.
    pub alerting: bool,
}

impl FakeMonitor {
    /// An HTTP monitor, up, every 60 s, with an alert route.
    pub fn http(id: u64, name: &str, url: &str) -> Self {
        Self {
            id,
            name: name.to_owned(),
            url: url.to_owned(),
            probe: Probe::Http,
            reported: Reported::Up,
            interval_s: 60,
            alerting: true,
        }
    }
    pub fn probe(mut self, probe: Probe) -> Self {
        self.probe = probe;
        self
    }
    pub fn reported(mut self, reported: Reported) -> Self {
        self.reported = reported;
        self
    }
    pub fn every(mut self, seconds: u64) -> Self {
        self.interval_s = seconds;
        self
    }
    pub fn silent(mut self) -> Self {
        self.alerting = false;
        self
    }
}
