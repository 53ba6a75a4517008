//! `kinerja-server`: runs the service, builds the demo, or starts a city's database.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{FixedOffset, NaiveDateTime};
use clap::{Parser, Subcommand};
use kinerja_server::state::{Clock, OffsetClock, StoredLayer, SystemClock};
use kinerja_server::{Config, demo};

#[derive(Parser)]
#[command(
    name = "kinerja-server",
    version,
    about = "Kinerja (e-Kinerja) for a city: the service, on SQLite or PostgreSQL."
)]
struct Cli {
    /// The database: a SQLite file (created on first start) or postgres://user:pass@host/db.
    #[arg(long, env = "KINERJA_DB", default_value = "kinerja.db", global = true)]
    db: String,
    /// Where to listen.
    #[arg(long, env = "KINERJA_LISTEN", default_value = "127.0.0.1:8080", global = true)]
    listen: SocketAddr,
    /// The URL people use (https://... behind a TLS reverse proxy makes cookies Secure).
    #[arg(long, env = "KINERJA_PUBLIC_URL", global = true)]
    public_url: Option<String>,
    /// The city's offset from UTC: +07:00 (WIB), +08:00 (WITA), +09:00 (WIT).
    #[arg(long, env = "KINERJA_UTC_OFFSET", default_value = "+07:00", global = true)]
    utc_offset: String,
    /// Take client addresses from X-Forwarded-For (only behind your own reverse proxy).
    #[arg(long, env = "KINERJA_TRUST_PROXY", global = true)]
    trust_proxy: bool,
    /// Demo and test aid: run the clock from this local time (YYYY-MM-DDTHH:MM),
    /// advancing normally from the start, instead of the system's time. For a
    /// demonstration or a load test on a working day; never in production.
    #[arg(long, value_name = "YYYY-MM-DDTHH:MM", global = true)]
    clock_start: Option<String>,
    /// The largest request body, in MiB.
    #[arg(long, default_value_t = 16, global = true)]
    max_body_mib: usize,
    /// Demo mode: a new database gets the generated Banda Aceh-size city with last
    /// month simulated and paid, and demo accounts; refused on any other database.
    #[arg(long)]
    demo: bool,
    /// Demo: employees of the generated city.
    #[arg(long, default_value_t = 5_925)]
    demo_employees: usize,
    /// Demo: work units of the generated city.
    #[arg(long, default_value_t = 39)]
    demo_units: usize,
    /// Demo: also mint a bearer token for every employee and device and write them
    /// to this CSV (for the load generator in benches/).
    #[arg(long)]
    demo_tokens: Option<PathBuf>,
    /// Demo: build the database, print what was made, and exit without serving.
    #[arg(long)]
    demo_build_only: bool,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Start a city's database: the first policy set and dataset, and a CSV of
    /// one-time activation codes for every account (hand them out; nobody has a
    /// password until they activate).
    Init {
        /// The dataset (JSON, schema/dataset.schema.json).
        #[arg(long)]
        dataset: PathBuf,
        /// Policy layers (TOML) over the national baseline, in order.
        #[arg(long)]
        policy: Vec<PathBuf>,
        /// Leave out the built-in national baseline.
        #[arg(long)]
        no_national: bool,
        /// Where to write the activation codes (CSV; must not exist).
        #[arg(long)]
        codes_out: PathBuf,
    },
}

fn clock_start(text: &str) -> Result<NaiveDateTime, String> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| format!("--clock-start `{text}` is not a local time like 2026-11-30T07:25"))
}

