//! One line of meaning for every term and number the text outputs print,
//! so an analyst can read them without the docs (`detente analyze
//! --explain`). `docs/glossary.md` lists the same entries; a test keeps the
//! two in step.

/// `(term, meaning)`, in the order a reader meets them.
pub const GLOSSARY: &[(&str, &str)] = &[
    ("outcome", "one value for every issue: a possible deal"),
    ("status quo", "the outcome if nothing is agreed; outcomes are shown as their changes from it"),
    (
        "reservation",
        "the utility an actor gets with no agreement; a party accepts only more, a ratifier or veto holder no less",
    ),
    ("utility", "how much an actor likes an outcome, from 0 (worst) to 1 (best), by its saliences and positions"),
    (
        "agreement set",
        "the outcomes no constraint forbids that every party prefers to no agreement and no required ratifier or veto holder finds worse",
    ),
    (
        "opposition",
        "the distance from the point where every party gets its best to the nearest outcome, scaled to 0–1: 0 when one outcome is best for all, larger the further apart the parties' best outcomes lie",
    ),
    (
        "blocker",
        "a smallest set of changes (a constraint dropped, a reservation lowered, a ratifier or veto removed) that makes the agreement set non-empty",
    ),
    ("opens N outcomes", "how many outcomes a blocker's changes bring into the agreement set"),
    (
        "Pareto frontier",
        "the outcomes no other outcome beats for one party without being worse for another",
    ),
    ("Nash", "the Nash bargaining solution: the outcome that maximises the product of the parties' gains over their reservations"),
    (
        "Kalai–Smorodinsky",
        "the outcome where every party gets the same share of its largest possible gain",
    ),
    ("egalitarian", "the outcome where the smallest gain over the reservations is largest"),
    ("utilitarian", "the outcome with the largest sum of the parties' utilities"),
    (
        "binding constraint",
        "a constraint that alone excludes outcomes every required actor would accept",
    ),
    (
        "perceived deal space",
        "the agreement set as one actor believes it to be, from its beliefs about the others",
    ),
    (
        "false hope",
        "outcomes an actor believes acceptable that are not, grouped by what really stands in the way",
    ),
    ("ties", "a utility equal to a reservation is decided exactly: no gain for a party, no loss for a ratifier"),
    (
        "staged plan",
        "the issues negotiated in ordered phases, each carried out before the next; a later phase that fails leaves its issues at the status quo",
    ),
    ("commitment", "the probability that a promise about a later phase of a plan is honoured"),
    ("event", "something that happens at a known moment of the talks (an election) and changes the scenario from then on"),
    ("deadline", "the event at which a party walks away if nothing is agreed by then"),
    ("type", "one kind an actor may be, with a prior probability; the actor is exactly one of its types, nobody knows which"),
    ("robust agreement set", "the outcomes accepted whatever the actors' types are (under every combination of types with positive probability)"),
    ("pressure", "a cost a third party makes another actor pay on some outcomes (sanctions), short of a veto"),
    (
        "statement",
        "what a party says in public during the talks: a commitment (we will not accept X), an assurance (we will not demand Y) or a signal; its listeners react",
    ),
    ("audience cost", "what breaking its own public pledge costs the speaker at home, taken from its utility of every outcome that breaks it"),
    ("as X sees it", "the deal space by X's beliefs about the others: outcomes X thinks every required actor accepts"),
    (
        "posterior",
        "in simulated talks, the probability a Bayesian party gives each hypothesis about another party's utility, updated from its offers and replies",
    ),
];

/// The meanings of `terms` (those in the glossary), one line each.
pub fn explain(terms: &[&str]) -> String {
    let mut out = String::from("What the words and numbers mean:\n");
    for (term, meaning) in GLOSSARY.iter().filter(|(t, _)| terms.contains(t)) {
        out.push_str(&format!("  {term}: {meaning}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/glossary.md has one row per entry, word for word.
    #[test]
    fn the_docs_list_the_same_entries() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/glossary.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let rows: Vec<&str> = doc.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| term")).collect();
        assert_eq!(rows.len(), GLOSSARY.len(), "docs/glossary.md");
        for ((term, meaning), row) in GLOSSARY.iter().zip(rows) {
            assert_eq!(row, format!("| {term} | {meaning} |"));
        }
    }

    #[test]
    fn explains_only_what_is_asked() {
        let text = explain(&["Nash", "ties"]);
        assert!(text.contains("  Nash: ") && text.contains("  ties: "));
        assert!(!text.contains("egalitarian"));
    }
}
