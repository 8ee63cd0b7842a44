use clap::{Parser, Subcommand};
use server::config::Config;
use std::process::ExitCode;

/// GP Online: online services for GP practices.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app (the default).
    Serve,
    /// Create or top up the demo practice. Refuses a database holding real practices.
    SeedDemo,
    /// Print the app's page routes, one a line (the browser tests check each has a page test).
    Routes,
    /// Create a practice and its first practice admin, and print a one-time set-up link.
    CreatePractice {
        /// The practice's ODS code, like Y12345.
        #[arg(long)]
        ods_code: String,
        /// The practice's name.
        #[arg(long)]
        name: String,
        /// The first practice admin's email address.
        #[arg(long)]
        admin_email: String,
        /// The first practice admin's name.
        #[arg(long, default_value = "Practice admin")]
        admin_name: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    let cli = Cli::parse();
    if let Some(Command::Routes) = cli.command {
        for route in server::http::page_routes() {
            println!("{route}");
        }
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve(config).await,
        Command::SeedDemo => server::demo::seed_command(&config).await,
        Command::Routes => Ok(()),
        Command::CreatePractice { ods_code, name, admin_email, admin_name } => {
            server::commands::create_practice(&config, &ods_code, &name, &admin_email, &admin_name).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
