//! `detente serve`: the browser workbench. A thin call into
//! `detente-server`; this file only reads the scenarios named on the
//! command line, warns about non-loopback addresses and opens a browser.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::args::ServeArgs;

pub fn serve(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let host: IpAddr = args
        .host
        .parse()
        .with_context(|| format!("--host {}: not an IP address (use e.g. 127.0.0.1 or ::1)", args.host))?;
    if !host.is_loopback() {
        eprintln!(
            "warning: serving on {host}, not only this machine: anyone who can reach it can run analyses and read \
             the scenarios named on the command line (there is no authentication)"
        );
    }
    detente_server::init_logging();
    let mut library = detente_server::Library::bundled();
    for path in &args.files {
        let entry = library.add_path(path).map_err(|e| anyhow::anyhow!(e))?;
        eprintln!("serving {} as `{}`", path.display(), entry.name);
    }
    let limits = detente_server::Limits::standard();
    let open = args.open;
    detente_server::run(SocketAddr::new(host, args.port), library, limits, |addr| {
        let url = match addr.ip() {
            IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
            IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
        };
        // The one line scripts wait for (the browser test reads it).
        eprintln!("detente workbench at {url} (Ctrl-C stops it)");
        if open {
            open_browser(&url);
        }
    })
    .with_context(|| format!("cannot serve on {host}:{}", args.port))?;
    Ok(ExitCode::SUCCESS)
}

/// Best effort: the first opener found on `PATH` (`$BROWSER`, `xdg-open`,
/// `open`), started without waiting for it; says so when none is found.
fn open_browser(url: &str) {
    let mut candidates: Vec<String> = Vec::new();
    if let Ok(browser) = std::env::var("BROWSER") {
        candidates.extend(browser.split(':').filter(|b| !b.is_empty()).map(str::to_owned));
    }
    candidates.extend(["xdg-open", "open"].map(str::to_owned));
    for program in &candidates {
        let spawned = std::process::Command::new(program)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if spawned.is_ok() {
            return;
        }
    }
    eprintln!("note: no browser found to open (tried {}); open {url} yourself", candidates.join(", "));
}
