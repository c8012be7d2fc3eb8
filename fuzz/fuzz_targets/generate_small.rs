//! A small corpus from a fuzzed profile, seed and size is planned and
//! rendered in memory, and every file validates against its record.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::generate_small(data);
});
