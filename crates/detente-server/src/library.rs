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

/// One bundled ANAC domain: its name, description, and the GENIUS files
/// (the domain, then the profiles) as `(file name, text)`.
type Genius = (&'static str, &'static str, [(&'static str, &'static str); 3]);

/// Embeds `scenarios/anac/FOLDER/FILE`.
macro_rules! anac {
    ($folder:literal, $file:literal) => {
        ($file, include_str!(concat!("../../../scenarios/anac/", $folder, "/", $file)))
    };
}

/// The ANAC domains bundled under `scenarios/anac/` (provenance and licence
/// in `scenarios/anac/README.md`), smallest first, as `detente scenarios`
/// lists them.
const BUNDLED_GENIUS: &[Genius] = &[
    (
        "Laptop",
        "ANAC 2011: buyer and seller of a laptop, hard disk and external monitor: 3 issues, 27 outcomes",
        [
            anac!("Laptop", "laptop_domain.xml"),
            anac!("Laptop", "laptop_buyer_utility.xml"),
            anac!("Laptop", "laptop_seller_utility.xml"),
        ],
    ),
    (
        "ItexvsCypress",
        "ANAC 2010: a buyer (Cypress) and a supplier (Itex) on price, delivery, payment and returns: 4 issues, 180 outcomes",
        [
            anac!("ItexvsCypress", "ItexvsCypress_domain.xml"),
            anac!("ItexvsCypress", "ItexvsCypress_Cypress.xml"),
            anac!("ItexvsCypress", "ItexvsCypress_Itex.xml"),
        ],
    ),
    (
        "EnglandZimbabwe",
        "ANAC 2010: England and Zimbabwe on a health fund, aid and trade policy: 5 issues, 576 outcomes",
        [
            anac!("EnglandZimbabwe", "EnglandZimbabwe_domain.xml"),
            anac!("EnglandZimbabwe", "England.xml"),
            anac!("EnglandZimbabwe", "Zimbabwe.xml"),
        ],
    ),
    (
        "Grocery",
        "ANAC 2011: Mary and Sam choose bread, fruit, snacks, spreads and vegetables: 5 issues, 1,600 outcomes",
        [
            anac!("Grocery", "Grocery_domain.xml"),
            anac!("Grocery", "Grocery_domain_mary.xml"),
            anac!("Grocery", "Grocery_domain_sam.xml"),
        ],
    ),
    (
        "Camera",
        "ANAC 2011: buyer and seller of a camera (maker, body, lens, tripod, bag, accessory): 6 issues, 3,600 outcomes",
        [
            anac!("Camera", "camera_domain.xml"),
            anac!("Camera", "camera_buyer_utility.xml"),
            anac!("Camera", "camera_seller_utility.xml"),
        ],
    ),
];

impl Library {
    /// The bundled scenarios alone: the native ones as written, the ANAC
    /// domains read by the GENIUS reader and written as native TOML (the
    /// editor edits one text). A domain that does not load is left out; a
    /// test checks that every one does.
    pub fn bundled() -> Library {
        let mut entries: Vec<Entry> = BUNDLED
            .iter()
            .map(|&(name, description, text)| Entry {
                name: name.to_owned(),
                description: description.to_owned(),
                origin: "bundled",
                text: text.to_owned(),
            })
            .collect();
        for (name, description, files) in BUNDLED_GENIUS {
            let source = |&(file, text): &(&str, &str)| detente::SourceFile {
                name: format!("scenarios/anac/{name}/{file}"),
                text: text.to_owned(),
            };
            let profiles: Vec<detente::SourceFile> = files[1..].iter().map(source).collect();
            let loaded = detente::format::load_genius(name, &source(&files[0]), &profiles);
            if let Some(scenario) = &loaded.scenario {
                entries.push(Entry {
                    name: (*name).to_owned(),
                    description: (*description).to_owned(),
                    origin: "bundled",
                    text: detente::format::write::to_string(scenario, detente::TextFormat::Toml),
                });
            }
        }
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
