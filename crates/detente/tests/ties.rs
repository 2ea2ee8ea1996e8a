//! The tie rule (docs/analysis.md, "Ties"): an outcome worth *exactly* an
//! actor's reservation value is no gain to a party and no loss to a
//! ratifier, however floating-point rounding lands.
//!
//! Party `a` weighs three yes/no issues with saliences `sa = sb + sc`
//! written as decimals; it loses issue 1 and wins issues 2 and 3 when all
//! three change, so "everything changes" is worth exactly the status quo
//! to it: `(sb + sc) / S = sa / S`. In floating point the two sides differ
//! in the last bit in either direction, depending on the numbers.

use detente::analysis::{analyze, Config};
use detente::negotiation::domain::{Domain, DomainConfig};
use detente::scenario::Scenario;
use detente::{load_str, TextFormat};

/// `n` thousandths as a decimal literal.
fn dec(n: u32) -> String {
    format!("{}.{:03}", n / 1000, n % 1000)
}

/// The scenario; `a` is a party (strict gain needed) or a ratifier of `b`
/// (no loss needed) beside a second party `c` that wants what `b` wants.
fn scenario(b: u32, c: u32, a_ratifies: bool) -> Scenario {
    let (sa, sb, sc) = (dec(b + c), dec(b), dec(c));
    let mut t = String::from("format = 1\nname = \"tie\"\n");
    for i in 1..=3 {
        t += &format!("[[issues]]\nid = \"x{i}\"\noptions = [\"no\", \"yes\"]\n");
    }
    t += "[status_quo]\nx1 = \"no\"\nx2 = \"no\"\nx3 = \"no\"\n";
    let role = if a_ratifies { "ratifier" } else { "party" };
    t += &format!(
        "[[actors]]\nid = \"a\"\nrole = \"{role}\"\nreservation = \"status-quo\"\n\
         stances.x1 = {{ values = {{ no = 1, yes = 0 }}, salience = {sa} }}\n\
         stances.x2 = {{ values = {{ no = 0, yes = 1 }}, salience = {sb} }}\n\
         stances.x3 = {{ values = {{ no = 0, yes = 1 }}, salience = {sc} }}\n"
    );
    let ratifiers = if a_ratifies { "ratifiers = [\"a\"]\n" } else { "" };
    t += &format!(
        "[[actors]]\nid = \"b\"\nreservation = \"status-quo\"\n{ratifiers}\
         stances.x1 = {{ values = {{ no = 0, yes = 1 }}, salience = 1 }}\n"
    );
    if a_ratifies {
        t += "[[actors]]\nid = \"c\"\nreservation = \"status-quo\"\n\
              stances.x1 = { values = { no = 0, yes = 1 }, salience = 1 }\n";
    }
    let l = load_str("tie.toml", &t, TextFormat::Toml);
    l.scenario.unwrap_or_else(|| panic!("{:?}\n{t}", l.diagnostics))
}

/// How rounding lands: party `a`'s floating-point utility of "everything
/// changes" against its floating-point reservation.
fn rounding(s: &Scenario) -> std::cmp::Ordering {
    let all_yes = detente::analysis::OutcomeSpace::new(s, Default::default()).outcome(7);
    s.actors[0].utility(&s.issues, &all_yes).total_cmp(&s.reservation_value(0))
}

/// Every pair of saliences on a grid: the verdict is the exact one, and
/// both rounding directions (and exact float ties) occur among the cases.
#[test]
fn ties_with_the_reservation_are_decided_exactly_in_both_rounding_directions() {
    let mut seen = [0usize; 3];
    for b in (7..500).step_by(17) {
        for c in (3..500).step_by(19) {
            // Party: "everything changes" is no gain to a, so no deal.
            let s = scenario(b, c, false);
            let dir = rounding(&s);
            seen[match dir {
                std::cmp::Ordering::Less => 0,
                std::cmp::Ordering::Equal => 1,
                std::cmp::Ordering::Greater => 2,
            }] += 1;
            let analysis = analyze(&s, &Config::new()).unwrap();
            assert!(!analysis.deal_exists, "b={b} c={c} ({dir:?}): a tie counted as a gain");
            assert_eq!(analysis.agreement_set_size, Some(0));
            // Negotiation sees the same utilities: a's utility of the outcome
            // is exactly its reservation.
            let domain = Domain::new(&s, &DomainConfig::default()).unwrap();
            let pa = domain.preferences(0);
            assert_eq!(pa.utilities[7], pa.reservation, "b={b} c={c}");
            // Ratifier: "everything changes" leaves a no worse off, so it is
            // the one deal.
            let s = scenario(b, c, true);
            let analysis = analyze(&s, &Config::new()).unwrap();
            assert!(analysis.deal_exists, "b={b} c={c} ({dir:?}): a tie counted as a loss");
            assert_eq!(analysis.agreement_set_size, Some(1), "b={b} c={c}");
        }
    }
    assert!(seen[0] > 0 && seen[2] > 0, "both rounding directions must be exercised: {seen:?}");
}