fn offset(text: &str) -> Result<FixedOffset, String> {
    text.parse::<FixedOffset>()
        .or_else(|_| format!("{text}:00").parse::<FixedOffset>())
        .map_err(|_| format!("`{text}` is not a UTC offset like +07:00"))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kinerja-server: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let mut config = Config::new(cli.db.clone());
    config.listen = cli.listen;
    config.public_url = cli.public_url.clone().unwrap_or_else(|| format!("http://{}", cli.listen));
    config.utc_offset = offset(&cli.utc_offset)?;
    config.trust_proxy = cli.trust_proxy;
    config.max_body = cli.max_body_mib.max(1) << 20;
    config.demo = cli.demo;
    let clock: Arc<dyn Clock> = match &cli.clock_start {
        Some(t) => {
            let start = clock_start(t)?;
            eprintln!("kinerja-server: the clock runs from {start} (--clock-start, a demo and test aid)");
            Arc::new(OffsetClock::starting_at(start, config.utc_offset))
        }
        None => Arc::new(SystemClock),
    };
    let state = kinerja_server::open_with_clock(config.clone(), clock).await.map_err(|e| e.to_string())?;
    let mode = demo::mode(&state).await.map_err(|e| e.to_string())?;

    if let Some(Cmd::Init { dataset, policy, no_national, codes_out }) = cli.command {
        return init(&state, mode, &dataset, &policy, no_national, &codes_out).await;
    }

    if cli.demo {
        match mode.as_deref() {
            None => {
                let started = std::time::Instant::now();
                let progress = |s: &str| eprintln!("[{:>5.1} s] {s}", started.elapsed().as_secs_f64());
                let made =
                    demo::build(&state, cli.demo_units, cli.demo_employees, cli.demo_tokens.is_some(), &progress)
                        .await
                        .map_err(|e| e.to_string())?;
                if let Some(path) = &cli.demo_tokens {
                    let mut text = String::from("actor,token\n");
                    for (a, t) in &made.tokens {
                        text.push_str(&format!("{a},{t}\n"));
                    }
                    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                }
                print_demo(&config, &made);
            }
            Some("demo") => {
                if demo::seed_insights_of_earlier(&state).await.map_err(|e| e.to_string())? {
                    eprintln!("stored generated budgets, plans, roll-out and nominations (none were stored)");
                }
                eprintln!(
                    "demo database {} (built earlier); password for every account: {}",
                    cli.db,
                    demo::DEMO_PASSWORD
                )
            }
            Some(other) => {
                return Err(format!(
                    "demo mode is refused: {} was not made by demo mode (mode `{other}`); use a new file",
                    cli.db
                ));
            }
        }
        if cli.demo_build_only {
            return Ok(());
        }
    } else if mode.is_none() {
        return Err(format!(
            "{} holds no city yet: start it with `kinerja-server --db {} init --dataset city.json --codes-out codes.csv`, or try `kinerja-server --demo --db demo.db`",
            cli.db, cli.db
        ));
    }

    let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|e| format!("{}: {e}", config.listen))?;
    // The address bound (with --listen 127.0.0.1:0, the port the system chose).
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("Kinerja server listening on http://{bound} (public URL {}, database {})", config.public_url, cli.db);
    kinerja_server::serve(state, listener).await.map_err(|e| e.to_string())
}

fn print_demo(config: &Config, made: &demo::DemoCity) {
    println!();
    println!("Kinerja demo: {}", config.public_url);
    if let Some(m) = made.history {
        println!("  {m}: {} events, closed and paid", made.events);
    }
    println!("  every account's password: {}", demo::DEMO_PASSWORD);
    for (role, actor, name) in &made.sign_ins {
        println!("  {role:<36} {actor:<22} {name}");
    }
    if let Some((actor, token)) = &made.device_token {
        println!("  clock machine {actor}: Authorization: Bearer {token}");
    }
    println!();
}

async fn init(
    state: &kinerja_server::AppState,
    mode: Option<String>,
    dataset: &std::path::Path,
    policy: &[PathBuf],
    no_national: bool,
    codes_out: &std::path::Path,
) -> Result<(), String> {
    if mode.is_some() {
        return Err("this database already holds a city; import new versions through the API".into());
    }
    if codes_out.exists() {
        return Err(format!("{} exists; it is never overwritten", codes_out.display()));
    }
    let mut layers = Vec::new();
    for p in policy {
        let toml = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
        layers.push(StoredLayer { source: p.display().to_string(), toml });
    }
    let body = std::fs::read_to_string(dataset).map_err(|e| format!("{}: {e}", dataset.display()))?;
    state.store.set_meta("mode", "production").await.map_err(|e| e.to_string())?;
    kinerja_server::api::hr::import_policy_layers(state, !no_national, &layers, "init")
        .await
        .map_err(|e| e.to_string())?;
    let from = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(state.today());
    let (version, _) = kinerja_server::api::hr::import_dataset_text(state, &body, from, "init")
        .await
        .map_err(|e| format!("{e}{}", e.problems.iter().map(|p| format!("\n  {p}")).collect::<String>()))?;
    let csv = kinerja_server::api::hr::issue_codes(state, None).await.map_err(|e| e.to_string())?;
    std::fs::write(codes_out, csv.0).map_err(|e| format!("{}: {e}", codes_out.display()))?;
    println!("dataset version {version} imported; {} activation codes written to {}", csv.1, codes_out.display());
    Ok(())
}
