//! Public statements (`[[statements]]`): what a party says during the talks,
//! who hears it, how the listeners react, and what backing down from it
//! would cost the speaker at home (an audience cost, after Fearon 1994).
//!
//! A statement is declared once and *made* at a moment of the talks: by an
//! `[[events]]` entry that lists it (`statements = ["ID"]`), by a script on
//! the command line (`negotiate --say ID@ROUND`), or by a strategy that
//! speaks. Making it applies the listeners' reactions (`--set` edits and
//! dropped constraints, like an event's changes) and, for a commitment or
//! an assurance with an audience cost, lowers the speaker's utility of
//! every outcome that breaks the pledge by that cost from then on. The
//! cost reaches the speaker as an interaction term ([`Origin::Statement`]),
//! so every analysis, the exact tie rule included, sees it without knowing
//! about statements.

use super::calendar::Event;
use super::{Expr, Interaction, Origin, Scenario};
use crate::whatif::Edit;

/// What a statement does for its speaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementKind {
    /// "We will not accept X": a limit on what the speaker accepts.
    Commitment,
    /// "We will not demand Y": a limit on what the speaker asks for.
    Assurance,
    /// Words that pledge nothing but move the listeners ("cardinal
    /// solutions"): reactions only, no pledge, no audience cost.
    Signal,
}

impl StatementKind {
    /// `commitment`, `assurance` or `signal`, as the file writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Commitment => "commitment",
            StatementKind::Assurance => "assurance",
            StatementKind::Signal => "signal",
        }
    }

    /// The kind a file names, if any.
    pub fn parse(text: &str) -> Option<StatementKind> {
        match text {
            "commitment" => Some(StatementKind::Commitment),
            "assurance" => Some(StatementKind::Assurance),
            "signal" => Some(StatementKind::Signal),
            _ => None,
        }
    }
}

/// One public statement a party may make.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// Identifier, unique among statements.
    pub id: String,
    /// The speaker (actor index).
    pub by: usize,
    /// Commitment, assurance or signal.
    pub kind: StatementKind,
    /// The words, as reported.
    pub says: Option<String>,
    /// What the speaker pledges every agreement keeps to, as written (a
    /// commitment or an assurance; `None` for a signal).
    pub pledge_text: Option<String>,
    /// The pledge, resolved against the issues.
    pub pledge: Option<Expr>,
    /// What an agreement that breaks the pledge costs the speaker once the
    /// statement is made, in its utility units (0–1).
    pub audience_cost: f64,
    /// Who hears it (actor indices, in file order).
    pub heard_by: Vec<usize>,
    /// How the listeners react: `--set` edits of listeners' numbers and
    /// dropped constraints of listeners, indices into the file as written.
    pub reactions: Vec<Edit>,
    /// Whether it has been made in the scenario at hand (never in the file
    /// as written; set by [`Scenario::after_event`] and
    /// [`Scenario::make_statements`]).
    pub made: bool,
    /// Longer free text.
    pub description: Option<String>,
    /// Citation or reasoning.
    pub source: Option<String>,
}

impl Statement {
    /// Whether an agreement on `outcome` breaks the pledge (never for a
    /// signal).
    pub fn broken_by(&self, outcome: &[super::Value]) -> bool {
        self.pledge.as_ref().is_some_and(|p| !p.holds(outcome))
    }
}

impl Scenario {
    /// Index of the statement with id `id`.
    pub fn statement_index(&self, id: &str) -> Option<usize> {
        self.statements.iter().position(|s| s.id == id)
    }

    /// Appends the audience-cost terms of the statements made so far to
    /// their speakers' interactions (called by
    /// [`Scenario::refresh_pressures`], after the pressure terms).
    pub(super) fn add_audience_costs(&mut self) {
        for (k, st) in self.statements.iter().enumerate() {
            let (true, Some(pledge), Some(text)) = (st.made, &st.pledge, &st.pledge_text) else { continue };
            if st.audience_cost <= 0.0 {
                continue;
            }
            self.actors[st.by].interactions.push(Interaction {
                label: st.id.clone(),
                rule_text: format!("not ({text})"),
                rule: Expr::Not(Box::new(pledge.clone())),
                value: -st.audience_cost,
                source: None,
                origin: Origin::Statement(k),
            });
        }
    }

    /// The edits that making `statements` (indices) applies: their
    /// reactions, in order.
    pub fn reactions_of(&self, statements: &[usize]) -> Vec<Edit> {
        statements.iter().flat_map(|&k| self.statements[k].reactions.iter().cloned()).collect()
    }

