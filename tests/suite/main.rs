//! ccguard's integration tests, one module per area, built as ONE test binary: each file directly
//! under `tests/` is linked against the whole library on its own, so a binary per area cost a
//! link each and ran the areas one after another; here every area's tests share the test
//! threads. `tests/rules.rs` and `tests/positions.rs` stay apart because they arm the
//! internal-error test hook for their whole process (and so for every process they start).

#[path = "../common/mod.rs"]
mod common;

mod cache;
mod ci;
mod cli;
mod corpus;
mod cues;
mod detect_dev;
mod determinism;
mod fetch;
mod fix;
mod hostile;
mod hostile_config;
mod hostile_inputs;
mod hostile_linear;
mod hostile_net;
mod hostile_parse;
mod hostile_render;
mod hostile_report;
mod license_dev;
mod lsp;
mod media;
mod originals;
mod registry;
mod report;
mod sarif;
mod serve;
mod spans;
mod watch;
mod why;
