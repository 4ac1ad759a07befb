extern crate std;
use super::*;
use proptest::prelude::*;
use std::string::{String, ToString};
use std::vec;

fn parts(s: &str) -> (&str, u16, &str, Option<&str>) {
    let url = Url::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    (url.host(), url.port(), url.path(), url.query())
}

#[test]
fn accepts_the_forms_of_the_issue() {
    assert_eq!(parts("http://example.com"), ("example.com", 80, "/", None));
    assert_eq!(parts("http://example.com/"), ("example.com", 80, "/", None));
    assert_eq!(
        parts("http://example.com:8080"),
        ("example.com", 8080, "/", None)
    );
    assert_eq!(
        parts("http://example.com:8080/a/b.html"),
        ("example.com", 8080, "/a/b.html", None)
    );
    assert_eq!(
        parts("http://h/p?q=1&r=2"),
        ("h", 80, "/p", Some("q=1&r=2"))
    );
    assert_eq!(parts("http://h?q"), ("h", 80, "/", Some("q")));
    assert_eq!(parts("http://h/?"), ("h", 80, "/", Some("")));
    assert_eq!(parts("http://192.0.2.1:81/"), ("192.0.2.1", 81, "/", None));
    assert_eq!(parts("http://[::1]:8080/"), ("::1", 8080, "/", None));
    assert_eq!(parts("http://[::1]"), ("::1", 80, "/", None));
    assert_eq!(
        parts("http://[2001:db8::7]/x"),
        ("2001:db8::7", 80, "/x", None)
    );
    assert_eq!(
        parts("http://[::ffff:192.0.2.1]/"),
        ("::ffff:192.0.2.1", 80, "/", None)
    );
    assert_eq!(parts("http://h:65535/"), ("h", 65535, "/", None));
    assert_eq!(parts("http://h:0080/"), ("h", 80, "/", None));
    // Empty port: RFC 3986 says it means the default.
    assert_eq!(parts("http://h:/x"), ("h", 80, "/x", None));
    assert_eq!(parts("HTTP://H.example/"), ("H.example", 80, "/", None));
    assert_eq!(parts("hTtP://h/"), ("h", 80, "/", None));
    assert_eq!(parts("http://a-b_c~d.e/"), ("a-b_c~d.e", 80, "/", None));
    // `@`, `:` and `[` are fine in a path and query.
    assert_eq!(
        parts("http://h/a@b:c/[d]?e@f"),
        ("h", 80, "/a@b:c/[d]", Some("e@f"))
    );
    assert_eq!(parts("http://h/%20x"), ("h", 80, "/%20x", None));
}

#[test]
fn drops_the_fragment() {
    assert_eq!(parts("http://h/p#frag"), ("h", 80, "/p", None));
    assert_eq!(parts("http://h/p?q#frag"), ("h", 80, "/p", Some("q")));
    assert_eq!(parts("http://h#frag"), ("h", 80, "/", None));
    assert_eq!(parts("http://h:81#f?x"), ("h", 81, "/", None));
    assert_eq!(
        Url::parse("http://h/p?q#f").map(|u| u.as_str()),
        Ok("http://h/p?q")
    );
}

#[test]
fn accessors_are_slices_of_the_input() {
    let input = "http://[::1]:8080/a?b";
    let url = Url::parse(input).unwrap();
    let range = input.as_bytes().as_ptr_range();
    for s in [
        url.host(),
        url.host_bracketed(),
        url.path(),
        url.query().unwrap(),
        url.as_str(),
    ] {
        assert!(
            range.contains(&s.as_ptr()),
            "{s:?} is not borrowed from the input"
        );
    }
    assert_eq!(url.host_bracketed(), "[::1]");
    assert!(url.is_ipv6());
    assert!(!Url::parse("http://h/").unwrap().is_ipv6());
    assert_eq!(url.to_string(), input);
}

