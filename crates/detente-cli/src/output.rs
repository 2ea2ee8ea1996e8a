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

/// Fails unless the folder that will hold `path` exists. Outputs never
/// create missing parent folders (a typo would scatter new folders): `report
/// -o`, `convert -o`, `--plot` and `tournament --out` (which creates only
/// its own last folder) all refuse one, the same way.
pub fn parent_must_exist(path: &Path) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        anyhow::bail!(
            "cannot write {}: the folder {} does not exist; create it first (detente creates no parent folders)",
            path.display(),
            dir.display()
        );
    }
    Ok(())
}

/// A temporary-file builder named `.{prefix}…`, with the permissions an
/// ordinary new file or folder gets (`mode`, less the umask), not the
/// owner-only mode of temporary files.
pub fn temp_builder(prefix: &str, mode: u32) -> tempfile::Builder<'_, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    b
}

/// Writes `bytes` to `path` so that readers never see a half-written file:
/// into a temporary file named `.{prefix}…` beside it, then renamed over it
/// (`replace`) or to it only if nothing is there yet.
///
/// A symbolic link is followed: the file it names is replaced and the link
/// stays. A path that exists but is no regular file (`/dev/null`,
/// `/dev/stdout`, a named pipe) is written in place, because renaming over
/// it would replace the device by a file: run as root, `-o /dev/null` once
/// turned `/dev/null` into a regular file that every later program read
/// (and cargo failed on the text it found there).
pub fn write_atomically(path: &Path, bytes: &[u8], replace: bool, prefix: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    if let Ok(meta) = std::fs::metadata(path) {
        if replace && !meta.is_file() && !meta.is_dir() {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            return file.write_all(bytes).with_context(|| format!("cannot write {}", path.display()));
        }
    }
    let resolved;
    let path = if path.is_symlink() {
        match std::fs::canonicalize(path) {
            Ok(target) => {
                resolved = target;
                resolved.as_path()
            }
            Err(_) => path, // a dangling link: replaced by the file
        }
    } else {
        path
    };
    parent_must_exist(path)?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = temp_builder(prefix, 0o666)
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    let persisted = if replace { tmp.persist(path) } else { tmp.persist_noclobber(path) };
    persisted.map_err(|e| e.error).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// True when `err` is a closed pipe (`detente show x | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Loads case `case` of the case collection at `path` (`--case`), or, with
/// no case, whatever [`load`] reads.
pub fn load_case(path: &Path, case: Option<&str>) -> anyhow::Result<detente::Loaded> {
    match case {
        Some(id) if path.as_os_str() != "-" => Ok(detente::format::load_case(path, id)?),
        Some(_) => anyhow::bail!("--case reads a case collection from a file, not from standard input"),
        None => load(path),
    }
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
