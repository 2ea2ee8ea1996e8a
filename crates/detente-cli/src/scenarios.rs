//! `detente scenarios`: what the repository bundles under `scenarios/`, so
//! every example runs from a clone alone.

use std::process::ExitCode;

use crate::output;

/// A bundled scenario: its path from the repository root, what it is, and
/// where it comes from. Kept in step with the folder by a test
/// (`crates/detente-cli/tests/hardening.rs`).
pub struct Bundled {
    pub path: &'static str,
    pub description: &'static str,
    pub source: &'static str,
}

/// Every bundled scenario, native first, then the ANAC domains by size.
pub const BUNDLED: &[Bundled] = &[
    Bundled {
        path: "scenarios/kuril-2019.toml",
        description: "Russia–Japan peace-treaty talks on the southern Kuril Islands, January 2019: 11 issues, 6 actors, 9 constraints, 4 beliefs",
        source: "detente's case study (docs/case-studies/kuril.md)",
    },
    Bundled {
        path: "scenarios/kuril-2019-untethered.toml",
        description: "the Kuril talks with the island question untethered from the treaty",
        source: "detente's case study (docs/case-studies/kuril.md)",
    },
    Bundled {
        path: "scenarios/anac/Laptop",
        description: "buyer and seller of a laptop, hard disk and external monitor: 3 issues, 27 outcomes",
        source: "ANAC 2011 (GENIUS), scenarios/anac/README.md",
    },
    Bundled {
        path: "scenarios/anac/ItexvsCypress",
        description: "a buyer (Cypress) and a supplier (Itex) on price, delivery, payment and returns: 4 issues, 180 outcomes",
        source: "ANAC 2010 (GENIUS), scenarios/anac/README.md",
    },
    Bundled {
        path: "scenarios/anac/EnglandZimbabwe",
        description: "England and Zimbabwe on a health fund, aid and trade policy: 5 issues, 576 outcomes",
        source: "ANAC 2010 (GENIUS), scenarios/anac/README.md",
    },
    Bundled {
        path: "scenarios/anac/Grocery",
        description: "Mary and Sam choose bread, fruit, snacks, spreads and vegetables: 5 issues, 1,600 outcomes",
        source: "ANAC 2011 (GENIUS), scenarios/anac/README.md",
    },
    Bundled {
        path: "scenarios/anac/Camera",
        description: "buyer and seller of a camera (maker, body, lens, tripod, bag, accessory): 6 issues, 3,600 outcomes",
        source: "ANAC 2011 (GENIUS), scenarios/anac/README.md",
    },
];

pub fn scenarios() -> anyhow::Result<ExitCode> {
    let width = BUNDLED.iter().map(|b| b.path.len()).max().unwrap_or(0);
    let mut out = String::from(
        "Bundled scenarios (paths from the repository root; run e.g. `detente analyze scenarios/anac/Laptop`):\n",
    );
    for b in BUNDLED {
        out.push_str(&format!("  {:<width$}  {} [{}]\n", b.path, b.description, b.source));
    }
    output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
