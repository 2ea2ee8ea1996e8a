//! The one list of strategies and the `NAME[:key=value,…]` notation the
//! CLI, the tournament files and (later) the server and Python use.
//!
//! Every strategy takes `accept=CONDITION` (see
//! [`acceptance`](super::acceptance)) and `speak=never|honest|all` (which of
//! its party's declared statements it makes at the start of talks,
//! [`Speak`]); the other parameters are listed in [`STRATEGIES`]. A spec prints back in a canonical form with every
//! parameter, so a tournament file records exactly what ran.

use super::acceptance::Acceptance;
use super::strategy::bayesian::BayesianBidding;
use super::strategy::concession::{Curve, Floor, TimeDependent};
use super::strategy::frequency::FrequencyBidding;
use super::strategy::random::RandomBidding;
use super::strategy::titfortat::{Imitation, TitForTat};
use super::strategy::{Agent, Bidding};
use super::{NegotiationError, Negotiator};

/// A registered strategy.
#[derive(Clone, Copy, Debug)]
pub struct StrategyInfo {
    /// The name on the command line.
    pub name: &'static str,
    /// One line for help texts.
    pub summary: &'static str,
    /// Parameters (besides `accept`) with their defaults.
    pub params: &'static [(&'static str, &'static str)],
    /// The default acceptance condition.
    pub accept: &'static str,
}

const TD: &[(&str, &str)] = &[("e", "1"), ("k", "0"), ("floor", "reservation")];

/// Every strategy, in the order shown.
pub const STRATEGIES: &[StrategyInfo] = &[
    StrategyInfo {
        name: "time-dependent",
        summary: "Faratin et al.'s time-dependent concession, exponent e (e<1 Boulware, e>1 Conceder)",
        params: TD,
        accept: "next",
    },
    StrategyInfo {
        name: "boulware",
        summary: "time-dependent, e=0.2: holds out, concedes near the deadline",
        params: &[("e", "0.2"), ("k", "0"), ("floor", "reservation")],
        accept: "next",
    },
    StrategyInfo {
        name: "linear",
        summary: "time-dependent, e=1: concedes at a constant rate",
        params: TD,
        accept: "next",
    },
    StrategyInfo {
        name: "conceder",
        summary: "time-dependent, e=2: concedes early",
        params: &[("e", "2"), ("k", "0"), ("floor", "reservation")],
        accept: "next",
    },
    StrategyInfo { name: "hardliner", summary: "always offers its best outcome", params: &[], accept: "next" },
    StrategyInfo {
        name: "aspiration",
        summary: "NegMAS's aspiration 1 − t^a (a=4 Boulware, 1 Linear, 0.25 Conceder), scaled between floor and best; bids at or above target − tolerance",
        params: &[("a", "4"), ("floor", "min"), ("tolerance", "0"), ("snap", "0")],
        accept: "next",
    },
    StrategyInfo {
        name: "tit-for-tat",
        summary: "imitates the opponent's concessions in its own utility (mode=relative|absolute, look-back delta)",
        params: &[("mode", "relative"), ("delta", "1")],
        accept: "next",
    },
    StrategyInfo {
        name: "random",
        summary: "uniformly random offers it prefers to no agreement; accepts any such offer",
        params: &[],
        accept: "time(0)",
    },
    StrategyInfo {
        name: "frequency",
        summary: "frequency opponent model (seeded by beliefs) steering offers toward the estimated Nash point",
        params: &[("e", "0.2"), ("window", "0.1"), ("prior", "10")],
        accept: "next",
    },
    StrategyInfo {
        name: "bayesian",
        summary: "Bayesian opponent model: a posterior over hypotheses of the opponent's utility, updated from its offers and replies, steering offers toward the expected Nash point",
        params: &[("e", "0.2"), ("window", "0.1"), ("sigma", "0.15"), ("concession", "1"), ("prior", "10")],
        accept: "next",
    },
];

/// Which of its party's declared statements (`[[statements]]`) a strategy
/// makes at the start of talks, before the first offer
/// ([`super::speech`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Speak {
    /// None (the default): statements are made only by the scenario's
    /// events and by scripts.
    #[default]
    Never,
    /// The commitments and assurances whose pledge costs the party nothing
    /// it would accept: every outcome that breaks the pledge is already
    /// worth no more than its reservation to it. Cheap words, truthfully
    /// said; the listeners still react.
    Honest,
    /// Every statement the party may make, signals included: tying its own
    /// hands (Schelling) whatever the audience cost.
    All,
}

