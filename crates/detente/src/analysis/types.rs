//! Uncertain types (`docs/analysis.md`, "Uncertain types"): the agreement
//! set of every type profile (one type per actor that has types), the
//! probability that each outcome is accepted, the robust agreement set
//! (accepted under every profile of positive probability), and the same as
//! each belief holder sees it, with its own probabilities of the others'
//! types.
//!
//! A profile is an ordinary, fully known scenario
//! ([`Scenario::with_types`]); profiles are independent across actors, so
//! a profile's probability is the product of its types' priors (or of the
//! holder's probabilities, for a holder's view). Every profile's model is
//! compiled on the grid of the scenario as written, so outcome numbers
//! agree across profiles, and each outcome is judged once per profile by
//! the same rule as the analysis ([`Model::judge`]). No I/O.

use super::model::Model;
use super::verdict::compile_for_verdict;
use super::{AnalysisError, Config};
use crate::scenario::{Scenario, Value};

/// How many outcomes each list keeps (the likeliest agreements, the robust
/// ones); counts are always complete.
pub const LISTED: usize = 10;

/// The most type profiles an analysis compiles.
pub const MAX_PROFILES: usize = 4096;

/// One type per actor with types.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// Indices into [`Scenario::types`], one per typed actor, in actor order.
    pub types: Vec<usize>,
    /// The product of the types' priors.
    pub probability: f64,
    /// Outcomes in this profile's agreement set.
    pub agreements: u64,
}

/// An outcome with the probability that it is accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct Accepted {
    /// Its number on the grid.
    pub index: u64,
    /// Its values, one per issue.
    pub values: Vec<Value>,
    /// The probability that every required actor accepts it.
    pub probability: f64,
}

/// Acceptance over the profiles, under one set of probabilities.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Acceptance {
    /// Outcomes accepted under some profile of positive probability.
    pub possible: u64,
    /// Outcomes accepted under every profile of positive probability.
    pub robust: u64,
    /// The expected size of the agreement set (the sum of the outcomes'
    /// acceptance probabilities).
    pub expected: f64,
    /// The outcomes most likely accepted (at most [`LISTED`]; ties by
    /// outcome number).
    pub likeliest: Vec<Accepted>,
}

/// One belief holder's view of the types.
#[derive(Clone, Debug, PartialEq)]
pub struct HolderView {
    /// The holder (actor index).
    pub holder: usize,
    /// The holder's own type, when it has types (the holder knows it): one
    /// view per own type.
    pub own_type: Option<usize>,
    /// The holder's probability of each type of the other typed actors
    /// (index into [`Scenario::types`], probability).
    pub probabilities: Vec<(usize, f64)>,
    /// The deal space as the holder perceives it.
    pub acceptance: Acceptance,
}

/// The type analysis of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeAnalysis {
    /// Actors with types, in actor order.
    pub actors: Vec<usize>,
    /// Every profile, in mixed-radix order of the actors' types.
    pub profiles: Vec<Profile>,
    /// Acceptance under the priors.
    pub acceptance: Acceptance,
    /// One per belief holder (and own type), in order of first belief.
    pub views: Vec<HolderView>,
}

