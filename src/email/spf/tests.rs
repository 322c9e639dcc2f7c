//! Unit tests of the SPF record grammar.

use super::*;

fn parse(s: &str) -> Result<SpfRecord, SpfSyntaxError> {
    parse_record(s.as_bytes())
}

#[test]
fn parses_every_mechanism_and_modifier() -> Result<(), SpfSyntaxError> {
    let r = parse(
        "v=spf1 +all -include:_spf.example.com ~a ?a:x.example.com/24//64 mx/26 \
         mx:m.example.com//48 ptr ptr:example.org ip4:192.0.2.0/24 ip6:2001:db8::/32 \
         exists:%{ir}.%{l1r-}.e.example.com redirect=_spf.example.net exp=exp.%{d} x-foo=%{d}",
    )?;
    assert_eq!(r.directives.len(), 11);
    assert_eq!(r.directives[0].qualifier, Qualifier::Pass);
    assert_eq!(r.directives[1].qualifier, Qualifier::Fail);
    assert_eq!(r.directives[2].qualifier, Qualifier::SoftFail);
    assert!(matches!(
        r.directives[3].mechanism,
        Mechanism::A {
            cidr4: 24,
            cidr6: 64,
            domain: Some(_)
        }
    ));
    assert!(matches!(
        r.directives[4].mechanism,
        Mechanism::Mx {
            cidr4: 26,
            cidr6: 128,
            domain: None
        }
    ));
    assert!(matches!(
        r.directives[9].mechanism,
        Mechanism::Ip6 { prefix: 32, .. }
    ));
    assert_eq!(
        r.redirect.as_ref().map(|m| m.as_str()),
        Some("_spf.example.net")
    );
    assert_eq!(r.exp.as_ref().map(|m| m.as_str()), Some("exp.%{d}"));
    assert_eq!(r.unknown_modifiers.len(), 1);
    assert_eq!(r.all(), Some(Qualifier::Pass));
    Ok(())
}

#[test]
fn rejects_bad_syntax() {
    for bad in [
        "v=spf1 moo",
        "v=spf1 -all.",
        "v=spf1 -all:foo",
        "v=spf1 -all/8",
        "v=spf1 include",
        "v=spf1 include:",
        "v=spf1 a:foo-bar",
        "v=spf1 a/33",
        "v=spf1 a//129",
        "v=spf1 a/024",
        "v=spf1 ip4:1.2.3.4/33",
        "v=spf1 ip4:1.2.3",
        "v=spf1 ip4:",
        "v=spf1 ip6:::1/129",
        "v=spf1 ip6:1.2.3.4",
        "v=spf1 redirect=a.com redirect=b.com",
        "v=spf1 exp=a.com exp=b.com",
        "v=spf1 redirect:a.example.com",
        "v=spf1 moo.cow/x=y",
        "v=spf1 1x=y",
        "v=spf1 exists:%{x}.example.com",
        "v=spf1 a:%{c}.example.com",
        "v=spf1 ip4:1.2.3.4\r-all",
        "v=spf1 a:\u{ef}x.example.com",
        "v=spf10",
    ] {
        assert!(parse(bad).is_err(), "{bad:?} should be a syntax error");
    }
}

#[test]
fn accepts_edge_cases() {
    for good in [
        "v=spf1",
        "V=SpF1 -ALL",
        "v=spf1  a  -all ",
        "v=spf1 moo.cow-far_out=man:dog/cat -all",
        "v=spf1 a:%{H}.bar -all",
        "v=spf1 ip4:0.0.0.0/0 ip6:::/0",
        "v=spf1 a:mail.example...com",
    ] {
        assert!(parse(good).is_ok(), "{good:?} should parse");
    }
}

#[test]
fn selection() {
    let txt = |s: &[&str]| {
        s.iter()
            .map(|x| vec![x.as_bytes().to_vec()])
            .collect::<Vec<_>>()
    };
    assert_eq!(
        select_record(&txt(&["google-site-verification=x"])),
        Selected::None
    );
    assert_eq!(select_record(&txt(&["v=spf10 -all"])), Selected::None);
    assert!(matches!(
        select_record(&txt(&["v=spf1 -all", "v=spf1 +all"])),
        Selected::Many(_)
    ));
    let split = vec![vec![b"v=spf1 ip4:".to_vec(), b"192.0.2.5 -all".to_vec()]];
    assert_eq!(
        select_record(&split),
        Selected::One(b"v=spf1 ip4:192.0.2.5 -all".to_vec())
    );
}
