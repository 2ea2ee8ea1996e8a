//! `detente robustness` output: a summary in words for an analyst and the
//! `detente.robustness/1` JSON document (docs/robustness.md).

use detente::robustness::{Judgement, PrimBox, Robustness};
use detente::Scenario;
use serde_json::{json, Value};

use crate::text::fmt_num;

/// The JSON document's schema name.
pub const SCHEMA: &str = "detente.robustness/1";

/// One condition of a box: the judgement and its bounds inside the box (the
/// judgement's range end where the box leaves that side open).
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// Index of the judgement.
    pub judgement: usize,
    /// Lower bound, and whether the box sets it.
    pub low: (f64, bool),
    /// Upper bound, and whether the box sets it.
    pub high: (f64, bool),
}

/// The conditions a box sets, in judgement order.
pub fn conditions(judgements: &[Judgement], b: &PrimBox) -> Vec<Condition> {
    (0..judgements.len())
        .filter(|&k| b.restricted[k])
        .map(|k| {
            let j = &judgements[k];
            let (lo, hi) = b.limits[k];
            // PRIM's initial box is the data's bounding box: a side it did
            // not move is open.
            let lo_set = lo != b.initial[k].0;
            let hi_set = hi != b.initial[k].1;
            Condition {
                judgement: k,
                low: if lo_set { (lo, true) } else { (j.low, false) },
                high: if hi_set { (hi, true) } else { (j.high, false) },
            }
        })
        .collect()
}

