//! Acceptance conditions (Baarslag, Hindriks & Jonker 2014, "Effective
//! acceptance conditions in automated negotiation"), and their combinations.
//!
//! Written as `next`, `next(α,β)`, `target`, `const(c)`, `time(T)`, `best`, joined
//! with `&` (all must hold) and `|` (any may hold; binds looser), and
//! `combi(T)` for Baarslag's AC_combi(T, MAX^∞) = `next|time(T)&best`.
//!
//! | condition | accepts the offer `x` when |
//! |---|---|
//! | `next(α,β)` (AC_next) | `α·u(x) + β ≥ u(the bid it would make next)`; `next` is `next(1,0)` |
//! | `target` | `u(x)` is at least the utility level the bidding strategy aims at now (time-dependent concession: its target less its tolerance; other strategies: the next bid's utility, as `next`) — NegMAS's `utility_range_to_accept` |
//! | `const(c)` (AC_const) | `u(x) ≥ c` |
//! | `time(T)` (AC_time) | relative time `t ≥ T` |
//! | `best` (MAX^∞) | `u(x)` is at least the best utility of any earlier offer received |
//!
//! Whatever the condition, a party never accepts an outcome it does not
//! prefer to no agreement (`u(x) ≤` reservation), as in the deal-space
//! analysis.

use std::fmt;

/// An acceptance condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Acceptance {
    /// AC_next(α, β).
    Next {
        /// Scale of the offer's utility.
        alpha: f64,
        /// Added to it.
        beta: f64,
    },
    /// At least the bidding strategy's current utility level.
    Target,
    /// AC_const(c).
    Const(f64),
    /// AC_time(T).
    Time(f64),
    /// At least as good as the best offer received before.
    Best,
    /// Every condition holds.
    All(Vec<Acceptance>),
    /// Some condition holds.
    Any(Vec<Acceptance>),
}

/// What an acceptance condition looks at, all in the negotiator's own
/// utility.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Situation {
    /// Utility of the offer on the table.
    pub offer: f64,
    /// Utility of the bid the negotiator would make next.
    pub next: f64,
    /// The utility level the bidding strategy aims at (its target less its
    /// tolerance), or `next` when it has none.
    pub target: f64,
    /// Relative time.
    pub time: f64,
    /// Best utility among the offers received before this one (−∞ if none).
    pub best_before: f64,
}

impl Acceptance {
    /// AC_next.
    pub fn next() -> Acceptance {
        Acceptance::Next { alpha: 1.0, beta: 0.0 }
    }

    /// Whether the condition accepts in `s` (before the reservation check).
    pub fn accepts(&self, s: &Situation) -> bool {
        match self {
            Acceptance::Next { alpha, beta } => alpha * s.offer + beta >= s.next,
            Acceptance::Target => s.offer >= s.target,
            Acceptance::Const(c) => s.offer >= *c,
            Acceptance::Time(t) => s.time >= *t,
            Acceptance::Best => s.offer >= s.best_before,
            Acceptance::All(v) => v.iter().all(|a| a.accepts(s)),
            Acceptance::Any(v) => v.iter().any(|a| a.accepts(s)),
        }
    }

    /// Parses the notation of the module docs.
    pub fn parse(text: &str) -> Result<Acceptance, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err(
                "an empty acceptance condition; use e.g. `next`, `const(0.8)`, `time(0.95)`, `next|time(0.98)&best`"
                    .into(),
            );
        }
        let any: Vec<Acceptance> = text.split('|').map(parse_all).collect::<Result<_, _>>()?;
        Ok(if any.len() == 1 { any.into_iter().next().expect("one") } else { Acceptance::Any(any) })
    }
}

fn parse_all(text: &str) -> Result<Acceptance, String> {
    let all: Vec<Acceptance> = text.split('&').map(parse_atom).collect::<Result<_, _>>()?;
    Ok(if all.len() == 1 { all.into_iter().next().expect("one") } else { Acceptance::All(all) })
}

fn parse_atom(text: &str) -> Result<Acceptance, String> {
    let text = text.trim();
    let (name, args) = match text.find('(') {
        Some(open) => {
            let Some(inner) = text[open + 1..].strip_suffix(')') else {
                return Err(format!("`{text}`: a missing `)`"));
            };
            let args: Vec<f64> = inner
                .split(',')
                .map(|a| a.trim().parse::<f64>().map_err(|_| format!("`{text}`: `{}` is not a number", a.trim())))
                .collect::<Result<_, _>>()?;
            (text[..open].trim(), args)
        }
        None => (text, Vec::new()),
    };
    let arity = |n: &[usize]| {
        if n.contains(&args.len()) {
            Ok(())
        } else {
            Err(format!(
                "`{name}` takes {} argument(s), not {}",
                n.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(" or "),
                args.len()
            ))
        }
    };
    let time = |t: f64| {
        if (0.0..=1.0).contains(&t) {
            Ok(t)
        } else {
            Err(format!("`{text}`: relative time lies in [0, 1]"))
        }
    };
    match name {
        "next" => {
            arity(&[0, 2])?;
            Ok(match args[..] {
                [alpha, beta] => Acceptance::Next { alpha, beta },
                _ => Acceptance::next(),
            })
        }
        "target" => {
            arity(&[0])?;
            Ok(Acceptance::Target)
        }
        "const" => {
            arity(&[1])?;
            Ok(Acceptance::Const(args[0]))
        }
        "time" => {
            arity(&[1])?;
            Ok(Acceptance::Time(time(args[0])?))
        }
        "best" => {
            arity(&[0])?;
            Ok(Acceptance::Best)
        }
        "combi" => {
            arity(&[1])?;
            Ok(Acceptance::Any(vec![
                Acceptance::next(),
                Acceptance::All(vec![Acceptance::Time(time(args[0])?), Acceptance::Best]),
            ]))
        }
        other => Err(format!(
            "unknown acceptance condition `{other}`; use next, next(α,β), target, const(c), time(T), best or combi(T), joined with & and |"
        )),
    }
}