    /// The scenario after `statements` (indices) are made: their reactions
    /// applied and their audience costs in force. Reactions name
    /// constraints by their index in the file as written, so call this on
    /// the file as written (events go through [`Scenario::after_event`]).
    ///
    /// ```
    /// let text = r#"
    /// format = 1
    /// name = "toy"
    /// [[issues]]
    /// id = "price"
    /// options = ["low", "high"]
    /// [[actors]]
    /// id = "buyer"
    /// reservation = 0.4
    /// stances.price = { values = { low = 1.0, high = 0.5 }, salience = 1.0 }
    /// [[actors]]
    /// id = "seller"
    /// reservation = 0.2
    /// stances.price = { values = { low = 0.3, high = 1.0 }, salience = 1.0 }
    /// [[statements]]
    /// id = "never-high"
    /// by = "buyer"
    /// kind = "commitment"
    /// pledge = "price == 'low'"
    /// audience_cost = 0.3
    /// heard_by = ["seller"]
    /// reactions = { "seller.reservation" = 0.25 }
    /// "#;
    /// let s = detente::load_str("toy.toml", text, detente::TextFormat::Toml).scenario.unwrap();
    /// let after = s.make_statements(&[0]);
    /// // The buyer now loses 0.3 on `high`: 0.5 − 0.3 = 0.2, below its 0.4.
    /// let high = [detente::scenario::Value::Option(1)];
    /// assert!((after.actors[0].utility(&after.issues, &high) - 0.2).abs() < 1e-12);
    /// assert!((s.actors[0].utility(&s.issues, &high) - 0.5).abs() < 1e-12);
    /// assert_eq!(after.reservation_value(1), 0.25);
    /// ```
    pub fn make_statements(&self, statements: &[usize]) -> Scenario {
        let mut s = crate::whatif::apply(self, &self.reactions_of(statements));
        for &k in statements {
            s.statements[k].made = true;
        }
        s.refresh_pressures();
        s
    }

    /// Parses `ID@ROUND` (the argument of `negotiate --say`): statement `ID`
    /// made at 0-based round `ROUND` of simulated talks.
    ///
    /// ```
    /// # let text = "format = 1\nname = \"t\"\n[[issues]]\nid = \"i\"\noptions = [\"a\", \"b\"]\n[[actors]]\nid = \"x\"\nstances.i = { values = { a = 1, b = 0 }, salience = 1 }\n[[actors]]\nid = \"y\"\nstances.i = { values = { a = 0, b = 1 }, salience = 1 }\n[[statements]]\nid = \"only-a\"\nby = \"x\"\nkind = \"commitment\"\npledge = \"i == 'a'\"\n";
    /// # let s = detente::load_str("t.toml", text, detente::TextFormat::Toml).scenario.unwrap();
    /// assert_eq!(s.parse_said("only-a@3"), Ok((0, 3)));
    /// assert!(s.parse_said("only-b@3").unwrap_err().contains("did you mean `only-a`"));
    /// assert!(s.parse_said("only-a").unwrap_err().contains("ID@ROUND"));
    /// ```
    pub fn parse_said(&self, arg: &str) -> Result<(usize, u64), String> {
        let (id, round) = arg
            .trim()
            .rsplit_once('@')
            .ok_or_else(|| format!("`{arg}` is not of the form ID@ROUND, e.g. no-compensation@2"))?;
        let names: Vec<&str> = self.statements.iter().map(|s| s.id.as_str()).collect();
        if names.is_empty() {
            return Err("the scenario declares no statements; add [[statements]] to the file".into());
        }
        let k = super::param::lookup("statement", id.trim(), &names)?;
        let round = round
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("`{}` is not a round: give a whole number from 0, e.g. {id}@2", round.trim()))?;
        if let Some(e) = self.events.iter().find(|e| e.statements.contains(&k)) {
            return Err(format!("`{id}` is already made by event `{}` in the file; a statement is made once", e.id));
        }
        Ok((k, round))
    }

    /// The scenario with each `(statement, round)` of `said` made at its
    /// round of simulated talks ([`Scenario::with_statement_at`]); a
    /// statement made twice is refused.
    pub fn with_said(&self, said: &[(usize, u64)]) -> Result<Scenario, String> {
        let mut s = self.clone();
        for (n, &(k, round)) in said.iter().enumerate() {
            if said[..n].iter().any(|&(j, _)| j == k) {
                return Err(format!("`{}` is said twice; a statement is made once", self.statements[k].id));
            }
            s = s.with_statement_at(k, round, "scripted");
        }
        Ok(s)
    }

    /// The scenario with the statements of `args` (each `ID@ROUND`, as
    /// `--say` takes them) made at their rounds: what every shell calls.
    /// A per-argument error starts with the argument (`x@1: no statement
    /// …`); a statement said twice is named alone.
    pub fn with_said_args(&self, args: &[String]) -> Result<Scenario, String> {
        if args.is_empty() {
            return Ok(self.clone());
        }
        let said = args
            .iter()
            .map(|arg| self.parse_said(arg).map_err(|e| format!("{arg}: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        self.with_said(&said)
    }

    /// The scenario with statement `k` made at 0-based round `round` of
    /// simulated talks: a new event, placed after every event already in
    /// force by then (events without a round stay where they are), named
    /// after the statement and `how` it came to be made ("scripted").
    /// Deadlines keep naming their events.
    pub fn with_statement_at(&self, k: usize, round: u64, how: &str) -> Scenario {
        let mut s = self.clone();
        let mut id = format!("{}-said", self.statements[k].id);
        let mut n = 1;
        while s.events.iter().any(|e| e.id == id) {
            n += 1;
            id = format!("{}-said-{n}", self.statements[k].id);
        }
        let at = (0..s.events.len()).rfind(|&e| s.event_round(e).is_some_and(|r| r <= round)).map_or(0, |e| e + 1);
        s.events.insert(
            at,
            Event {
                id,
                name: Some(format!("`{}`, {how}", self.statements[k].id)),
                date: None,
                round: Some(round),
                changes: Vec::new(),
                statements: vec![k],
                description: None,
                source: None,
            },
        );
        for a in &mut s.actors {
            if let Some(d) = &mut a.deadline {
                if *d >= at {
                    *d += 1;
                }
            }
        }
        s
    }
}