impl Speak {
    /// `never`, `honest` or `all`.
    pub fn as_str(self) -> &'static str {
        match self {
            Speak::Never => "never",
            Speak::Honest => "honest",
            Speak::All => "all",
        }
    }
}

/// A parsed strategy specification: what to build for each session.
#[derive(Clone, Debug)]
pub struct Spec {
    info: &'static StrategyInfo,
    params: Vec<(&'static str, String)>,
    acceptance: Acceptance,
    speak: Speak,
}

impl PartialEq for Spec {
    fn eq(&self, other: &Spec) -> bool {
        self.info.name == other.info.name
            && self.params == other.params
            && self.acceptance == other.acceptance
            && self.speak == other.speak
    }
}

/// Parses `NAME[:key=value,…]`.
pub fn parse(text: &str) -> Result<Spec, NegotiationError> {
    let text = text.trim();
    let (name, rest) = match text.split_once(':') {
        Some((n, r)) => (n.trim(), Some(r)),
        None => (text, None),
    };
    let info = STRATEGIES.iter().find(|s| s.name == name).ok_or_else(|| {
        let names: Vec<&str> = STRATEGIES.iter().map(|s| s.name).collect();
        let hint =
            crate::suggest::did_you_mean(name, &names).map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
        NegotiationError::Spec(format!("unknown strategy `{name}`{hint}; strategies: {}", names.join(", ")))
    })?;
    let mut params: Vec<(&'static str, String)> = info.params.iter().map(|(k, v)| (*k, v.to_string())).collect();
    let mut acceptance = info.accept.to_string();
    let mut speak = Speak::Never;
    for part in rest.map(split_top).unwrap_or_default() {
        let Some((key, value)) = part.split_once('=') else {
            return Err(NegotiationError::Spec(format!("`{part}` in `{text}`: parameters are written key=value")));
        };
        let (key, value) = (key.trim(), value.trim());
        if key == "accept" {
            acceptance = value.to_string();
            continue;
        }
        if key == "speak" {
            speak = match value {
                "never" => Speak::Never,
                "honest" => Speak::Honest,
                "all" => Speak::All,
                other => {
                    return Err(NegotiationError::Spec(format!(
                        "`{text}`: speak={other}; use speak=never, speak=honest or speak=all"
                    )))
                }
            };
            continue;
        }
        match params.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value.to_string(),
            None => {
                let mut keys: Vec<&str> = info.params.iter().map(|(k, _)| *k).collect();
                keys.extend(["accept", "speak"]);
                let hint = crate::suggest::did_you_mean(key, &keys)
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                return Err(NegotiationError::Spec(format!(
                    "`{name}` has no parameter `{key}`{hint}; it takes {}",
                    keys.join(", ")
                )));
            }
        }
    }
    let acceptance = Acceptance::parse(&acceptance).map_err(|e| NegotiationError::Spec(format!("`{text}`: {e}")))?;
    let spec = Spec { info, params, acceptance, speak };
    spec.bidding()?; // validates the values
    Ok(spec)
}

/// Parses a comma-separated list of specs, where commas also separate a
/// spec's parameters: a piece starts a new spec unless it is a `key=value`
/// continuation (an `=` before any `:`), so `boulware,linear:e=0.5,k=0.1`
/// is two specs.
pub fn parse_list(text: &str) -> Result<Vec<Spec>, NegotiationError> {
    let mut groups: Vec<String> = Vec::new();
    for piece in split_top(text) {
        let continuation = match (piece.find('='), piece.find(':')) {
            (Some(eq), Some(colon)) => eq < colon,
            (Some(_), None) => true,
            _ => false,
        };
        match groups.last_mut() {
            Some(last) if continuation => {
                last.push(',');
                last.push_str(piece.trim());
            }
            _ if continuation => {
                return Err(NegotiationError::Spec(format!(
                    "`{piece}` in `{text}`: a list starts with a strategy name, e.g. `boulware,linear:e=0.5`"
                )))
            }
            _ => groups.push(piece.trim().to_string()),
        }
    }
    if groups.is_empty() {
        return Err(NegotiationError::Spec("an empty list of strategies".into()));
    }
    groups.iter().map(|g| parse(g)).collect()
}

/// Assigns a strategy to every party: `assignments` are `PARTY=SPEC` (one
/// party) or `SPEC` (every party not named elsewhere); parties left over
/// get `default`. Returns, per party in `parties` order (actor ids), the
/// spec and whether it was the default.
pub fn assign(parties: &[&str], assignments: &[String], default: &Spec) -> Result<Vec<(Spec, bool)>, NegotiationError> {
    let mut named: Vec<Option<Spec>> = vec![None; parties.len()];
    let mut everyone: Option<Spec> = None;
    for a in assignments {
        let (party, spec) = match a.split_once('=') {
            Some((p, rest)) if !p.contains(':') && !p.contains('(') => (Some(p.trim()), rest),
            _ => (None, a.as_str()),
        };
        let spec = parse(spec)?;
        match party {
            Some(p) => {
                let Some(k) = parties.iter().position(|x| *x == p) else {
                    let hint = crate::suggest::did_you_mean(p, parties)
                        .map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default();
                    return Err(NegotiationError::Usage(format!(
                        "`{a}`: `{p}` is not a party{hint}; the parties are {}",
                        parties.join(", ")
                    )));
                };
                if named[k].is_some() {
                    return Err(NegotiationError::Usage(format!("two strategies for `{p}`")));
                }
                named[k] = Some(spec);
            }
            None => {
                if everyone.is_some() {
                    return Err(NegotiationError::Usage(format!(
                        "`{a}`: only one strategy may apply to every party; write PARTY=STRATEGY for the others"
                    )));
                }
                everyone = Some(spec);
            }
        }
    }
    Ok(named
        .into_iter()
        .map(|n| match (n, &everyone) {
            (Some(s), _) => (s, false),
            (None, Some(e)) => (e.clone(), false),
            (None, None) => (default.clone(), true),
        })
        .collect())
}

/// Splits on commas outside parentheses.
fn split_top(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

impl Spec {
    /// The strategy's registry entry.
    pub fn info(&self) -> &'static StrategyInfo {
        self.info
    }

    /// The name as written on the command line.
    pub fn name(&self) -> &'static str {
        self.info.name
    }

