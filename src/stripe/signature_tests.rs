use super::*;

const VECTOR: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/stripe/signature-vector.json"
));

fn fixture() -> serde_json::Value {
    serde_json::from_str(VECTOR).unwrap()
}

const PAYLOAD: &str = "{\n  \"id\": \"evt_test_webhook\",\n  \"object\": \"event\"\n}";
const SECRET: &str = "whsec_test_secret";
const T: i64 = 1_700_000_000;
const GOOD: &str = "4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150";

#[test]
fn sdk_vector_matches_sign_and_header() {
    let f = fixture();
    assert_eq!(f["payload"], PAYLOAD);
    let payload = f["payload"].as_str().unwrap().as_bytes();
    let secret = f["secret"].as_str().unwrap();
    let t = f["timestamp"].as_i64().unwrap();
    assert_eq!(sign(secret, t, payload), f["signature"].as_str().unwrap());
    assert_eq!(header(secret, t, payload), f["header"].as_str().unwrap());
    assert_eq!(sign(SECRET, T, PAYLOAD.as_bytes()), GOOD);
}

fn code(r: &Result<(), SignatureError>) -> &'static str {
    match r {
        Ok(()) => "ok",
        Err(SignatureError::MissingHeader) => "missing-header",
        Err(SignatureError::MissingTimestamp) => "missing-timestamp",
        Err(SignatureError::NoExpectedScheme) => "no-expected-scheme",
        Err(SignatureError::NoMatch) => "no-match",
        Err(SignatureError::TimestampOutsideTolerance { .. }) => "timestamp-outside-tolerance",
    }
}

#[test]
fn verify_agrees_with_sdk_on_every_fixture_case() {
    let f = fixture();
    let cases = f["verify_cases"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for case in cases {
        let r = verify(
            case["header"].as_str().unwrap(),
            PAYLOAD.as_bytes(),
            SECRET,
            case["now"].as_i64().unwrap(),
            case["tolerance"].as_i64().unwrap(),
        );
        assert_eq!(
            code(&r),
            case["expect"].as_str().unwrap(),
            "{}",
            case["name"]
        );
    }
}

#[test]
fn round_trip_and_tamper() {
    let body = br#"{"id":"evt_1"}"#;
    let h = header("whsec_abc", 42, body);
    assert_eq!(
        verify(&h, body, "whsec_abc", 42, DEFAULT_TOLERANCE_S),
        Ok(())
    );
    assert_eq!(
        verify(&h, br#"{"id":"evt_2"}"#, "whsec_abc", 42, 300),
        Err(SignatureError::NoMatch)
    );
    // The prefix is part of the key: signing with the bare base64 part differs.
    assert_eq!(
        verify(&h, body, "abc", 42, 300),
        Err(SignatureError::NoMatch)
    );
}

#[test]
fn malformed_headers_fail_without_panicking() {
    let body = PAYLOAD.as_bytes();
    assert_eq!(
        verify("", body, SECRET, T, 300),
        Err(SignatureError::MissingHeader)
    );
    for h in [",", "t=", "t=abc,v1=00", "=", "v1=", "t", "x=1"] {
        assert_eq!(
            verify(h, body, SECRET, T, 300),
            Err(SignatureError::MissingTimestamp),
            "{h}"
        );
    }
    assert_eq!(
        verify("t=1700000000", body, SECRET, T, 300),
        Err(SignatureError::NoExpectedScheme)
    );
    for h in [
        "t=1700000000,v1=zz",
        "t=1700000000,v1=",
        "t=1700000000,v1=4f1c",
        "t=1700000000,v1=é",
    ] {
        assert_eq!(
            verify(h, body, SECRET, T, 300),
            Err(SignatureError::NoMatch),
            "{h}"
        );
    }
    let extreme = format!("t={},v1={GOOD}", i64::MIN);
    assert_eq!(
        verify(&extreme, body, SECRET, i64::MAX, 300),
        Err(SignatureError::NoMatch)
    );
}

#[test]
fn tolerance_zero_disables_age_check_and_replay_is_rejected() {
    let body = PAYLOAD.as_bytes();
    let h = header(SECRET, T, body);
    assert_eq!(verify(&h, body, SECRET, T + 86_400, 0), Ok(()));
    // webhook.replay-rejected sends an event signed 10 minutes ago.
    let old = header(SECRET, T - 600, body);
    assert!(matches!(
        verify(&old, body, SECRET, T, DEFAULT_TOLERANCE_S),
        Err(SignatureError::TimestampOutsideTolerance { age_s: 600, .. })
    ));
}

#[test]
fn errors_never_echo_secret_or_signature() {
    let body = PAYLOAD.as_bytes();
    let h = format!("t={T},v1={GOOD}");
    for secret in ["whsec_wrong_secret_value_1234567890", SECRET] {
        for now in [T, T + 10_000] {
            if let Err(e) = verify(&h, body, secret, now, 300) {
                let msg = e.to_string();
                assert!(!msg.contains(secret) && !msg.contains(GOOD), "{msg}");
            }
        }
    }
}