#[test]
fn refuses_other_schemes() {
    assert_eq!(Url::parse("https://example.com/"), Err(UrlError::Https));
    assert_eq!(Url::parse("HTTPS://example.com/"), Err(UrlError::Https));
    assert_eq!(Url::parse("https:example.com"), Err(UrlError::Https));
    assert_eq!(
        Url::parse("ftp://example.com/"),
        Err(UrlError::UnsupportedScheme)
    );
    assert_eq!(Url::parse("ws://h/"), Err(UrlError::UnsupportedScheme));
    assert_eq!(Url::parse("httpx://h/"), Err(UrlError::UnsupportedScheme));
    assert_eq!(Url::parse("example.com/"), Err(UrlError::MissingScheme));
    assert_eq!(Url::parse("example.com:80/"), Err(UrlError::MissingScheme));
    assert_eq!(Url::parse("//example.com/"), Err(UrlError::MissingScheme));
    assert_eq!(
        Url::parse("http:/example.com/"),
        Err(UrlError::MissingScheme)
    );
    assert_eq!(Url::parse("http:example.com"), Err(UrlError::MissingScheme));
    assert_eq!(Url::parse(""), Err(UrlError::MissingScheme));
    assert_eq!(Url::parse(":"), Err(UrlError::MissingScheme));
    assert_eq!(Url::parse("1http://h/"), Err(UrlError::MissingScheme));
    assert_eq!(Url::parse("mailto:a@b"), Err(UrlError::MissingScheme));
}

#[test]
fn refuses_userinfo() {
    assert_eq!(Url::parse("http://user@h/"), Err(UrlError::Userinfo));
    assert_eq!(Url::parse("http://user:pw@h/"), Err(UrlError::Userinfo));
    assert_eq!(Url::parse("http://@h/"), Err(UrlError::Userinfo));
    assert_eq!(
        Url::parse("http://evil.com@good.com/"),
        Err(UrlError::Userinfo)
    );
}

#[test]
fn refuses_bad_hosts() {
    assert_eq!(Url::parse("http://"), Err(UrlError::MissingHost));
    assert_eq!(Url::parse("http:///path"), Err(UrlError::MissingHost));
    assert_eq!(Url::parse("http://?q"), Err(UrlError::MissingHost));
    assert_eq!(Url::parse("http://:80/"), Err(UrlError::MissingHost));
    assert_eq!(Url::parse("http://#f"), Err(UrlError::MissingHost));
    assert_eq!(Url::parse("http://::1/"), Err(UrlError::MissingHost));
    for bad in [
        "http://[::1/",
        "http://[::1]x/",
        "http://[::1]]/",
        "http://[]/",
        "http://[1.2.3.4]/",
        "http://[v1.x]/",
        "http://[::1%25eth0]/",
        "http://[fe80::1%eth0]/",
        "http://h]/",
        "http://h[/",
        "http://a%41/",
        "http://a,b/",
        "http://a;b/",
        "http://a\\b/",
        "http://a\"b/",
        "http://a<b>/",
        "http://a{b}/",
        "http://a|b/",
    ] {
        assert_eq!(Url::parse(bad), Err(UrlError::InvalidHost), "{bad:?}");
    }
}

#[test]
fn refuses_bad_ports() {
    for bad in [
        "http://h:0/",
        "http://h:00000/",
        "http://h:65536/",
        "http://h:99999999999999999999999/",
        "http://h:-1/",
        "http://h:+80/",
        "http://h:8o/",
        "http://h:80:80/",
        "http://h:0x50/",
        "http://[::1]:abc/",
    ] {
        assert_eq!(Url::parse(bad), Err(UrlError::InvalidPort), "{bad:?}");
    }
    assert_eq!(Url::parse("http://[::1]:/x:y").map(|u| u.port()), Ok(80));
}

#[test]
fn refuses_space_control_and_non_ascii_bytes_anywhere() {
    let base = "http://host:81/path?query#frag";
    for position in 0..=base.len() {
        for bad in [
            ' ', '\r', '\n', '\t', '\0', '\x1b', '\x7f', 'é', '\u{85}', '\u{2028}',
        ] {
            let mut s = String::from(base);
            s.insert(position, bad);
            assert_eq!(
                Url::parse(&s),
                Err(UrlError::InvalidByte { position }),
                "{s:?}"
            );
        }
    }
    // The classic header injection.
    assert_eq!(
        Url::parse("http://h/x HTTP/1.0\r\nX-Evil: 1\r\n\r\n"),
        Err(UrlError::InvalidByte { position: 10 })
    );
    assert_eq!(
        Url::parse("http://h/%0d%0aX: y").map(|u| u.path()),
        Err(UrlError::InvalidByte { position: 17 })
    );
}