    /// Which statements it makes at the start of talks.
    pub fn speak(&self) -> Speak {
        self.speak
    }

    /// A short name for tables and plots: the strategy's name and only the
    /// parameters that differ from its defaults (`linear`,
    /// `boulware:e=0.1`, `linear:speak=all`). Two different specs never
    /// share an alias; [`Display`](std::fmt::Display) gives the canonical
    /// form with every parameter.
    ///
    /// ```
    /// use detente::negotiation::registry::parse;
    /// assert_eq!(parse("linear").unwrap().alias(), "linear");
    /// assert_eq!(parse("boulware:e=0.1,accept=next").unwrap().alias(), "boulware:e=0.1");
    /// assert_eq!(parse("conceder:speak=honest,accept=time(0.9)").unwrap().alias(), "conceder:accept=time(0.9),speak=honest");
    /// ```
    pub fn alias(&self) -> String {
        let mut parts: Vec<String> = self
            .params
            .iter()
            .zip(self.info.params)
            .filter(|((_, v), (_, default))| v != default)
            .map(|((k, v), _)| format!("{k}={v}"))
            .collect();
        let accept = self.acceptance.to_string();
        if Acceptance::parse(self.info.accept).map(|a| a.to_string()).as_deref() != Ok(accept.as_str()) {
            parts.push(format!("accept={accept}"));
        }
        if self.speak != Speak::Never {
            parts.push(format!("speak={}", self.speak.as_str()));
        }
        if parts.is_empty() {
            self.info.name.to_string()
        } else {
            format!("{}:{}", self.info.name, parts.join(","))
        }
    }

