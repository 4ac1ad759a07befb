//! The baseline: the runtime alone, `main` black-boxing an empty outcome.
#![no_std]
#![no_main]

fn nothing(out: &mut [u8]) -> firmware::probes::Outcome {
    firmware::probes::Outcome {
        status: 0,
        len: out.len(),
    }
}

firmware::probe!(nothing);