fn pct(x: f64) -> String {
    let p = 100.0 * x;
    if p > 0.0 && p < 1.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

fn condition_text(judgements: &[Judgement], c: &Condition) -> String {
    let path = &judgements[c.judgement].path;
    match (c.low.1, c.high.1) {
        (true, true) => format!("{path} between {} and {}", fmt_num(c.low.0), fmt_num(c.high.0)),
        (true, false) => format!("{path} ≥ {}", fmt_num(c.low.0)),
        (false, true) => format!("{path} ≤ {}", fmt_num(c.high.0)),
        (false, false) => format!("{path} anywhere in its range"),
    }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// One sentence on how firmly the verdict holds, for the verdict of
/// `detente analyze` and the report: the share of the judgement space where
/// a deal exists, and the judgements that flip the verdict alone.
pub fn firmness_sentence(r: &Robustness) -> String {
    let js = &r.judgements;
    let (lo, hi) = r.deal_share_interval;
    let holds = if r.file_verdict { r.deal_share } else { 1.0 - r.deal_share };
    let mut t = format!(
        "How firmly: over the ranges of the file's {} uncertain judgements, a deal exists in {} of the judgement space (95% interval {} to {}), so the verdict holds in {} of it;",
        js.len(),
        pct(r.deal_share),
        pct(lo),
        pct(hi),
        pct(holds)
    );
    let flips: Vec<String> = js
        .iter()
        .zip(&r.breakpoints)
        .filter_map(|(j, b)| {
            b.as_ref().map(|b| {
                let side = if b.above { "rising to" } else { "falling to" };
                format!("{} ({side} {}, from {})", j.path, fmt_num(b.value), fmt_num(j.file_value))
            })
        })
        .collect();
    if flips.is_empty() {
        t.push_str(" no single judgement flips it within its range.");
    } else {
        t.push_str(&format!(
            " {} alone {} it.",
            and_list(&flips),
            if flips.len() == 1 { "flips" } else { "would each flip" }
        ));
    }
    t
}

/// The PRIM boxes in words, one line each.
pub fn boxes_text(r: &Robustness) -> Vec<String> {
    let js = &r.judgements;
    r.boxes
        .iter()
        .map(|b| {
            let conds: Vec<String> = conditions(js, b).iter().map(|c| condition_text(js, c)).collect();
            let region = if conds.is_empty() {
                "anywhere in the ranges".to_string()
            } else {
                format!("with {}", and_list(&conds))
            };
            format!(
                "A deal exists in {} of draws {region}; these hold {} of all deal draws ({} of the judgement space).",
                pct(b.density),
                pct(b.coverage),
                pct(b.mass)
            )
        })
        .collect()
}

/// The summary for an analyst: the verdict and its share first, then what
/// could flip it, then the indices and boxes with their meaning.
pub fn to_text(scenario: &Scenario, r: &Robustness) -> String {
    let js = &r.judgements;
    let mut out = String::new();
    let verdict = |deal: bool| if deal { "a deal exists" } else { "no deal exists" };
    out += &format!("Robustness of \"{}\" to {} uncertain judgements\n\n", scenario.name, js.len());
    out += &format!("With the file's values, {}.\n", verdict(r.file_verdict));
    let (lo, hi) = r.deal_share_interval;
    out += &format!(
        "Over the judgements' ranges, a deal exists in {} of the judgement space (95% Wilson interval {} to {}, from {} of {} sampled points).\n",
        pct(r.deal_share),
        pct(lo),
        pct(hi),
        r.base_deals,
        2 * r.samples
    );
    let same = if r.file_verdict { r.deal_share } else { 1.0 - r.deal_share };
    out += &format!("The file's verdict holds in {} of it.\n\n", pct(same));

    out += "Judgements that flip the verdict on their own (the others at the file's values):\n";
    let mut never = Vec::new();
    let mut any = false;
    for (j, b) in js.iter().zip(&r.breakpoints) {
        match b {
            Some(b) => {
                any = true;
                let side = if b.above { "rises to" } else { "falls to" };
                out += &format!(
                    "  {}: {} when it {side} {} (file value {}, range {} to {})\n",
                    j.path,
                    verdict(!r.file_verdict),
                    fmt_num(b.value),
                    fmt_num(j.file_value),
                    fmt_num(j.low),
                    fmt_num(j.high)
                );
            }
            None => never.push(j.path.clone()),
        }
    }
    if !any {
        out += "  none\n";
    }
    // A long list of names says less than its count: the table below
    // names every judgement with its indices.
    if never.len() > 8 {
        out += &format!(
            "The other {} judgements never flip it alone (the table below lists every judgement).\n",
            never.len()
        );
    } else if !never.is_empty() {
        out += &format!("Never flip it alone: {}.\n", never.join(", "));
    }
    out += "\n";

    match &r.indices {
        None => {
            out += &format!(
                "Sobol indices: undefined, because every one of the {} samples gives the same verdict.\n",
                r.evaluations()
            );
        }
        Some(ix) => {
            out += "What the verdict depends on (Sobol indices over all samples; first order: the judgement alone; total: with its interactions; near 0: irrelevant):\n";
            let width = crate::text::column_width(js.iter().map(|j| j.path.chars().count()).max().unwrap_or(0).max(9));
            out += &format!("  {:<width$}  {:>6}  {:>6}\n", "judgement", "first", "total");
            let mut order: Vec<usize> = (0..js.len()).collect();
            order.sort_by(|&a, &b| ix[b].total.total_cmp(&ix[a].total).then(a.cmp(&b)));
            for k in order {
                out += &format!("  {:<width$}  {:>6.3}  {:>6.3}\n", js[k].path, ix[k].first, ix[k].total);
            }
        }
    }
    out += "\n";

    if r.boxes.is_empty() {
        out += if r.base_deals == 0 {
            "Where deals are: nowhere in the sampled ranges.\n"
        } else {
            "Where deals are: PRIM found no region where at least 80% of draws give a deal.\n"
        };
    } else {
        out += "Where deals are (PRIM boxes):\n";
        for (k, line) in boxes_text(r).iter().enumerate() {
            out += &format!("  {}. {line}\n", k + 1);
        }
    }
    let scanned = match r.candidates {
        Some(n) => format!("{n} outcomes allowed by the constraints"),
        None => "every outcome scanned".to_string(),
    };
    out += &format!(
        "\n{} base samples, {} verdicts (Saltelli's scheme on an Owen-scrambled Sobol sequence, seed {}); {scanned}.\n",
        r.samples,
        r.evaluations(),
        r.seed,
    );
    out
}

fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v).map(Value::Number).unwrap_or(Value::Null)
}

