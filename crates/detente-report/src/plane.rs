//! The utility plane as data, for plots drawn elsewhere: the workbench page
//! (`detente serve`) draws it in the browser, where hovering, zooming and
//! choosing a pair of parties need the numbers rather than an SVG.
//!
//! The SVG plot (`plot::plane`) and this document read the same fields of
//! the analysis — the density filled with `plot::plane::density_config`,
//! the frontiers, the solutions, the reservations and the status quo — so a
//! page and a report show the same deal space.

use detente::analysis::{Analysis, OutcomeSpace, Resolution};
use detente::Scenario;
use serde_json::{json, Value};

/// The plane of `a` (an analysis of `s` on the grid `resolution`, run with
/// `Config::density` set): the parties, their reservations and status-quo
/// utilities, every outcome's utilities for small spaces (as rows `[number,
/// agreement, u…]`, with the grid in `space` to decode the number into the
/// outcome's values) or the binned counts for large
/// ones, the Pareto frontiers and the solutions. Utilities are lists in the
/// order of `parties`; the per-outcome rows carry them rounded to 10⁻⁶.
pub fn to_json(s: &Scenario, a: &Analysis, resolution: Resolution) -> Value {
    let parties: Vec<&str> = a.parties.iter().map(|&p| s.actors[p].id.as_str()).collect();
    let names: Vec<&str> = a.parties.iter().map(|&p| s.actors[p].name.as_deref().unwrap_or(&s.actors[p].id)).collect();
    let utilities = |outcome: &[detente::scenario::Value]| -> Vec<f64> {
        a.parties.iter().map(|&p| s.actors[p].utility(&s.issues, outcome)).collect()
    };
    let status_quo = s.status_quo.as_ref().map(|sq| utilities(sq));
    let point =
        |p: &detente::analysis::Point| json!({ "u": p.utilities, "changes": crate::text::changes_text(s, &p.outcome) });
    let space = OutcomeSpace::new(s, resolution);
    let (points, density) = match &a.density {
        Some(d) => {
            // Compact rows `[index, agreement (0 or 1), u…]`: a page decodes
            // the outcome from its number with `space` (last issue fastest).
            // Utilities rounded to 10⁻⁶ for drawing (a millionth of the
            // axis), which halves the document; the exact values are in the
            // analysis document's points.
            let points = d.points.as_ref().map(|points| {
                points
                    .iter()
                    .map(|p| {
                        let mut row = vec![json!(p.index), json!(u8::from(p.agreement))];
                        row.extend(p.utilities.iter().map(|&u| json!((u * 1e6).round() / 1e6)));
                        Value::Array(row)
                    })
                    .collect::<Vec<_>>()
            });
            let planes: Vec<Value> = d
                .planes
                .iter()
                .map(|pl| json!({ "x": pl.x, "y": pl.y, "all": pl.all, "agreement": pl.agreement }))
                .collect();
            (points, Some(json!({ "bins": d.bins, "planes": planes, "out_of_range": d.out_of_range })))
        }
        None => (None, None),
    };
    let issues: Vec<Value> = space
        .values
        .iter()
        .enumerate()
        .map(|(i, values)| {
            let shown: Vec<String> = values.iter().map(|v| s.issues[i].domain.display(v)).collect();
            json!({ "id": s.issues[i].id, "values": shown })
        })
        .collect();
    let status_quo_digits: Option<Vec<Option<usize>>> =
        s.status_quo.as_ref().map(|sq| sq.iter().enumerate().map(|(i, v)| space.value_index(i, v)).collect());
    let solution = |p: &Option<detente::analysis::Point>| p.as_ref().map(point);
    json!({
        "parties": parties,
        "names": names,
        "reservations": a.parties.iter().map(|&p| a.reservations[p]).collect::<Vec<_>>(),
        "status_quo": status_quo,
        "space": { "issues": issues, "status_quo": status_quo_digits },
        "points": points,
        "density": density,
        "pareto_all": a.pareto_all.iter().map(point).collect::<Vec<_>>(),
        "pareto": a.pareto.iter().map(point).collect::<Vec<_>>(),
        "solutions": {
            "nash": solution(&a.solutions.nash),
            "kalai_smorodinsky": solution(&a.solutions.kalai_smorodinsky),
            "egalitarian": solution(&a.solutions.egalitarian),
            "utilitarian": solution(&a.solutions.utilitarian),
        },
        "blockers": a.blockers.iter().map(|b| point(&b.opens)).collect::<Vec<_>>(),
    })
}

/// A windowed density (`DensityConfig::window`) as the workbench draws it
/// over a zoomed plane: the window, its bins' counts (row-major, row along
/// `y` from the window's low edge), the outcomes outside it and in all.
pub fn window_json(a: &Analysis) -> Value {
    let Some(d) = &a.density else { return Value::Null };
    let (Some(w), Some(plane)) = (&d.window, d.planes.first()) else { return Value::Null };
    json!({
        "x": w.x,
        "y": w.y,
        "x_range": [w.x_range.0, w.x_range.1],
        "y_range": [w.y_range.0, w.y_range.1],
        "bins": d.bins,
        "all": plane.all,
        "agreement": plane.agreement,
        "outside_window": d.outside_window,
        "outcomes": u64::try_from(a.outcome_count).map_or_else(|_| json!(a.outcome_count.to_string()), |n| json!(n)),
    })
}
