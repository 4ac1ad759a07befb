//! Picks the linker script of the target's architecture and passes it to the binaries only.
use std::{env, fs, path::PathBuf};

fn main() {
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    println!("cargo:rerun-if-changed=link.x");
    println!("cargo:rerun-if-changed=build.rs");
    if os != "none" {
        return; // a host build (`cargo check` of the workspace): no linker script
    }
    let entry = match arch.as_str() {
        "riscv32" => "ENTRY(_start)",
        _ => "ENTRY(main)",
    };
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default());
    let script = fs::read_to_string("link.x").unwrap_or_default();
    let _ = fs::write(out.join("link.x"), format!("{entry}\n{script}"));
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rustc-link-arg-bins=-Tlink.x");
}
