//! One set of logging macros for `defmt` and `log` (both optional, defmt wins when both are on).
//! Without either feature they compile to nothing but still type-check their arguments.
#![allow(unused_macros)]

macro_rules! log_event {
    ($level:ident, $($arg:expr),+ $(,)?) => {{
        #[cfg(feature = "defmt")]
        defmt::$level!($($arg),+);
        #[cfg(all(feature = "log", not(feature = "defmt")))]
        log::$level!($($arg),+);
        #[cfg(not(any(feature = "log", feature = "defmt")))]
        { let _ = ($(&$arg),+); }
    }};
}

macro_rules! trace { ($($arg:expr),+ $(,)?) => { log_event!(trace, $($arg),+) }; }
macro_rules! debug { ($($arg:expr),+ $(,)?) => { log_event!(debug, $($arg),+) }; }
macro_rules! info { ($($arg:expr),+ $(,)?) => { log_event!(info, $($arg),+) }; }
macro_rules! warn { ($($arg:expr),+ $(,)?) => { log_event!(warn, $($arg),+) }; }
macro_rules! error { ($($arg:expr),+ $(,)?) => { log_event!(error, $($arg),+) }; }
