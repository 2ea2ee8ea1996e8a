//! Writing to standard output, quietly stopping when the reader goes away.

use std::io::Write;
use std::path::Path;

/// Prints `text` (adding a final newline if missing).
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// A progress bar counting `unit` on a terminal; nothing when stderr is
/// redirected (scripts and tests see no control characters).
pub fn progress_bar(unit: &str) -> Option<indicatif::ProgressBar> {
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!("{{spinner}} {{wide_bar}} {{pos}}/{{len}} {unit} ({{eta}})"))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// True when `err` is a closed pipe (`detente show x | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Loads a scenario from a path, or standard input for `-`. I/O errors are
/// `Err` (exit 2); invalid content is reported in the returned diagnostics.
pub fn load(path: &Path) -> anyhow::Result<detente::Loaded> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock().take(detente::format::MAX_FILE_BYTES), &mut bytes)?;
        return Ok(detente::format::load_unnamed("<stdin>", &bytes));
    }
    // A file (native, GENIUS or GeniusWeb) or a GENIUS/GeniusWeb folder.
    Ok(detente::format::load_path(path)?)
}

use std::io::Read as _;
