//! The one list of forecast models. The CLI's `--model` values and help,
//! the backtest's rows and (later) the server's and Python's model lists are
//! all derived from [`MODELS`]; adding a model is one line here.

use super::compromise::Compromise;
use super::eum::Eum;
use super::exchange::Exchange;
use super::ktab::KtabSmp;
use super::median::Median;
use super::nash::{Nash, NashConfig};
use super::ForecastModel;

/// A registered model.
#[derive(Clone, Copy, Debug)]
pub struct ModelInfo {
    /// The name used on the command line and in output.
    pub name: &'static str,
    /// One line for help texts.
    pub summary: &'static str,
    /// Whether runs have rounds (a trace worth printing).
    pub iterates: bool,
    /// Whether the model forecasts several dimensions at once (a spatial
    /// model): a multi-issue scenario is then one forecast on all its
    /// issues, not one per issue.
    pub spatial: bool,
    /// Whether the model forecasts every issue of a scenario at once (one
    /// dimension per issue) rather than one issue at a time: `detente
    /// forecast` then runs it once on the whole scenario, and the DEU
    /// backtest, whose cases have one issue each, leaves it out.
    pub multi_issue: bool,
    /// The documentation page, relative to the repository.
    pub doc: &'static str,
    build: fn() -> Box<dyn ForecastModel>,
}

impl ModelInfo {
    /// The model with its default (or preset) options.
    pub fn build(&self) -> Box<dyn ForecastModel> {
        (self.build)()
    }
}

/// Every model, in the order they are shown.
pub const MODELS: &[ModelInfo] = &[
    ModelInfo {
        name: "compromise",
        summary: "mean of the positions weighted by capability × salience",
        iterates: false,
        spatial: false,
        multi_issue: false,
        doc: "docs/models/compromise.md",
        build: || Box::new(Compromise),
    },
    ModelInfo {
        name: "median",
        summary: "weighted median: the position no other beats in capability × salience weighted votes",
        iterates: false,
        spatial: false,
        multi_issue: false,
        doc: "docs/models/median.md",
        build: || Box::new(Median),
    },
    ModelInfo {
        name: "nash",
        summary: "Nash bargaining solution, status quo as disagreement point, capability exponents",
        iterates: false,
        spatial: false,
        multi_issue: false,
        doc: "docs/models/nash.md",
        build: || Box::new(Nash { config: NashConfig::standard() }),
    },
    ModelInfo {
        name: "eum-replication",
        summary: "Bueno de Mesquita's expected-utility model, the widely used replication (Scholz code)",
        iterates: true,
        spatial: false,
        multi_issue: false,
        doc: "docs/models/eum.md",
        build: || Box::new(Eum::replication()),
    },
    ModelInfo {
        name: "eum-paper",
        summary: "Bueno de Mesquita's expected-utility model, Scholz, Calbert & Smith's (2011) equations",
        iterates: true,
        spatial: false,
        multi_issue: false,
        doc: "docs/models/eum.md",
        build: || Box::new(Eum::paper()),
    },
    ModelInfo {
        name: "ktab-smp",
        summary: "KAPSARC's spatial model of politics (KTAB): challenges and bargains on all dimensions at once",
        iterates: true,
        spatial: true,
        multi_issue: false,
        doc: "docs/models/ktab.md",
        build: || Box::new(KtabSmp::default()),
    },
    ModelInfo {
        name: "exchange",
        summary:
            "Stokman & Van Oosten's exchange of voting positions across issues, equal gain (decide-exchange-model)",
        iterates: true,
        spatial: false,
        multi_issue: true,
        doc: "docs/models/exchange.md",
        build: || Box::new(Exchange),
    },
];

/// The model named `name`.
pub fn model(name: &str) -> Option<&'static ModelInfo> {
    MODELS.iter().find(|m| m.name == name)
}

/// Every model's name, in order.
pub fn names() -> Vec<&'static str> {
    MODELS.iter().map(|m| m.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_match_the_models() {
        let mut names = names();
        for info in MODELS {
            let model = info.build();
            assert_eq!(model.name(), info.name);
            assert_eq!(model.iterates(), info.iterates, "{}", info.name);
            let doc = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(info.doc);
            assert!(doc.is_file(), "{} is documented in {}, which is missing", info.name, info.doc);
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), MODELS.len());
    }
}
