//! # kinerja-server: the service a city runs
//!
//! Kinerja's engine behind an HTTP API (JSON, described as OpenAPI 3 at
//! `/api/openapi.json`), with sign-in and a database: SQLite by default (one file,
//! nothing to install) or PostgreSQL (`--db postgres://...`).
//!
//! The server decides no rule: who may do what, and every rule of the record and
//! the allowance, is the core's (`kinerja`). The server keeps what the core
//! needs (datasets and policies as versions, each month's events as append-only
//! rows carrying the journal's hash chain, accounts, sessions, the phone-sync
//! answers and an audit log), authenticates callers, stamps every command with
//! its own clock, and maps the core's refusals to HTTP.
//!
//! Layout: [`store`] (the database, behind one trait), [`months`] (each month's
//! ledger in memory and its writer, committing in groups), [`auth`] (passwords,
//! sessions, tokens, CSRF, throttling), [`api`] (the handlers), [`web`] (the pages), [`error`] (errors
//! mapped to HTTP once), [`demo`] (a generated city with a month of history).

// `ApiError` carries the core's code, reason, field, message and problems (about
// 130 bytes): it is returned on the cold path of a request, once, and boxing it
// would only make every handler harder to read.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod auth;
pub mod demo;
pub mod error;
pub mod months;
pub mod social;
pub mod state;
pub mod store;
pub mod web;

use std::sync::Arc;

pub use state::{AppState, Config};

/// Opens the database (creating and migrating it when needed) and builds the
/// service's state with the system clock.
pub async fn open(config: Config) -> Result<AppState, store::StoreError> {
    open_with_clock(config, Arc::new(state::SystemClock)).await
}

/// [`open`] with another clock (`--clock-start`: a demo and test aid).
pub async fn open_with_clock(config: Config, clock: Arc<dyn state::Clock>) -> Result<AppState, store::StoreError> {
    let store = store::SqlStore::open(&config.db).await?;
    Ok(AppState::new(Arc::new(store), clock, config))
}

/// The whole service: the pages and the API's routes over the state.
pub fn app(state: AppState) -> axum::Router {
    web::router(state.clone()).merge(api::router(state))
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
