//! Rule-file loading: arbitrary TOML text is a rule or a list of errors, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ccguard::rules::load::parse("fuzz.toml", text);
    }
});
