//! The baseline: the runtime alone, `main` black-boxing an empty outcome. The runtime includes
//! `memcpy` (compiler_builtins): every probe binary links it, towel's and the peers' alike (an
//! ESP32 has it in ROM). Black-boxing its address keeps it here at the cost of one address
//! load, so each row counts only the code its crate adds.
#![no_std]
#![no_main]

unsafe extern "C" {
    fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8;
}

fn nothing(out: &mut [u8]) -> firmware::probes::Outcome {
    core::hint::black_box(memcpy as unsafe extern "C" fn(*mut u8, *const u8, usize) -> *mut u8);
    firmware::probes::Outcome {
        status: 0,
        len: out.len(),
    }
}

firmware::probe!(nothing);