impl fmt::Display for Acceptance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Acceptance::Next { alpha, beta } if *alpha == 1.0 && *beta == 0.0 => f.write_str("next"),
            Acceptance::Next { alpha, beta } => write!(f, "next({alpha},{beta})"),
            Acceptance::Target => f.write_str("target"),
            Acceptance::Const(c) => write!(f, "const({c})"),
            Acceptance::Time(t) => write!(f, "time({t})"),
            Acceptance::Best => f.write_str("best"),
            Acceptance::All(v) => {
                let parts: Vec<String> = v.iter().map(|a| a.to_string()).collect();
                f.write_str(&parts.join("&"))
            }
            Acceptance::Any(v) => {
                let parts: Vec<String> = v.iter().map(|a| a.to_string()).collect();
                f.write_str(&parts.join("|"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(offer: f64, next: f64, time: f64, best_before: f64) -> Situation {
        Situation { offer, next, target: next, time, best_before }
    }

    #[test]
    fn next_compares_with_the_next_bid() {
        let a = Acceptance::next();
        assert!(a.accepts(&at(0.7, 0.7, 0.1, 0.0)));
        assert!(!a.accepts(&at(0.69, 0.7, 0.1, 0.0)));
        let scaled = Acceptance::parse("next(1.1,0)").unwrap();
        assert!(scaled.accepts(&at(0.64, 0.7, 0.1, 0.0)));
        assert!(!scaled.accepts(&at(0.63, 0.7, 0.1, 0.0)));
    }

    #[test]
    fn target_compares_with_the_strategy_level_not_the_bid() {
        // A bid may lie below the level (NegMAS's inverter snaps to a nearer
        // outcome just under it); `target` still asks for the level.
        let s = Situation { offer: 0.7995, next: 0.799, target: 0.8, time: 0.5, best_before: 0.0 };
        assert!(!Acceptance::parse("target").unwrap().accepts(&s));
        assert!(Acceptance::next().accepts(&s));
        assert!(Acceptance::Target.accepts(&Situation { offer: 0.8, ..s }));
        assert_eq!(Acceptance::Target.to_string(), "target");
    }

    #[test]
    fn const_time_and_best() {
        assert!(Acceptance::parse("const(0.8)").unwrap().accepts(&at(0.8, 1.0, 0.0, 0.0)));
        assert!(!Acceptance::parse("const(0.8)").unwrap().accepts(&at(0.79, 0.0, 1.0, 0.0)));
        assert!(Acceptance::parse("time(0.9)").unwrap().accepts(&at(0.0, 1.0, 0.9, 1.0)));
        assert!(!Acceptance::parse("time(0.9)").unwrap().accepts(&at(1.0, 1.0, 0.89, 1.0)));
        assert!(Acceptance::Best.accepts(&at(0.5, 1.0, 0.0, 0.5)));
        assert!(!Acceptance::Best.accepts(&at(0.49, 1.0, 0.0, 0.5)));
    }

    #[test]
    fn combinations_and_precedence() {
        // `|` binds looser than `&`: next OR (time AND best).
        let c = Acceptance::parse("combi(0.9)").unwrap();
        assert_eq!(c, Acceptance::parse("next|time(0.9)&best").unwrap());
        assert!(c.accepts(&at(0.8, 0.8, 0.0, 0.9))); // next
        assert!(!c.accepts(&at(0.6, 0.8, 0.95, 0.7))); // late but worse than before
        assert!(c.accepts(&at(0.7, 0.8, 0.95, 0.7))); // late and as good as the best
        assert!(!c.accepts(&at(0.7, 0.8, 0.5, 0.6))); // early
        assert_eq!(c.to_string(), "next|time(0.9)&best");
        assert_eq!(Acceptance::parse(&c.to_string()).unwrap(), c);
    }

    #[test]
    fn bad_conditions_say_what_to_write() {
        for bad in ["", "nxt", "const", "const(a)", "time(2)", "next(1)", "best(1)", "time(0.5"] {
            let e = Acceptance::parse(bad).unwrap_err();
            assert!(!e.is_empty(), "{bad}");
        }
        assert!(Acceptance::parse("nxt").unwrap_err().contains("unknown acceptance condition `nxt`"));
    }
}
