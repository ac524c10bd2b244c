use std::process::ExitCode;

fn main() -> ExitCode {
    crmaudit::cli::main()
}
