//! The detente workbench: `detente serve`'s HTTP server.
//!
//! One more thin shell over the engine, beside the CLI: every endpoint
//! makes the same engine calls the matching command makes and answers with
//! the same `detente-report` document (`detente.analysis/1` and the rest).
//! This crate is the only one that knows HTTP; the engine is handed a
//! `budget::Cancel` flag and a `Budget`, as the CLI hands it one for Ctrl-C.
//!
//! Limits, so that one request cannot take the machine: a body size limit
//! (413), the engine's own outcome limit (422 with the engine's message), a
//! per-request deadline after which the engine is cancelled (503), and a
//! fixed number of computation slots (503 "busy" with `Retry-After` when
//! all are taken; `/api/check` has slots of its own, so the editor's live
//! diagnostics are answered while analyses run). The server reads no file after start-up: the scenarios
//! it offers are the bundled ones and those named on the command line.
//!
//! The page (`assets/`) is plain HTML, CSS and JavaScript embedded with
//! `include_str!`: no build step, no network at run time.

#![deny(missing_docs)]

mod api;
mod assets;
mod compute;
mod error;
mod library;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::Semaphore;

pub use api::ApiDoc;
pub use error::ApiError;
pub use library::{Entry, Library};

/// What one request may spend, and how many may compute at once.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest request body in bytes (413 beyond).
    pub body_bytes: usize,
    /// The most outcomes any step of a request may enumerate (the engine's
    /// `--max-outcomes`; 422 beyond, with the engine's message).
    pub max_outcomes: u64,
    /// How long one computation may run before it is cancelled (503).
    pub deadline: Duration,
    /// Computations running at once (503 "busy" beyond).
    pub concurrent: usize,
}

impl Limits {
    /// The defaults of `detente serve`: 2 MiB bodies, 5·10⁶ outcomes (a
    /// 10⁶-outcome analysis takes about a second), 30 s, and two
    /// computations per core.
    pub fn standard() -> Limits {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            body_bytes: 2 << 20,
            max_outcomes: 5_000_000,
            deadline: Duration::from_secs(30),
            concurrent: 2 * cores,
        }
    }
}

/// What every handler shares: the scenarios, the limits, the slots.
#[derive(Clone)]
pub struct AppState {
    library: Arc<Library>,
    limits: Limits,
    slots: Arc<Semaphore>,
    /// `/api/check`'s own slots (as many again): parsing is cheap and the
    /// editor checks as one types, so a server busy analysing still answers.
    check_slots: Arc<Semaphore>,
}

/// The whole application: the page, the API and the request log.
pub fn router(library: Library, limits: Limits) -> Router {
    let state = AppState {
        library: Arc::new(library),
        slots: Arc::new(Semaphore::new(limits.concurrent)),
        check_slots: Arc::new(Semaphore::new(limits.concurrent)),
        limits,
    };
    let api = Router::new()
        .route("/health", get(api::health))
        .route("/scenarios", get(api::list_scenarios))
        .route("/scenarios/{name}", get(api::scenario_text))
        .route("/check", post(api::check))
        .route("/analyze", post(api::analyze))
        .route("/density", post(api::density))
        .route("/forecast", post(api::forecast))
        .route("/negotiate", post(api::negotiate))
        .route("/report", post(api::report))
        .route("/robustness", post(api::robustness))
        .route("/openapi.json", get(api::openapi_json))
        .fallback(api::not_found);
    Router::new()
        .nest("/api", api)
        .merge(assets::routes())
        .layer(DefaultBodyLimit::max(state.limits.body_bytes))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// One line per request on standard error: method, path, status, duration.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(target: "detente::serve", %method, %path, status = response.status().as_u16(), ms = format_args!("{ms:.1}"), "request");
    response
}

/// Request logs on standard error, one line each (`RUST_LOG` is not read:
/// the server logs requests and errors, nothing more).
pub fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
}

/// Serves `app` on `listener` until `shutdown` completes; requests in
/// flight are answered first (graceful shutdown).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// Everything `detente serve` does: binds `addr`, calls `ready` with the
/// address bound (port 0 picks a free one), serves until Ctrl-C, then
/// waits up to two seconds for engine work to notice its cancel flag.
pub fn run(addr: SocketAddr, library: Library, limits: Limits, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("Ctrl-C: finishing the requests in flight, then stopping");
        };
        serve(listener, router(library, limits), shutdown).await
    });
    runtime.shutdown_timeout(Duration::from_secs(2));
    result
}
