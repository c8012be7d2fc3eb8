//! Profile parsing never panics, and an accepted profile round-trips
//! through its canonical TOML.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::parse_profile(data);
});
