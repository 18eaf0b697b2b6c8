//! The `ccguard` binary: parse arguments, run the subcommand, and turn the outcome into an exit
//! code (0 clean, 1 findings at or above `--fail-on`, 2 usage, config or rule-file error).

mod allocator;
mod changed;
mod cli;
mod commands;
mod serve;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use commands::{Failure, check, fix, report, rules, tools, watch};

fn main() -> ExitCode {
    // A panic while a file is checked becomes that file's `internal-error` finding, not a
    // message and backtrace note in the middle of the output.
    ccguard::check::install_panic_hook();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) if args.watch => watch::watch(&args),
        Command::Check(args) => check::check(&args),
        Command::Report(args) => report::site_report(&args),
        Command::Rules(command) => rules::rules_command(command),
        Command::Explain { rule } => rules::explain(&rule),
        Command::Attribution(args) => tools::attribution(&args),
        Command::Fix(args) => fix::fix(&args),
        Command::Init { force } => tools::init(force),
        Command::Serve(args) => serve::serve(&args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "ccguard",
                &mut io::stdout(),
            );
            Ok(0)
        }
        Command::Merge { reports } => report::merge(&reports),
        Command::Lsp => ccguard::lsp::serve(io::stdin(), io::stdout()).map_err(Failure::Io),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