/// The study as the `detente.robustness/1` document.
pub fn to_json(scenario: &Scenario, r: &Robustness) -> Value {
    let js = &r.judgements;
    let parameters: Vec<Value> = js
        .iter()
        .enumerate()
        .map(|(k, j)| {
            let ix = r.indices.as_ref().map(|ix| ix[k]);
            let b = r.breakpoints[k];
            json!({
                "param": j.path,
                "low": num(j.low),
                "high": num(j.high),
                "distribution": j.distribution.name(),
                "file_value": num(j.file_value),
                "s1": ix.map_or(Value::Null, |i| num(i.first)),
                "st": ix.map_or(Value::Null, |i| num(i.total)),
                "breakpoint": b.map_or(Value::Null, |b| num(b.value)),
                "breakpoint_side": b.map_or(Value::Null, |b| json!(if b.above { "above" } else { "below" })),
                "source": j.source,
            })
        })
        .collect();
    let boxes: Vec<Value> = r
        .boxes
        .iter()
        .map(|b| {
            let conds: Vec<Value> = conditions(js, b)
                .iter()
                .map(|c| json!({ "param": js[c.judgement].path, "low": num(c.low.0), "high": num(c.high.0) }))
                .collect();
            json!({ "conditions": conds, "coverage": num(b.coverage), "density": num(b.density), "mass": num(b.mass) })
        })
        .collect();
    json!({
        "schema": SCHEMA,
        "scenario": scenario.name,
        "samples": r.samples,
        "evaluations": r.evaluations(),
        "seed": r.seed,
        "file_deal": r.file_verdict,
        "candidates": r.candidates,
        "deal_share": num(r.deal_share),
        "deal_share_interval": [num(r.deal_share_interval.0), num(r.deal_share_interval.1)],
        "deal_share_method": "Wilson 95% score interval over the 2N base points (A and B rows)",
        "base_points": 2 * r.samples,
        "base_deals": r.base_deals,
        "parameters": parameters,
        "boxes": boxes,
    })
}

/// Every sample as CSV: row number, the judgements' values, the verdict
/// (1 deal, 0 none), in Saltelli's layout; for cross-checks with SALib and
/// the EMA Workbench.
pub fn samples_csv(r: &Robustness) -> String {
    let mut out = String::from("row");
    for j in &r.judgements {
        out += &format!(",{}", j.path);
    }
    out += ",deal\n";
    for (row, &deal) in r.verdicts.iter().enumerate() {
        out += &row.to_string();
        for v in detente::robustness::row_values(&r.judgements, row, r.seed) {
            out += &format!(",{v:?}");
        }
        out += if deal { ",1\n" } else { ",0\n" };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente::scenario::{Distribution, Param};

    fn judgement(path: &str, low: f64, high: f64) -> Judgement {
        Judgement {
            param: Param::Reservation(0),
            path: path.into(),
            low,
            high,
            distribution: Distribution::Uniform,
            file_value: low,
            source: None,
        }
    }

    #[test]
    fn box_conditions_read_as_words() {
        // Data spans 0.01–0.99 on both; the box moves x's upper bound, y's
        // lower and upper bounds, and leaves z alone.
        let js = vec![judgement("x", 0.0, 1.0), judgement("y", 0.0, 1.0), judgement("z", 0.0, 1.0)];
        let b = PrimBox {
            limits: vec![(0.01, 0.55), (0.2, 0.6), (0.01, 0.99)],
            restricted: vec![true, true, false],
            initial: vec![(0.01, 0.99); 3],
            coverage: 0.8,
            density: 0.91,
            mass: 0.2,
        };
        let cs = conditions(&js, &b);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0], Condition { judgement: 0, low: (0.0, false), high: (0.55, true) });
        let words: Vec<String> = cs.iter().map(|c| condition_text(&js, c)).collect();
        assert_eq!(and_list(&words), "x ≤ 0.55 and y between 0.2 and 0.6");
        assert_eq!(pct(0.004), "0.4%");
        assert_eq!(pct(0.91), "91%");
    }
}