/// The type analysis, or `None` when no actor has types. Errors as
/// [`super::analyze`] does, and when profiles × outcomes exceed
/// `config.max_outcomes`.
pub fn analyze_types(scenario: &Scenario, config: &Config) -> Result<Option<TypeAnalysis>, AnalysisError> {
    let actors = scenario.typed_actors();
    if actors.is_empty() {
        return Ok(None);
    }
    let choices: Vec<Vec<usize>> = actors.iter().map(|&a| scenario.types_of(a)).collect();
    let n_profiles = choices.iter().try_fold(1usize, |n, c| n.checked_mul(c.len()).filter(|&n| n <= MAX_PROFILES));
    let Some(n_profiles) = n_profiles else {
        return Err(AnalysisError::Refused(format!(
            "the actors' types combine into more than {MAX_PROFILES} type profiles, one model each; give fewer actors types, or fewer types each"
        )));
    };
    let base = compile_for_verdict(scenario, config)?;
    let count = base.space.count();
    let judged = count.saturating_mul(n_profiles as u128);
    if judged > config.max_outcomes {
        return Err(AnalysisError::Refused(format!(
            "judging {} outcomes under each of {n_profiles} type profiles means {judged} judgements, more than --max-outcomes ({}); raise it or give fewer types",
            base.space.count_decimal(),
            config.max_outcomes
        )));
    }
    let mut profiles = Vec::with_capacity(n_profiles);
    let mut models = Vec::with_capacity(n_profiles);
    for k in 0..n_profiles {
        let mut rest = k;
        let mut types = vec![0; actors.len()];
        for j in (0..actors.len()).rev() {
            types[j] = choices[j][rest % choices[j].len()];
            rest /= choices[j].len();
        }
        let probability = types.iter().map(|&t| scenario.types[t].prior).product();
        let s = scenario.with_types(&types);
        models.push(Model::new(&s, base.space.clone(), base.nash_weights.clone()));
        profiles.push(Profile { types, probability, agreements: 0 });
    }
    // The views: each belief holder, once per own type.
    let mut holders: Vec<usize> = Vec::new();
    for b in &scenario.beliefs {
        if !holders.contains(&b.holder) {
            holders.push(b.holder);
        }
    }
    let mut views: Vec<HolderView> = Vec::new();
    // Per view: its index in each profile's model views, and per profile
    // the holder's probability of that profile.
    let mut view_weights: Vec<Vec<f64>> = Vec::new();
    for &h in &holders {
        let own: Vec<Option<usize>> = match actors.iter().position(|&a| a == h) {
            Some(j) => choices[j].iter().map(|&t| Some(t)).collect(),
            None => vec![None],
        };
        let probabilities: Vec<(usize, f64)> = actors
            .iter()
            .filter(|&&a| a != h)
            .flat_map(|&a| scenario.types_of(a).into_iter().map(move |t| (a, t)))
            .map(|(a, t)| (t, holder_probability(scenario, h, a, t)))
            .collect();
        for own_type in own {
            let weights = profiles
                .iter()
                .map(|p| {
                    p.types
                        .iter()
                        .map(|&t| {
                            if scenario.types[t].actor == h {
                                f64::from(u8::from(Some(t) == own_type))
                            } else {
                                holder_probability(scenario, h, scenario.types[t].actor, t)
                            }
                        })
                        .product()
                })
                .collect();
            view_weights.push(weights);
            views.push(HolderView {
                holder: h,
                own_type,
                probabilities: probabilities.clone(),
                acceptance: Default::default(),
            });
        }
    }
    let view_slot: Vec<Vec<usize>> = models
        .iter()
        .map(|m| {
            views.iter().map(|v| m.views.iter().position(|mv| mv.holder == v.holder).unwrap_or(usize::MAX)).collect()
        })
        .collect();

    let priors: Vec<f64> = profiles.iter().map(|p| p.probability).collect();
    let mut real = Tally::default();
    let mut perceived: Vec<Tally> = vec![Tally::default(); views.len()];
    let n_issues = base.space.values.len();
    let n_actors = scenario.actors.len();
    let mut digits = vec![0usize; n_issues];
    let mut values = vec![Value::Option(0); n_issues];
    let mut utils = vec![0.0; n_actors];
    let mut verdicts: Vec<bool> = vec![false; profiles.len()];
    let mut view_flags: Vec<Vec<bool>> = models.iter().map(|m| vec![false; m.views.len()]).collect();
    for index in 0..count as u64 {
        if index % 65_536 == 0 && config.cancel.is_cancelled() {
            return Err(AnalysisError::Cancelled);
        }
        base.space.digits(index, &mut digits);
        for i in 0..n_issues {
            values[i] = base.space.values[i][digits[i]];
        }
        if base.is_moot(&digits, &values) {
            continue;
        }
        for (k, m) in models.iter().enumerate() {
            verdicts[k] = m.judge(&digits, &values, &mut utils, &mut view_flags[k]);
            if verdicts[k] {
                profiles[k].agreements += 1;
            }
        }
        real.add(index, &values, &priors, &verdicts);
        for (v, tally) in perceived.iter_mut().enumerate() {
            let believed: Vec<bool> =
                (0..models.len()).map(|k| view_flags[k].get(view_slot[k][v]).copied().unwrap_or(verdicts[k])).collect();
            tally.add(index, &values, &view_weights[v], &believed);
        }
    }
    for (view, tally) in views.iter_mut().zip(perceived) {
        view.acceptance = tally.finish();
    }
    Ok(Some(TypeAnalysis { actors, profiles, acceptance: real.finish(), views }))
}

/// Holder `h`'s probability that actor `a` is of type `t`: its belief's,
/// when a belief of `h` about `a` gives them, else the prior.
pub fn holder_probability(scenario: &Scenario, h: usize, a: usize, t: usize) -> f64 {
    scenario
        .beliefs
        .iter()
        .rev()
        .find(|b| b.holder == h && b.about == a && !b.types.is_empty())
        .map_or(scenario.types[t].prior, |b| b.types.iter().find(|&&(x, _)| x == t).map_or(0.0, |&(_, p)| p))
}

/// Running counts of one [`Acceptance`].
#[derive(Clone, Debug, Default)]
struct Tally {
    possible: u64,
    robust: u64,
    expected: f64,
    likeliest: Vec<Accepted>,
}

impl Tally {
    /// Adds the outcome `index` (values `values`), accepted in the profiles
    /// where `accepted` is true, profiles weighing `weights`.
    fn add(&mut self, index: u64, values: &[Value], weights: &[f64], accepted: &[bool]) {
        let mut p = 0.0;
        let mut everywhere = true;
        let mut somewhere = false;
        for (&w, &ok) in weights.iter().zip(accepted) {
            if w > 0.0 {
                if ok {
                    p += w;
                    somewhere = true;
                } else {
                    everywhere = false;
                }
            }
        }
        if !somewhere {
            return;
        }
        self.possible += 1;
        self.robust += u64::from(everywhere);
        self.expected += p;
        // Highest probability first, then lower outcome number; outcomes
        // arrive in ascending order, so an equal one never displaces.
        if self.likeliest.len() < LISTED || self.likeliest.last().is_some_and(|last| p > last.probability) {
            let at = self.likeliest.iter().position(|x| p > x.probability).unwrap_or(self.likeliest.len());
            self.likeliest.insert(at, Accepted { index, values: values.to_vec(), probability: p });
            self.likeliest.truncate(LISTED);
        }
    }

    fn finish(self) -> Acceptance {
        Acceptance { possible: self.possible, robust: self.robust, expected: self.expected, likeliest: self.likeliest }
    }
}
