//! The blocking GET client against any reply: never panics, never hangs, and what it hands
//! out as the body is never more than the reply held. The reply (the input after three
//! parameter bytes) is served on every connection, in reads of a size the input picks; the
//! client follows up to 3 redirects (so `Location` values exercise URL resolution), keeps two
//! headers, and uses a buffer of a size the input picks. Also parses the input as a URL and
//! resolves it against one, as `Location` would be.
#![no_main]

use embedded_io::Read;
use libfuzzer_sys::fuzz_target;
use towel::http::client::{Options, get};
use towel::io::{Spin, Wait};
use towel::url::Url;
use towel_testkit::clock::TickClock;
use towel_testkit::stack::{Script, ScriptStack};

fuzz_target!(|data: &[u8]| {
    let [len, split, chunk, reply @ ..] = data else { return };
    if let Ok(text) = std::str::from_utf8(reply) {
        let mut out = [0u8; 512];
        if let Ok(url) = Url::parse(text) {
            assert!(url.path().starts_with('/'));
        }
        let base = Url::parse("http://h:81/a/b?c").unwrap();
        if let Ok(joined) = base.join(text, &mut out) {
            assert_eq!(Url::parse(joined.as_str()), Ok(joined));
        }
    }
    let mut buf = vec![0u8; 16 + usize::from(*len) * 2];
    // Serves `reply` on each connection, `split` bytes per receive.
    let mut stack = ScriptStack::new(Script {
        reply: reply.to_vec(),
        read_max: Some(usize::from(*split).max(1)),
        ..Script::default()
    });
    let options = Options::DEFAULT.follow(3).keep(&["Content-Type", "Location"]);
    let wait = Wait::new(TickClock::new(1), Spin, 1_000);
    {
        let Ok(mut response) = get(&mut stack, wait, "http://10.0.0.1/a/b", &options, &mut buf) else {
            return;
        };
        let mut out = vec![0u8; usize::from(*chunk).max(1)];
        let mut total = 0usize;
        while let Ok(n) = response.body.read(&mut out) {
            if n == 0 {
                break;
            }
            total += n;
            assert!(total <= reply.len(), "more body than reply");
        }
    }
    let log = stack.log.borrow();
    assert_eq!(log.opened, log.closed, "a socket was left open");
    assert!(log.connects.len() <= 8, "more connections than redirects allow");
});
