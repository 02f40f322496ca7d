//! `musette`: the command line of the musette vault. It parses arguments, prompts and prints;
//! all behaviour lives in `musette-core`.

#![forbid(unsafe_code)]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod clean;
mod cli;
mod clock;
mod config;
mod context;
mod exit;
mod progress;
mod secret;

use clap::Parser;

fn main() {
    exit::on_output_failure();
    let args = cli::Cli::try_parse().unwrap_or_else(|e| exit::refuse_arguments(e));
    let code = match cli::run(args) {
        Ok(()) => exit::SUCCESS,
        Err(err) => exit::report(&err),
    };
    std::process::exit(code);
}