    /// Whether the strategy can play on `domain`: on a searched domain
    /// (too large to list) the frequency model and NegMAS's `snap`, which
    /// walk the list of outcomes near a utility, cannot.
    pub fn check(&self, domain: &super::Domain) -> Result<(), NegotiationError> {
        if !domain.is_searched() {
            return Ok(());
        }
        if self.speak == Speak::Honest {
            return Err(NegotiationError::Usage(format!(
                "`{self}` cannot play on an outcome space too large to list: speak=honest checks every outcome that would break a pledge; use speak=all or speak=never, or raise --max-outcomes if the space fits"
            )));
        }
        let why = match self.info.name {
            "frequency" | "bayesian" => "it ranks every outcome in a band of utilities",
            "aspiration" if self.param("snap").parse::<f64>() != Ok(0.0) => {
                "snap looks at the outcome just below the target in the list of outcomes"
            }
            _ => return Ok(()),
        };
        Err(NegotiationError::Usage(format!(
            "`{self}` cannot play on an outcome space too large to list ({} values across {} issues, searched rather than tabulated): {why}; use a time-dependent strategy, tit-for-tat or random, or raise --max-outcomes if the space fits",
            (0..domain.issue_count()).map(|i| domain.value_count(i)).sum::<usize>(),
            domain.issue_count()
        )))
    }

    /// A fresh negotiator for one session.
    pub fn build(&self) -> Box<dyn Negotiator> {
        let bidding = self.bidding().expect("validated when parsed");
        Box::new(Agent::new(bidding, self.acceptance.clone()))
    }

    fn number(&self, key: &str, range: std::ops::RangeInclusive<f64>) -> Result<f64, NegotiationError> {
        let raw = self.param(key);
        let x: f64 = raw
            .parse()
            .map_err(|_| NegotiationError::Spec(format!("`{}`: {key}={raw} is not a number", self.info.name)))?;
        if !range.contains(&x) {
            return Err(NegotiationError::Spec(format!(
                "`{}`: {key}={raw} is outside [{}, {}]",
                self.info.name,
                range.start(),
                range.end()
            )));
        }
        Ok(x)
    }

    fn param(&self, key: &str) -> &str {
        self.params.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v.as_str())
    }

    fn floor(&self) -> Result<Floor, NegotiationError> {
        match self.param("floor") {
            "reservation" => Ok(Floor::Reservation),
            "min" => Ok(Floor::Minimum),
            other => Err(NegotiationError::Spec(format!(
                "`{}`: floor={other}; use floor=reservation or floor=min",
                self.info.name
            ))),
        }
    }

    fn bidding(&self) -> Result<Box<dyn Bidding>, NegotiationError> {
        let big = 0.0..=1e9;
        Ok(match self.info.name {
            "time-dependent" | "boulware" | "linear" | "conceder" => {
                Box::new(TimeDependent::faratin(self.number("e", big)?, self.number("k", 0.0..=1.0)?, self.floor()?))
            }
            "hardliner" => Box::new(TimeDependent::faratin(0.0, 0.0, Floor::Reservation)),
            "aspiration" => Box::new(TimeDependent {
                curve: Curve::Aspiration { a: self.number("a", 1e-9..=1e9)? },
                floor: self.floor()?,
                tolerance: self.number("tolerance", 0.0..=1.0)?,
                snap: self.number("snap", 0.0..=1.0)?,
            }),
            "tit-for-tat" => {
                let imitation = match self.param("mode") {
                    "relative" => Imitation::Relative,
                    "absolute" => Imitation::Absolute,
                    other => {
                        return Err(NegotiationError::Spec(format!(
                            "`tit-for-tat`: mode={other}; use mode=relative or mode=absolute"
                        )))
                    }
                };
                Box::new(TitForTat::new(imitation, self.number("delta", 1.0..=1e6)? as usize))
            }
            "random" => Box::new(RandomBidding::default()),
            "frequency" => Box::new(FrequencyBidding::new(
                self.number("e", big)?,
                self.number("window", 0.0..=1.0)?,
                self.number("prior", 0.0..=1e9)?,
            )),
            "bayesian" => Box::new(BayesianBidding::new(
                self.number("e", big)?,
                self.number("window", 0.0..=1.0)?,
                self.number("sigma", 1e-6..=10.0)?,
                self.number("concession", 1e-6..=1e9)?,
                self.number("prior", 0.0..=1e9)?,
            )),
            other => unreachable!("strategy {other} is registered but not built"),
        })
    }
}

