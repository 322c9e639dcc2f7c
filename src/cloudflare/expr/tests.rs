use super::*;

#[derive(serde::Deserialize)]
struct Case {
    expr: String,
    path: String,
    expect: serde_json::Value,
}

#[derive(serde::Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[test]
fn fixture_cases_evaluate_as_cloudflare_would() {
    let text = include_str!("../../../fixtures/cloudflare/expressions.json");
    let fixture: Fixture = serde_json::from_str(text).expect("fixture");
    assert!(fixture.cases.len() >= 30);
    for case in &fixture.cases {
        let req = Request::new("www.acme.app", &case.path, "POST");
        let got = match parse(&case.expr) {
            Err(_) => "parse-error".to_owned(),
            Ok(e) => match e.eval(&req) {
                Truth::True => "true".to_owned(),
                Truth::False => "false".to_owned(),
                Truth::Unknown(_) => "unknown".to_owned(),
            },
        };
        let want = match &case.expect {
            serde_json::Value::Bool(b) => b.to_string(),
            v => v.as_str().unwrap_or("?").to_owned(),
        };
        assert_eq!(got, want, "{} on {}", case.expr, case.path);
    }
}

#[test]
fn unknowns_name_what_is_outside_the_subset() {
    let e = parse("http.request.uri.path eq \"/x\" or ip.geoip.country eq \"FR\"").unwrap();
    match e.eval(&Request::new("a.b", "/y", "GET")) {
        Truth::Unknown(why) => assert!(why.contains("ip.geoip.country"), "{why}"),
        t => panic!("{t:?}"),
    }
}

#[test]
fn literals_are_collected_and_hostile_input_ends_in_an_error() {
    let e = parse("starts_with(http.request.uri.path, \"/api/private\") or http.request.uri.path in {\"/a\" \"/b\"}").unwrap();
    assert_eq!(e.literals(), vec!["/api/private", "/a", "/b"]);
    let deep = format!("{}x{}", "(".repeat(5000), ")".repeat(5000));
    assert!(parse(&deep).is_err());
    let nots = format!("{}ssl", "not ".repeat(5000));
    assert!(parse(&nots).is_err());
    assert!(parse(&"a".repeat(20_000)).is_err());
    for junk in [
        "\"", "r#\"x", "{", "}", "a in {", "strict x", "f(", "x[", "€",
    ] {
        let _ = parse(junk);
    }
}

#[test]
fn wildcards_match_whole_values() {
    assert!(wildcard("/api/x", "/api/*"));
    assert!(wildcard("/api/", "/api/*"));
    assert!(!wildcard("/ap", "/api/*"));
    assert!(wildcard("abcbc", "a*bc"));
    assert!(wildcard("a*b", "a\\*b"));
    assert!(!wildcard("axb", "a\\*b"));
    assert!(wildcard("", "*"));
    assert!(!wildcard(
        &"a".repeat(5000),
        &"*a".repeat(100).replace("*a*a", "*b*a")
    ));
}