#[test]
fn errors_have_words() {
    assert_eq!(
        UrlError::Https.to_string(),
        "https URLs are not supported: towel has no TLS (use http://)"
    );
    assert_eq!(
        UrlError::InvalidByte { position: 3 }.to_string(),
        "URL has a space, control or non-ASCII byte at offset 3"
    );
}

fn join(base: &str, location: &str) -> Result<String, UrlError> {
    let base = Url::parse(base).unwrap();
    let mut buf = [0u8; 256];
    base.join(location, &mut buf)
        .map(|u| u.as_str().to_string())
}

/// RFC 3986 section 5.4, with base `http://a/b/c/d;p?q`. Differences: an empty path comes out
/// as `/` (the same resource over HTTP), and non-http schemes are refused.
#[test]
fn join_follows_rfc3986_examples() {
    let base = "http://a/b/c/d;p?q";
    for (reference, expected) in [
        ("g", "http://a/b/c/g"),
        ("./g", "http://a/b/c/g"),
        ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"),
        ("//g", "http://g/"),
        ("?y", "http://a/b/c/d;p?y"),
        ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q"),
        ("g#s", "http://a/b/c/g"),
        ("g?y#s", "http://a/b/c/g?y"),
        (";x", "http://a/b/c/;x"),
        ("g;x", "http://a/b/c/g;x"),
        ("g;x?y#s", "http://a/b/c/g;x?y"),
        ("", "http://a/b/c/d;p?q"),
        (".", "http://a/b/c/"),
        ("./", "http://a/b/c/"),
        ("..", "http://a/b/"),
        ("../", "http://a/b/"),
        ("../g", "http://a/b/g"),
        ("../..", "http://a/"),
        ("../../", "http://a/"),
        ("../../g", "http://a/g"),
        ("../../../g", "http://a/g"),
        ("../../../../g", "http://a/g"),
        ("/./g", "http://a/g"),
        ("/../g", "http://a/g"),
        ("g.", "http://a/b/c/g."),
        (".g", "http://a/b/c/.g"),
        ("g..", "http://a/b/c/g.."),
        ("..g", "http://a/b/c/..g"),
        ("./../g", "http://a/b/g"),
        ("./g/.", "http://a/b/c/g/"),
        ("g/./h", "http://a/b/c/g/h"),
        ("g/../h", "http://a/b/c/h"),
        ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
        ("g;x=1/../y", "http://a/b/c/y"),
        ("g?y/./x", "http://a/b/c/g?y/./x"),
        ("g?y/../x", "http://a/b/c/g?y/../x"),
        ("g#s/./x", "http://a/b/c/g"),
        ("g#s/../x", "http://a/b/c/g"),
    ] {
        assert_eq!(
            join(base, reference).as_deref(),
            Ok(expected),
            "{reference:?}"
        );
    }
    assert_eq!(join(base, "g:h"), Err(UrlError::MissingScheme));
    assert_eq!(join(base, "http:g"), Err(UrlError::MissingScheme));
}

#[test]
fn join_keeps_the_authority_and_normalizes_absolute_locations() {
    assert_eq!(
        join("http://h:8080/a/b", "c").as_deref(),
        Ok("http://h:8080/a/c")
    );
    assert_eq!(
        join("http://[::1]:81/a", "/x").as_deref(),
        Ok("http://[::1]:81/x")
    );
    assert_eq!(join("http://h", "x").as_deref(), Ok("http://h/x"));
    assert_eq!(join("http://h", "").as_deref(), Ok("http://h/"));
    assert_eq!(join("http://h", "?q").as_deref(), Ok("http://h/?q"));
    assert_eq!(join("http://h/", "//o:81").as_deref(), Ok("http://o:81/"));
    assert_eq!(
        join("http://h/", "//o:80/p?q").as_deref(),
        Ok("http://o/p?q")
    );
    assert_eq!(
        join("http://h/", "HTTP://O:0080/a/../b").as_deref(),
        Ok("http://O/b")
    );
    assert_eq!(join("http://h/", "http://o").as_deref(), Ok("http://o/"));
    assert_eq!(
        join("http://h/a/", "/a/./b//c/../d/").as_deref(),
        Ok("http://h/a/b//d/")
    );
}

