//! The parse-only floor for `benches/site.sh`: walk, read and extract every file with the same
//! walker, reader, parsers and thread pool as `ccguard check`, and nothing else (no detection,
//! no rules, no output). ccguard's wall time is judged against this floor.
//!
//! Usage: `parse_floor [--jobs N] DIR...` (cargo's own `--bench` flag is ignored). Prints the
//! number of files, bytes and blocks so the work cannot be optimised away.

#[path = "../src/allocator.rs"]
mod allocator;

use rayon::prelude::*;

use ccguard::document;
use ccguard::source::Format;
use ccguard::walk::{self, DEFAULT_MAX_SIZE};

fn main() {
    let mut jobs = 0;
    let mut dirs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" => jobs = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            "--bench" => {}
            _ => dirs.push(arg),
        }
    }
    let inputs: Vec<_> = match walk::expand(&dirs, Format::Html, &walk::Extensions::default()) {
        Ok(inputs) => inputs.collect(),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let work = || {
        inputs
            .par_iter()
            .map(|input| match walk::read(input, DEFAULT_MAX_SIZE) {
                Ok(source) => (source.text.len(), document::extract(&source).blocks.len()),
                Err(_) => (0, 0),
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    };
    let (bytes, blocks) = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    println!("{} files, {bytes} bytes, {blocks} blocks", inputs.len());
}
