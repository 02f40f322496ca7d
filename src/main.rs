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
mod help;
mod output;
mod progress;
mod say;
mod secret;

fn main() {
    exit::on_output_failure();
    let lang = musette_web::i18n::Lang::from_env();
    let args = help::command(lang)
        .try_get_matches()
        .and_then(|m| <cli::Cli as clap::FromArgMatches>::from_arg_matches(&m))
        .unwrap_or_else(|e| exit::refuse_arguments(e));
    let code = match cli::run(args) {
        Ok(()) => exit::SUCCESS,
        Err(err) => exit::report(&err),
    };
    std::process::exit(code);
}