#[test]
fn join_refuses_what_parse_refuses() {
    assert_eq!(join("http://h/", "https://h/"), Err(UrlError::Https));
    assert_eq!(
        join("http://h/", "ftp://h/"),
        Err(UrlError::UnsupportedScheme)
    );
    assert_eq!(join("http://h/", "//u@o/"), Err(UrlError::Userinfo));
    assert_eq!(join("http://h/", "//o:99999/"), Err(UrlError::InvalidPort));
    assert_eq!(join("http://h/", "//"), Err(UrlError::MissingHost));
    assert_eq!(join("http://h/", "//[x]/"), Err(UrlError::InvalidHost));
    assert_eq!(
        join("http://h/", "a b"),
        Err(UrlError::InvalidByte { position: 1 })
    );
    assert_eq!(
        join("http://h/", "/x\r\nSet-Cookie: a"),
        Err(UrlError::InvalidByte { position: 2 })
    );
}

#[test]
fn join_reports_a_buffer_too_small() {
    let base = Url::parse("http://host/dir/page").unwrap();
    let expected = "http://host/dir/other?q";
    for len in 0..expected.len() {
        let mut buf = vec![0u8; len];
        assert_eq!(
            base.join("other?q", &mut buf),
            Err(UrlError::TooLong),
            "len {len}"
        );
    }
    let mut buf = vec![0u8; expected.len()];
    assert_eq!(
        base.join("other?q", &mut buf).map(|u| u.as_str()),
        Ok(expected)
    );
}

/// A strategy for URL-ish text: pieces that matter to the parser, glued at random.
fn urlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("http://".to_string()),
        Just("https://".to_string()),
        Just("//".to_string()),
        Just("/".to_string()),
        Just("..".to_string()),
        Just(".".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just(":".to_string()),
        Just("@".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("::1".to_string()),
        Just("%".to_string()),
        "[a-z0-9]{1,4}",
        any::<char>().prop_map(String::from),
        any::<u16>().prop_map(|p| p.to_string()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn parse_never_panics_and_what_it_accepts_is_clean(s in urlish()) {
        if let Ok(url) = Url::parse(&s) {
            for part in [url.host(), url.path(), url.query().unwrap_or("")] {
                prop_assert!(!part.bytes().any(is_forbidden));
                prop_assert!(!part.contains('#'));
            }
            prop_assert!(url.path().starts_with('/'));
            prop_assert!(!url.host().is_empty());
            prop_assert!(url.port() != 0);
            prop_assert!(!url.host().contains(['/', '?', '@']));
            // Parsing what it printed gives the same URL.
            prop_assert_eq!(Url::parse(url.as_str()), Ok(url));
        }
    }

    #[test]
    fn parse_never_panics_on_any_string(s in ".*") {
        let _ = Url::parse(&s);
    }

    #[test]
    fn join_never_panics_and_the_documented_buffer_is_enough(
        base in urlish(), location in urlish(), len in 0usize..96
    ) {
        let Ok(base) = Url::parse(&base) else { return Ok(()) };
        let mut small = vec![0u8; len];
        let _ = base.join(&location, &mut small);
        let mut buf = vec![0u8; base.as_str().len() + location.len() + 8];
        match base.join(&location, &mut buf) {
            Ok(url) => {
                prop_assert!(url.path().starts_with('/'));
                // Resolved paths have no dot segments left.
                prop_assert!(!url.path().split('/').any(|s| s == "." || s == ".."));
                // Resolving the result against anything as an absolute URL is stable.
                let text = url.as_str().to_string();
                let mut again = vec![0u8; text.len() + 8];
                prop_assert_eq!(base.join(&text, &mut again).map(|u| u.as_str()), Ok(text.as_str()));
            }
            Err(e) => prop_assert_ne!(e, UrlError::TooLong),
        }
    }
}
