fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(kafka_failover::cli::run())
}
