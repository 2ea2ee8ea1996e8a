//! The utility-plane SVG, read back as XML: its structure (title, axis
//! titles, legend, text as `<text>`, no external references) and, for a
//! hand-made two-issue scenario, every outcome, frontier point, solution,
//! reservation line and the status quo at the pixel the documented axis
//! mapping gives.

use detente::analysis::{analyze, Analysis, Config};
use detente::scenario::Scenario;
use detente_report::plot::plane::{
    self, density_config, figure_size, utility_plane, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP,
    PANEL_HEIGHT, PANEL_WIDTH, TITLE_HEIGHT, X_LABEL_AREA, Y_LABEL_AREA,
};
use roxmltree::{Document, Node};

/// Two parties over `share` (0, 1, 2) and `joint` (no, yes), each caring
/// half about each issue; they agree on `joint` and split `share`:
///
/// | share, joint | a    | b    |
/// |--------------|------|------|
/// | 0, no        | 0    | 0.5  |
/// | 0, yes       | 0.5  | 1    |
/// | 1, no (sq)   | 0.25 | 0.25 |
/// | 1, yes       | 0.75 | 0.75 |
/// | 2, no        | 0.5  | 0    |
/// | 2, yes       | 1    | 0.5  |
///
/// With reservations 0.3 the agreement set is the three `yes` outcomes;
/// Nash, Kalai–Smorodinsky and egalitarian pick (0.75, 0.75), utilitarian
/// ties on the sum and takes the lowest outcome number, (0.5, 1).
const HAND: &str = r#"
format = 1
name = "Hand-made plane"
[[issues]]
id = "share"
kind = "integer"
min = 0
max = 2
[[issues]]
id = "joint"
options = ["no", "yes"]
[status_quo]
share = 1
joint = "no"
[[actors]]
id = "a"
reservation = 0.3
stances.share = { position = 2, salience = 0.5 }
stances.joint = { position = "yes", salience = 0.5 }
[[actors]]
id = "b"
reservation = 0.3
stances.share = { position = 0, salience = 0.5 }
stances.joint = { position = "yes", salience = 0.5 }
"#;

const OUTCOMES: [(f64, f64, bool); 6] =
    [(0.0, 0.5, false), (0.5, 1.0, true), (0.25, 0.25, false), (0.75, 0.75, true), (0.5, 0.0, false), (1.0, 0.5, true)];

fn load(text: &str) -> Scenario {
    let l = detente::load_str("hand.toml", text, detente::TextFormat::Toml);
    l.scenario.unwrap_or_else(|| panic!("{:?}", l.diagnostics))
}

fn analyse(s: &Scenario) -> Analysis {
    let mut c = Config::new();
    c.density = Some(density_config(s.parties().len()));
    analyze(s, &c).unwrap()
}

/// The documented mapping: plotting area inside the single panel, axis
/// range [-0.03, 1.03] (data 0..1 padded by 3 %), plotters' floor rule.
fn pixel(u: f64, v: f64) -> (i32, i32) {
    let (x0, x1) = (MARGIN_LEFT + Y_LABEL_AREA, PANEL_WIDTH - MARGIN_RIGHT);
    let (y0, y1) = (TITLE_HEIGHT + MARGIN_TOP, TITLE_HEIGHT + PANEL_HEIGHT - MARGIN_BOTTOM - X_LABEL_AREA);
    let (lo, hi) = (-0.03, 1.03);
    let t = |w: f64| (w - lo) / (hi - lo);
    let px = x0 + ((x1 - 1 - x0) as f64 * t(u) + 1e-3).floor() as i32;
    let py = (y1 - 1) - ((y1 - 1 - y0) as f64 * t(v) + 1e-3).floor() as i32;
    (px, py)
}

fn attr(n: &Node, name: &str) -> String {
    n.attribute(name).unwrap_or("").to_string()
}

