//! The `outlay` binary: see `outlay --help`.

fn main() -> std::process::ExitCode {
    outlay::cli::main()
}
