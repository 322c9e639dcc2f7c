//! Every parser must return, never panic, on arbitrary input: a deterministic fuzz
//! loop over an alphabet of the characters each grammar cares about.

use launch_ready::email::{caa, dkim, dmarc, spf};

/// xorshift: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn string(&mut self, alphabet: &[&str], max_len: u64) -> String {
        let len = self.next() % max_len;
        (0..len)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize])
            .collect()
    }
}

const ALPHABET: &[&str] = &[
    "v=spf1 ",
    "v=DMARC1",
    "v=DKIM1",
    " ",
    ";",
    ":",
    "/",
    "//",
    "=",
    "%",
    "{",
    "}",
    "%{",
    "d",
    "l",
    "i",
    "r",
    "1",
    "0",
    "9",
    "99999999999",
    ".",
    "-",
    "+",
    "~",
    "?",
    "a",
    "mx",
    "ip4:",
    "ip6:",
    "include:",
    "exists:",
    "redirect=",
    "p=",
    "k=",
    "rsa",
    "ed25519",
    "MIGf",
    "==",
    "é",
    "\u{0}",
    "\u{7f}",
    "\u{ffff}",
    "💥",
    ",",
    "!",
    "mailto:",
    "@",
    "issue",
    "\"",
    "128 ",
];

#[test]
fn parsers_never_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for _ in 0..20_000 {
        let s = rng.string(ALPHABET, 24);
        let _ = spf::parse_record(s.as_bytes());
        let _ = spf::parse_record(format!("v=spf1 {s}").as_bytes());
        let _ = spf::MacroString::parse(&s, true);
        let _ = dmarc::parse_record(&s);
        let _ = dmarc::parse_record(&format!("v=DMARC1; {s}"));
        let _ = dmarc::is_dmarc_candidate(&s);
        let _ = dmarc::organizational_domain(&s);
        let _ = dkim::check_key_record(&s);
        let _ = dkim::check_key_record(&format!("v=DKIM1; p={s}"));
        let _ = caa::parse_issue_value(&s);
        let _ = caa::CaaRecord::from_presentation(&s);
        let _ = caa::ca_domains_for_issuer(&s);
    }
    // Raw bytes, including invalid UTF-8, for the byte-level SPF entry point.
    for _ in 0..5_000 {
        let len = rng.next() % 40;
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() % 256) as u8).collect();
        let _ = spf::parse_record(&bytes);
        let mut prefixed = b"v=spf1 ".to_vec();
        prefixed.extend_from_slice(&bytes);
        let _ = spf::parse_record(&prefixed);
    }
}

#[test]
fn valid_records_survive_expansion_of_hostile_macros() {
    let ip = std::net::IpAddr::from([192, 0, 2, 1]);
    let ctx = spf::MacroContext {
        sender: "💥@é.example",
        local_part: "💥",
        sender_domain: "é.example",
        domain: "é.example",
        ip,
        helo: "%{d}",
        validated_name: None,
    };
    for raw in [
        "%{l1r-}.%{d}",
        "%{S}.%{L}",
        "%{o99999999999999999999r+-.,/_=}",
        "%{h}%%%_%-",
    ] {
        let m = spf::MacroString::parse(raw, false).unwrap_or_else(|e| panic!("{raw}: {e}"));
        let out = m.expand_domain(&ctx);
        assert!(out.len() <= 253 || !out.contains('.'), "{raw} → {out}");
    }
}
