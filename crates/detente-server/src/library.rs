//! The scenarios the server may hand out: the bundled ones (embedded in the
//! binary) and the files named on the command line, read once at start-up.
//!
//! Clients ask by name, never by path: this list is the only file-system
//! access the server has, so a request cannot read anything else.

use std::path::Path;

/// One scenario the page can open.
#[derive(Clone, Debug)]
pub struct Entry {
    /// What clients ask for (`GET /api/scenarios/{name}`).
    pub name: String,
    /// One line on what it is.
    pub description: String,
    /// `bundled` or `file`.
    pub origin: &'static str,
    /// The text as the editor shows it: a native file as written; a GENIUS
    /// or GeniusWeb folder converted to native TOML (the editor edits one text).
    pub text: String,
}

/// The scenarios, in the order listed.
#[derive(Clone, Debug, Default)]
pub struct Library {
    entries: Vec<Entry>,
}

/// The native scenarios bundled under `scenarios/`, embedded so the server
/// needs no repository checkout.
const BUNDLED: &[(&str, &str, &str)] = &[
    (
        "kuril-2019",
        "Russia–Japan peace-treaty talks on the southern Kuril Islands, January 2019: 11 issues, 6 actors, 9 constraints, 4 beliefs",
        include_str!("../../../scenarios/kuril-2019.toml"),
    ),
    (
        "kuril-2019-untethered",
        "the Kuril talks with the island question untethered from the treaty",
        include_str!("../../../scenarios/kuril-2019-untethered.toml"),
    ),
];

impl Library {
    /// The bundled scenarios alone.
    pub fn bundled() -> Library {
        let entries = BUNDLED
            .iter()
            .map(|&(name, description, text)| Entry {
                name: name.to_owned(),
                description: description.to_owned(),
                origin: "bundled",
                text: text.to_owned(),
            })
            .collect();
        Library { entries }
    }

    /// Adds the scenario at `path` (any input detente reads), named after
    /// its file stem, made unique with `-2`, `-3`… A file that does not
    /// load is still added when it is one text, so the page can show its
    /// diagnostics; a folder that does not load is refused.
    pub fn add_path(&mut self, path: &Path) -> Result<&Entry, String> {
        let shown = path.display().to_string();
        let loaded = detente::load_path(path).map_err(|e| format!("{shown}: {e}"))?;
        let text = if path.is_file() && loaded.other_sources.is_empty() {
            loaded.source.text.clone()
        } else {
            match &loaded.scenario {
                Some(s) => detente::format::write::to_string(s, detente::TextFormat::Toml),
                None => return Err(format!("{shown}: the folder does not load (`detente check {shown}` says why)")),
            }
        };
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "scenario".into());
        let stem: String =
            stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
        let mut name = stem.clone();
        let mut k = 2;
        while self.get(&name).is_some() {
            name = format!("{stem}-{k}");
            k += 1;
        }
        let description = loaded.scenario.as_ref().map_or_else(|| format!("{shown} (has errors)"), |s| s.name.clone());
        self.entries.push(Entry { name, description, origin: "file", text });
        Ok(self.entries.last().expect("just pushed"))
    }

    /// The scenario called `name`.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// Every scenario, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}
