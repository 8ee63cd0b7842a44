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
    /// Invite a member of staff to a practice and print their one-time set-up link (also emailed).
    InviteStaff {
        /// The practice's ODS code.
        #[arg(long)]
        ods_code: String,
        /// Their email address.
        #[arg(long)]
        email: String,
        /// Their name.
        #[arg(long)]
        name: String,
        /// practice_admin, receptionist or clinician.
        #[arg(long)]
        role: String,
    },
    /// Import patients' records from FHIR R4 Bundles (one per patient, matched by NHS number;
    /// docs/fhir-import.md). A file with a problem imports nothing and its problems are listed.
    ImportFhir {
        /// The practice's ODS code.
        #[arg(long)]
        practice: String,
        /// Bundle files (JSON).
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// Write every authenticator secret again under the current DATA_KEY (after moving the old key to DATA_KEYS_OLD).
    RotateKeys,
    /// Rush benchmark: on a fresh database, a practice with this many patients, each with a login.
    BenchSeed {
        #[arg(long, default_value_t = 2000)]
        patients: usize,
    },
    /// Rush benchmark: this many slots for tomorrow, all released online at the first whole minute
    /// at least --lead-seconds from now.
    BenchRelease {
        #[arg(long, default_value_t = 200)]
        slots: usize,
        #[arg(long, default_value_t = 20)]
        lead_seconds: u32,
    },
    /// Rush benchmark: every session signed in and last seen this many minutes earlier.
    BenchAgeSessions {
        #[arg(long, default_value_t = 5)]
        minutes: u32,
    },
    /// Rush benchmark: counts double bookings and patients over the limit, from the database.
    BenchCheck,
    /// Rush benchmark: committed single-row insert transactions per second on DATABASE_URL.
    BenchRawInserts {
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
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
        Command::InviteStaff { ods_code, email, name, role } => {
            server::commands::invite_staff(&config, &ods_code, &email, &name, &role).await
        }
        Command::RotateKeys => server::commands::rotate_keys(&config).await,
        Command::ImportFhir { practice, files } => {
            server::import_fhir::import_command(
                &config,
                &practice,
                &files,
                app::server::Clock::now(&app::server::SystemClock),
            )
            .await
        }
        Command::BenchSeed { patients } => server::bench::seed(&config, patients).await,
        Command::BenchRelease { slots, lead_seconds } => server::bench::release(&config, slots, lead_seconds).await,
        Command::BenchAgeSessions { minutes } => server::bench::age_sessions(&config, minutes).await,
        Command::BenchCheck => server::bench::check(&config).await,
        Command::BenchRawInserts { seconds, concurrency } => {
            server::bench::raw_inserts(&config, seconds, concurrency).await
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
