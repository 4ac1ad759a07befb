//! The runtime every probe binary shares, identical for the baseline: an entry point that sets
//! the stack pointer and calls `main`, a panic handler that loops, a 1 KiB output buffer in
//! `.bss`. Each `src/bin/*.rs` is one line: `firmware::probe!(path::to::probe);` (or
//! `probe_async!` for a probe that returns a future, run by `probes::block_on`).
#![no_std]

use core::panic::PanicInfo;

pub use probes;

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    loop {
        core::hint::spin_loop();
    }
}

// RISC-V: set the stack pointer, jump to `main`.
#[cfg(target_arch = "riscv32")]
core::arch::global_asm!(
    ".section .text.start, \"ax\"",
    ".global _start",
    "_start:",
    "  la sp, _stack_top",
    "  j main",
);

// Cortex-M: the hardware loads the stack pointer and the reset vector from the table.
#[cfg(target_arch = "arm")]
core::arch::global_asm!(
    ".section .vector_table, \"a\"",
    ".word _stack_top",
    ".word main + 1",
);

/// The output buffer a probe writes to (a body, a response, telnet text).
pub const OUT: usize = 1024;

/// Writes `size_of::<F>()` into the non-loaded `.future_size` section: the target's size of
/// a probe's top-level future, with no code and no data in flash.
#[inline(always)]
pub fn record_future_size<F>(_: &F) {
    #[cfg(target_arch = "riscv32")]
    // SAFETY: emits data into a non-allocated section only; no instruction.
    unsafe {
        core::arch::asm!(
            ".pushsection .future_size,\"\",@progbits",
            ".4byte {n}",
            ".popsection",
            n = const core::mem::size_of::<F>(),
            options(nomem, nostack, preserves_flags)
        );
    }
    #[cfg(target_arch = "arm")]
    // SAFETY: as above.
    unsafe {
        core::arch::asm!(
            ".pushsection .future_size,\"\",%progbits",
            ".4byte {n}",
            ".popsection",
            n = const core::mem::size_of::<F>(),
            options(nomem, nostack, preserves_flags)
        );
    }
}

/// A binary whose `main` runs one blocking probe (`fn(&mut [u8]) -> probes::Outcome`) and
/// black-boxes the outcome.
#[macro_export]
macro_rules! probe {
    ($run:path) => {
        #[unsafe(no_mangle)]
        pub extern "C" fn main() -> ! {
            static mut OUT: [u8; $crate::OUT] = [0; $crate::OUT];
            // SAFETY: `main` runs once; nothing else touches OUT.
            let out = unsafe { &mut *core::ptr::addr_of_mut!(OUT) };
            let outcome = $run(core::hint::black_box(out));
            core::hint::black_box(outcome);
            loop {
                core::hint::spin_loop();
            }
        }
    };
}

/// A binary whose `main` runs one async probe (`fn(&mut [u8]) -> impl Future<Output =
/// probes::Outcome>`) with `probes::block_on` and records its future's size.
#[macro_export]
macro_rules! probe_async {
    ($future:path) => {
        fn run(out: &mut [u8]) -> $crate::probes::Outcome {
            let future = $future(out);
            $crate::record_future_size(&future);
            $crate::probes::block_on(future)
        }
        $crate::probe!(run);
    };
}