impl std::fmt::Display for Spec {
    /// The canonical form: the name and every parameter, `accept` last.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.info.name)?;
        let mut sep = ':';
        for (k, v) in &self.params {
            write!(f, "{sep}{k}={v}")?;
            sep = ',';
        }
        write!(f, "{sep}accept={}", self.acceptance)?;
        // Written only when it speaks, so the specs of silent strategies
        // (every tournament file before statements) read as before.
        if self.speak != Speak::Never {
            write!(f, ",speak={}", self.speak.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_strategy_parses_and_builds() {
        for info in STRATEGIES {
            let spec = parse(info.name).unwrap();
            let _ = spec.build();
            let again = parse(&spec.to_string()).unwrap();
            assert_eq!(again, spec, "{}", info.name);
        }
    }

    #[test]
    fn parameters_override_defaults() {
        let spec = parse("time-dependent:e=0.5,accept=next|time(0.9)&best").unwrap();
        assert_eq!(spec.to_string(), "time-dependent:e=0.5,k=0,floor=reservation,accept=next|time(0.9)&best");
        assert_eq!(parse("boulware").unwrap().to_string(), "boulware:e=0.2,k=0,floor=reservation,accept=next");
    }

    #[test]
    fn lists_split_between_specs_not_parameters() {
        let list = parse_list("boulware,linear:e=0.5,k=0.1,accept=next(1,0.02),hardliner").unwrap();
        let names: Vec<&str> = list.iter().map(|s| s.name()).collect();
        assert_eq!(names, ["boulware", "linear", "hardliner"]);
        assert_eq!(list[1].to_string(), "linear:e=0.5,k=0.1,floor=reservation,accept=next(1,0.02)");
        assert!(parse_list("e=1,linear").is_err());
        assert!(parse_list("").is_err());
    }

    #[test]
    fn assignments_name_parties_or_everyone() {
        let default = parse("boulware").unwrap();
        let got = assign(&["japan", "russia"], &["russia=hardliner".into()], &default).unwrap();
        assert_eq!((got[0].0.name(), got[0].1), ("boulware", true));
        assert_eq!((got[1].0.name(), got[1].1), ("hardliner", false));
        let got = assign(&["japan", "russia"], &["linear:e=2".into(), "japan=conceder".into()], &default).unwrap();
        assert_eq!((got[0].0.name(), got[1].0.name()), ("conceder", "linear"));
        let err = assign(&["japan", "russia"], &["japn=linear".into()], &default).unwrap_err().to_string();
        assert!(err.contains("did you mean `japan`"), "{err}");
        assert!(assign(&["a", "b"], &["a=linear".into(), "a=linear".into()], &default).is_err());
    }

    #[test]
    fn bayesian_spec_round_trips() {
        let spec = parse("bayesian").unwrap();
        assert_eq!(spec.to_string(), "bayesian:e=0.2,window=0.1,sigma=0.15,concession=1,prior=10,accept=next");
        assert_eq!(parse(&spec.to_string()).unwrap(), spec);
        assert!(parse("bayesian:sigma=0").unwrap_err().to_string().contains("outside"));
        let list = parse_list("bayesian:sigma=0.1,boulware").unwrap();
        assert_eq!(list[0].to_string(), "bayesian:e=0.2,window=0.1,sigma=0.1,concession=1,prior=10,accept=next");
    }

    #[test]
    fn negmas_aspiration_is_one_spec() {
        // docs/negotiation.md, "Cross-check with NegMAS".
        let negmas = "aspiration:a=4,floor=reservation,tolerance=0.001,snap=1e-6,accept=target";
        assert_eq!(parse(negmas).unwrap().to_string(), negmas);
        assert_eq!(parse("aspiration").unwrap().to_string(), "aspiration:a=4,floor=min,tolerance=0,snap=0,accept=next");
        assert!(parse("aspiration:tolerance=2").unwrap_err().to_string().contains("outside"));
    }

    #[test]
    fn errors_point_at_the_fix() {
        let msg = |s: &str| parse(s).unwrap_err().to_string();
        assert!(msg("boulwar").contains("did you mean `boulware`"), "{}", msg("boulwar"));
        assert!(msg("linear:ee=2").contains("did you mean `e`"));
        assert!(msg("linear:e=x").contains("not a number"));
        assert!(msg("linear:e=-1").contains("outside"));
        assert!(msg("linear:e").contains("key=value"));
        assert!(msg("tit-for-tat:mode=sideways").contains("mode=relative"));
        assert!(msg("linear:accept=soon").contains("unknown acceptance condition"));
        assert!(msg("linear:floor=zero").contains("floor=min"));
    }
}