fn num(n: &Node, name: &str) -> i32 {
    attr(n, name).parse::<f64>().unwrap_or(f64::NAN) as i32
}

/// `points="x,y x,y "` as pairs.
fn points(n: &Node) -> Vec<(i32, i32)> {
    attr(n, "points")
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

fn elements<'a>(doc: &'a Document, tag: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants().filter(|n| n.has_tag_name(tag)).collect()
}

fn texts(doc: &Document) -> Vec<String> {
    elements(doc, "text").iter().map(|n| n.text().unwrap_or("").trim().to_string()).collect()
}

#[test]
fn hand_made_plane_puts_everything_where_the_axes_say() {
    let s = load(HAND);
    let a = analyse(&s);
    assert_eq!(a.agreement_set_size, Some(3));
    let fig = utility_plane(&s, &a).unwrap();
    let doc = Document::parse(&fig.svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let (w, h) = figure_size(1);
    assert_eq!((num(&root, "width"), num(&root, "height")), (w as i32, h as i32));
    assert_eq!((fig.width, fig.height), (w, h));

    // Every outcome is a dot: grey outside, green inside the agreement set.
    let circles = elements(&doc, "circle");
    let dot_at = |(x, y): (i32, i32), fill: &str| {
        circles.iter().any(|c| num(c, "cx") == x && num(c, "cy") == y && attr(c, "r") == "3" && attr(c, "fill") == fill)
    };
    for (u, v, agreement) in OUTCOMES {
        let at = pixel(u, v);
        assert_eq!(dot_at(at, "#A8A8A8"), !agreement, "grey dot for ({u}, {v}) at {at:?}");
        assert_eq!(dot_at(at, "#009E73"), agreement, "green dot for ({u}, {v}) at {at:?}");
    }

    // The agreement frontier is one thick green polyline through the three
    // agreements, left to right.
    let polylines = elements(&doc, "polyline");
    let in_panel = |p: &&Node| points(p).iter().all(|&(x, _)| x < PANEL_WIDTH);
    let frontier: Vec<&Node> = polylines.iter().filter(|p| attr(p, "stroke") == "#005F45").filter(in_panel).collect();
    assert_eq!(frontier.len(), 1);
    assert_eq!(attr(frontier[0], "stroke-width"), "3");
    assert_eq!(points(frontier[0]), vec![pixel(0.5, 1.0), pixel(0.75, 0.75), pixel(1.0, 0.5)]);

    // Nash: hollow vermilion circle of radius 9 at (0.75, 0.75).
    let nash = pixel(0.75, 0.75);
    assert!(circles
        .iter()
        .any(|c| (num(c, "cx"), num(c, "cy")) == nash && attr(c, "r") == "9" && attr(c, "stroke") == "#D55E00"));
    // Kalai–Smorodinsky: hollow square of half-side 6 around the same point.
    assert!(elements(&doc, "rect").iter().any(|r| attr(r, "stroke") == "#E69F00"
        && (num(r, "x"), num(r, "y")) == (nash.0 - 6, nash.1 - 6)
        && (num(r, "width"), num(r, "height")) == (12, 12)));
    // Egalitarian: a triangle whose apex is 7 px above the point.
    let tri: Vec<&Node> = polylines.iter().filter(|p| attr(p, "stroke") == "#CC79A7").collect();
    assert!(tri.iter().any(|p| points(p).first() == Some(&(nash.0, nash.1 - 7))));
    // Utilitarian: every frontier point has welfare 1.5; the tie goes to
    // the most balanced one (docs/analysis.md), so a filled diamond centred
    // on (0.75, 0.75).
    let util = pixel(0.75, 0.75);
    let diamond = elements(&doc, "polygon").into_iter().find(|p| attr(p, "fill") == "#56B4E9").expect("diamond");
    assert_eq!(
        points(&diamond),
        vec![(util.0, util.1 - 4), (util.0 + 4, util.1), (util.0, util.1 + 4), (util.0 - 4, util.1)]
    );

    // Status quo: a black cross centred on (0.25, 0.25).
    let sq = pixel(0.25, 0.25);
    let cross: Vec<Vec<(i32, i32)>> =
        polylines.iter().filter(|p| attr(p, "stroke") == "#000000").map(|p| points(p)).collect();
    assert!(cross.contains(&vec![(sq.0 - 6, sq.1 - 6), (sq.0 + 6, sq.1 + 6)]));
    assert!(cross.contains(&vec![(sq.0 - 6, sq.1 + 6), (sq.0 + 6, sq.1 - 6)]));

    // Reservation lines: blue dashes, vertical at a = 0.3, horizontal at b = 0.3.
    let (rx, ry) = pixel(0.3, 0.3);
    let dashes: Vec<Vec<(i32, i32)>> =
        polylines.iter().filter(|p| attr(p, "stroke") == "#0072B2").map(|p| points(p)).collect();
    assert!(dashes.iter().filter(|d| d.iter().all(|&(x, _)| x == rx)).count() > 20, "vertical dashes at x = {rx}");
    assert!(dashes.iter().filter(|d| d.iter().all(|&(_, y)| y == ry)).count() > 20, "horizontal dashes at y = {ry}");

    // Text is SVG text: title, axis titles, tick labels, legend.
    let t = texts(&doc);
    for expected in [
        "Deal space: a and b",
        "utility of a",
        "utility of b",
        "0.0",
        "1.0",
        "Nash",
        "Kalai–Smorodinsky",
        "egalitarian",
        "utilitarian",
        "status quo",
        "a 0.300",
        "b 0.300",
    ] {
        assert!(t.iter().any(|x| x == expected), "text {expected:?} in {t:?}");
    }
    assert!(elements(&doc, "text").iter().all(|n| attr(n, "font-family") == "sans-serif"));
    assert_eq!(elements(&doc, "title").len(), 1);
    assert!(elements(&doc, "desc")[0].text().unwrap().contains("3 outcomes are in the agreement set"));
}

#[test]
fn no_images_fonts_or_links() {
    let s = load(HAND);
    let fig = utility_plane(&s, &analyse(&s)).unwrap();
    for bad in ["<image", "href", "@import", "url(", "@font-face", "<script"] {
        assert!(!fig.svg.contains(bad), "{bad}");
    }
    let inline = fig.inline_svg();
    assert!(!inline.contains("http"), "inline SVG needs no namespace URL");
    assert!(inline.starts_with("<svg ") && inline.contains(r#"role="img""#));
}

#[test]
fn more_parties_give_pairwise_panels() {
    let mut text = HAND.to_string();
    text.push_str(
        "[[actors]]\nid = \"c\"\nreservation = 0.1\nstances.share = { position = 1, salience = 0.9 }\nstances.joint = { position = \"no\", salience = 0.1 }\n",
    );
    let s = load(&text);
    let a = analyse(&s);
    assert_eq!(a.parties.len(), 3);
    let fig = utility_plane(&s, &a).unwrap();
    assert_eq!((fig.width, fig.height), figure_size(3));
    let doc = Document::parse(&fig.svg).unwrap();
    let t = texts(&doc);
    // Each party's axis appears in two of the three panels.
    for party in ["a", "b", "c"] {
        assert_eq!(t.iter().filter(|x| *x == &format!("utility of {party}")).count(), 2, "{party}");
    }
    assert!(t.iter().any(|x| x.starts_with("Deal space: pairwise utility planes of 3 parties")));
}

#[test]
fn one_party_has_no_plane() {
    let text = "format = 1\nname = \"solo\"\n[[issues]]\nid = \"i\"\noptions = [\"x\", \"y\"]\n[[actors]]\nid = \"a\"\nstances.i = { position = \"x\", salience = 1 }\n";
    let s = load(text);
    let a = analyse(&s);
    assert_eq!(utility_plane(&s, &a), Err(detente_report::plot::PlotError::TooFewParties));
}

#[test]
fn large_spaces_are_drawn_as_density_cells() {
    // 4 issues of 10 values: 10,000 outcomes, more than MAX_DOTS.
    let mut t = String::from("format = 1\nname = \"grid\"\n");
    for i in 0..4 {
        t += &format!("[[issues]]\nid = \"i{i}\"\nkind = \"integer\"\nmin = 0\nmax = 9\n");
    }
    for (a, pos) in [("a", 0), ("b", 9)] {
        t += &format!("[[actors]]\nid = \"{a}\"\nreservation = 0.4\n");
        for i in 0..4 {
            t += &format!("stances.i{i} = {{ position = {}, salience = 0.{} }}\n", (pos + i) % 10, i + 2);
        }
    }
    let s = load(&t);
    let a = analyse(&s);
    assert!(a.outcome_count > plane::MAX_DOTS as u128);
    let fig = utility_plane(&s, &a).unwrap();
    let doc = Document::parse(&fig.svg).unwrap();
    let cells =
        elements(&doc, "rect").iter().filter(|r| attr(r, "stroke") == "none" && attr(r, "fill") != "#FFFFFF").count();
    let d = a.density.as_ref().unwrap();
    let nonempty =
        d.planes[0].all.iter().filter(|&&c| c > 0).count() + d.planes[0].agreement.iter().filter(|&&c| c > 0).count();
    assert!(cells >= nonempty, "{cells} cells for {nonempty} non-empty bins");
    assert!(
        elements(&doc, "circle").iter().all(|c| attr(c, "r") != "3" || attr(c, "fill") != "#A8A8A8"),
        "no outcome dots"
    );
}

/// Linear against Linear on the hand-made plane: the first party's offers
/// (in its own order) and the agreement land at the documented pixels.
#[test]
fn simulated_talks_are_drawn_where_the_axes_say() {
    use detente::negotiation::alternating::AlternatingOffers;
    use detente::negotiation::domain::{Domain, DomainConfig, Reference};
    use detente::negotiation::evaluate::evaluate;
    use detente::negotiation::{registry, run, Action, Deadline};

    let s = load(HAND);
    let a = analyse(&s);
    let domain = Domain::new(&s, &DomainConfig::default()).unwrap();
    let specs = vec![registry::parse("linear").unwrap(), registry::parse("linear").unwrap()];
    let session =
        run(&AlternatingOffers { deadline: Deadline::rounds(10) }, &domain, &[0, 1], &specs, 1, true).unwrap();
    let reference = Reference::new(&domain, &[0, 1]);
    let evaluation = evaluate(&domain, &reference, &session);
    let labels: Vec<String> = specs.iter().map(ToString::to_string).collect();
    let talks = detente_report::negotiation::Talks {
        scenario: &s,
        domain: &domain,
        protocol: "alternating",
        deadline: Deadline::rounds(10),
        seed: 1,
        strategies: &labels,
        defaulted: &[false, false],
        session: &session,
        evaluation: &evaluation,
    };
    let fig = detente_report::negotiation::plot(&talks, &a).unwrap();
    assert_eq!(fig.name, "talks");
    let doc = Document::parse(&fig.svg).expect("well-formed SVG");
    let u = |k: usize| (domain.preferences(0).utility(k), domain.preferences(1).utility(k));
    // Party a's offers, consecutive repeats merged, as pixels.
    let mut expected: Vec<(i32, i32)> = Vec::new();
    for e in session.trace.iter().filter(|e| e.actor == Some(0)) {
        if let Action::Offer(k) = e.action {
            let (x, y) = u(k);
            let p = pixel(x, y);
            if expected.last() != Some(&p) {
                expected.push(p);
            }
        }
    }
    assert!(expected.len() >= 2, "a concedes at least once: {expected:?}");
    let path = elements(&doc, "polyline").into_iter().find(|p| attr(p, "stroke") == "#332288").expect("a's offer path");
    assert_eq!(points(&path), expected);
    // The first offer has a ring of radius 5 in the path's colour.
    let first = expected[0];
    assert!(elements(&doc, "circle").iter().any(|c| num(c, "cx") == first.0
        && num(c, "cy") == first.1
        && attr(c, "r") == "5"
        && attr(c, "stroke") == "#332288"));
    // The agreement is a star whose top point is 10 px above it.
    let (x, y) = u(session.agreement.expect("they agree"));
    let (ax, ay) = pixel(x, y);
    let star = elements(&doc, "polygon")
        .into_iter()
        .find(|p| points(p).first() == Some(&(ax, ay - 10)))
        .expect("a star at the agreement");
    assert_eq!(points(&star).len(), 10);
    let t = texts(&doc);
    assert!(t.iter().any(|l| l.starts_with("offers of a")), "{t:?}");
    assert!(t.iter().any(|l| l == "agreement reached"), "{t:?}");
}

#[test]
fn the_posterior_is_drawn_where_the_axes_say() {
    use detente::negotiation::{Ending, PosteriorRecord, Session};
    use detente_report::plot::posterior::{posterior, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PANEL};

    let s = load(HAND);
    let record = |round: usize, h1: f64, h3: Option<f64>| PosteriorRecord {
        round,
        holder: 0,
        about: 1,
        hypotheses: match h3 {
            None => vec![("h1".into(), h1), ("h2".into(), 1.0 - h1)],
            Some(p3) => vec![("h1".into(), h1), ("h3".into(), p3), ("h2".into(), 1.0 - h1 - p3)],
        },
    };
    let mut session = Session {
        parties: vec![0, 1],
        agreement: None,
        ending: Ending::Deadline,
        rounds: 3,
        time: 0.75,
        trace: Vec::new(),
        posteriors: vec![record(0, 0.5, None), record(1, 0.75, Some(0.0625)), record(2, 1.0, None)],
    };
    let fig = posterior(&s, &session).unwrap();
    assert_eq!(fig.name, "posterior");
    let doc = Document::parse(&fig.svg).expect("well-formed SVG");
    // Rounds 0 … 2 across [56, 542], probabilities 0 … 1 up [78, 336].
    let (x0, x1) = (MARGIN_LEFT, PANEL.0 - MARGIN_RIGHT);
    let (y0, y1) = (TITLE_HEIGHT + MARGIN_TOP, TITLE_HEIGHT + PANEL.1 - MARGIN_BOTTOM);
    let x = |r: f64| x0 + (r / 2.0 * (x1 - x0) as f64).round() as i32;
    let y = |p: f64| y1 - (p * (y1 - y0) as f64).round() as i32;
    let lines: Vec<Vec<(i32, i32)>> = elements(&doc, "polyline").iter().map(points).collect();
    let h1 = vec![(x(0.0), y(0.5)), (x(1.0), y(0.75)), (x(2.0), y(1.0))];
    let h2 = vec![(x(0.0), y(0.5)), (x(1.0), y(0.1875)), (x(2.0), y(0.0))];
    assert!(lines.contains(&h1), "h1 at {h1:?} in {lines:?}");
    assert!(lines.contains(&h2), "h2 at {h2:?}");
    // h3 was recorded in round 1 only: a dot, no line.
    assert!(elements(&doc, "circle").iter().any(|c| num(c, "cx") == x(1.0) && num(c, "cy") == y(0.0625)));
    let t = texts(&doc);
    assert!(t.iter().any(|l| l.contains("what a believes about b")), "{t:?}");
    assert!(["h1", "h2", "h3"].iter().all(|h| t.iter().any(|l| l == h)), "the legend names them: {t:?}");
    // Nothing to draw without a posterior.
    session.posteriors.clear();
    assert!(posterior(&s, &session).is_err());
}
