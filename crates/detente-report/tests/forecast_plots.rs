//! The forecast plots read back as XML, for hand-made forecasts: every
//! actor's line and the forecast's at the pixels the documented geometry
//! gives, the legend, histogram bars of a known sample with their heights,
//! and tornado rows in order of swing.

use detente::forecast::input::ForecastInput;
use detente::forecast::issues::{IssueForecast, ModelRun};
use detente::forecast::montecarlo::{summarise, MonteCarlo, Target, TornadoBar};
use detente::forecast::runner::Run;
use detente::forecast::{Round, Termination};
use detente::scenario::Scenario;
use detente_report::plot::distribution::{self, histogram, Histogram};
use detente_report::plot::trajectory::{self, SINGLE_PANEL, X_LABEL_AREA};
use detente_report::plot::{tornado, TITLE_HEIGHT};
use roxmltree::{Document, Node};

const SCENARIO: &str = r#"
format = 1
name = "Hand-made forecast"
[[issues]]
id = "tariff"
kind = "continuous"
min = 0
max = 10
[[actors]]
id = "a"
stances.tariff = { position = 0, salience = 0.5 }
[[actors]]
id = "b"
stances.tariff = { position = 10, salience = 0.5 }
[[actors]]
id = "c"
stances.tariff = { position = 4, salience = 0.5 }
"#;

fn scenario() -> Scenario {
    let l = detente::load_str("hand.toml", SCENARIO, detente::TextFormat::Toml);
    l.scenario.unwrap_or_else(|| panic!("{:?}", l.diagnostics))
}

/// Three rounds: a 0 → 5 → 5, b 10 → 10 → 5, c stays at 4; forecast 4, 5, 5.
fn forecasts(s: &Scenario, mc: Option<MonteCarlo>) -> Vec<IssueForecast> {
    let input: ForecastInput = ForecastInput::from_scenario(s, &[0], None).input.unwrap();
    let rounds = vec![
        Round::new(0, 1, vec![0.0, 10.0, 4.0], vec![4.0]),
        Round::new(1, 1, vec![5.0, 10.0, 4.0], vec![5.0]),
        Round::new(2, 1, vec![5.0, 5.0, 4.0], vec![5.0]),
    ];
    let run = Run { model: "eum-replication", rounds, termination: Termination::MaxRounds };
    let runs = vec![ModelRun { model: "eum-replication", iterates: true, result: Ok(run), monte_carlo: mc }];
    vec![IssueForecast { issue: 0, input: Some(input), diagnostics: Vec::new(), runs }]
}

/// plotters' mapping of `v` on `[lo, hi]` to pixels `[p0, p1)`.
fn map(v: f64, (lo, hi): (f64, f64), (p0, p1): (i32, i32)) -> i32 {
    p0 + ((p1 - 1 - p0) as f64 * (v - lo) / (hi - lo) + 1e-3).floor() as i32
}

/// The plotting area of the single panel: x from `y_area`, y below the title.
fn area(y_area: i32) -> ((i32, i32), (i32, i32)) {
    let x = (trajectory::MARGIN_LEFT + y_area, SINGLE_PANEL.0 - trajectory::MARGIN_RIGHT);
    let y = (
        TITLE_HEIGHT + trajectory::MARGIN_TOP,
        TITLE_HEIGHT + SINGLE_PANEL.1 - trajectory::MARGIN_BOTTOM - X_LABEL_AREA,
    );
    (x, y)
}

fn pixel(x: f64, y: f64, xr: (f64, f64), yr: (f64, f64), y_area: i32) -> (i32, i32) {
    let (ax, ay) = area(y_area);
    // Upwards: the top of the range at the top pixel.
    (map(x, xr, ax), ay.1 - 1 - (map(y, yr, ay) - ay.0))
}

fn points(n: &Node) -> Vec<(i32, i32)> {
    n.attribute("points")
        .unwrap_or("")
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

fn polylines<'a>(doc: &'a Document, width: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants().filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some(width)).collect()
}

fn texts(doc: &Document) -> Vec<String> {
    doc.descendants().filter(|n| n.has_tag_name("text")).map(|n| n.text().unwrap_or("").trim().to_string()).collect()
}

#[test]
fn trajectories_put_every_actor_and_the_forecast_where_the_axes_say() {
    let s = scenario();
    let fig = trajectory::trajectories(&s, &forecasts(&s, None), "eum-replication").unwrap();
    assert_eq!(
        (fig.width, fig.height),
        ((SINGLE_PANEL.0 + trajectory::LEGEND_WIDTH) as u32, (TITLE_HEIGHT + SINGLE_PANEL.1) as u32)
    );
    let doc = Document::parse(&fig.svg).unwrap();
    let y_area = trajectory::y_label_area(&[]);
    assert_eq!(y_area, 60);
    // Rounds on [−0.3, 2.3], positions on the scale padded by 6%.
    let (xr, yr) = ((-0.3, 2.3), (-0.6, 10.6));
    let at = |x: f64, y: f64| pixel(x, y, xr, yr, y_area);
    // Actors: one line each (plus a legend sample of 2 points), in the
    // series colours, dashed and dotted by their place, dodged 3 px apart.
    let actors = [
        ("#E69F00", None, [0.0, 5.0, 5.0], -3),
        ("#56B4E9", Some("7 4"), [10.0, 10.0, 5.0], 0),
        ("#009E73", Some("2 3"), [4.0, 4.0, 4.0], 3),
    ];
    let lines = polylines(&doc, "2");
    for (colour, dash, ys, dodge) in actors {
        let mine: Vec<&Node> = lines.iter().filter(|n| n.attribute("stroke") == Some(colour)).collect();
        let data: Vec<&&Node> = mine.iter().filter(|n| points(n).len() == 3).collect();
        assert_eq!(data.len(), 1, "{colour}: one line through three rounds");
        assert_eq!(data[0].attribute("stroke-dasharray"), dash, "{colour}");
        let expected: Vec<(i32, i32)> =
            ys.iter().enumerate().map(|(r, &y)| at(r as f64, y)).map(|(x, y)| (x, y + dodge)).collect();
        assert_eq!(points(data[0]), expected, "{colour}");
        assert_eq!(mine.len(), 2, "{colour}: the line and its legend sample");
    }
    // The forecast: thick, black, never dodged.
    let forecast: Vec<Node> =
        polylines(&doc, "5").into_iter().filter(|n| n.attribute("stroke") == Some("#222222")).collect();
    assert_eq!(points(&forecast[0]), vec![at(0.0, 4.0), at(1.0, 5.0), at(2.0, 5.0)]);
    // Legend, axis titles, the panel's caption, and a description.
    let t = texts(&doc);
    // (The legend wraps the forecast's label.)
    for label in ["a", "b", "c", "forecast", "(eum-replication)", "round", "position", "tariff"] {
        assert!(t.iter().any(|x| x == label), "{label} in {t:?}");
    }
    assert!(fig.svg.contains("<title>Forecast by round: eum-replication</title>"));
    assert!(fig.description.contains("tariff 5"), "{}", fig.description);
    assert!(!fig.svg.contains("href") && !fig.svg.contains("<image"));
}

#[test]
fn histograms_of_known_samples() {
    // n = 10: ⌈2 · 10^⅓⌉ = 5 bins of 0.6 over [0, 3].
    let sample = [0.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0];
    let h = histogram(&sample, 10.0).unwrap();
    assert_eq!(h.counts, vec![1, 2, 0, 3, 4]);
    assert_eq!(h.lo, 0.0);
    assert!((h.width - 0.6).abs() < 1e-12);
    // All equal: one bar 1/50 of the scale wide, centred.
    assert_eq!(histogram(&[7.0; 4], 10.0), Some(Histogram { lo: 6.9, width: 0.2, counts: vec![4] }));
    assert_eq!(histogram(&[f64::NAN], 10.0), None);
    // 10,000 runs: at most 40 bins.
    let many: Vec<f64> = (0..10_000).map(|k| k as f64).collect();
    assert_eq!(histogram(&many, 1.0).unwrap().counts.len(), 40);
}

fn study(sample: &[f64], tornado: Vec<TornadoBar>) -> MonteCarlo {
    MonteCarlo { base: vec![2.0], forecasts: sample.to_vec(), summaries: vec![summarise(sample.to_vec())], tornado }
}

fn bar(actor: usize, target: Target, forecasts: (f64, f64)) -> TornadoBar {
    TornadoBar { actor, target, dimension: 0, values: (0.0, 1.0), forecasts, swing: (forecasts.1 - forecasts.0).abs() }
}

#[test]
fn distribution_bars_have_the_counts_as_heights() {
    let s = scenario();
    let sample = [0.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0];
    let fig =
        distribution::distribution(&s, &forecasts(&s, Some(study(&sample, Vec::new()))), "eum-replication").unwrap();
    let doc = Document::parse(&fig.svg).unwrap();
    let bars: Vec<Node> =
        doc.descendants().filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#8FA8BF")).collect();
    // Four non-empty bins (and the legend's sample cell).
    let num = |n: &Node, a: &str| n.attribute(a).unwrap().parse::<i32>().unwrap();
    let in_panel: Vec<&Node> = bars.iter().filter(|n| num(n, "x") < SINGLE_PANEL.0).collect();
    assert_eq!(in_panel.len(), 4);
    // Axes: the bins and marks [0, 3] padded by 4%; counts up to 1.1 × 4.
    let hi = 0.6 * 5.0;
    let pad = (hi - 0.0) * distribution::PAD;
    let xr = (-pad, hi + pad);
    let yr = (0.0, 4.4);
    let at = |x: f64, y: f64| pixel(x, y, xr, yr, distribution::Y_LABEL_AREA);
    for (bin, count) in [(0, 1), (1, 2), (3, 3), (4, 4)] {
        let left = bin as f64 * 0.6;
        let (x0, y0) = at(left, count as f64);
        let (x1, y1) = at(left + 0.6, 0.0);
        let found = in_panel.iter().find(|n| num(n, "x") == x0).unwrap_or_else(|| panic!("bar at x {x0}"));
        assert_eq!(num(found, "y"), y0, "top of bin {bin}");
        assert_eq!(num(found, "height"), y1 - y0, "height of bin {bin}");
        assert_eq!(num(found, "width"), x1 - x0, "width of bin {bin}");
    }
    // Mean 20/10 = 2 (solid), median 2 (dashed), 80% band from 0.9 to 3.
    let line = |colour: &str| {
        doc.descendants()
            .find(|n| {
                n.has_tag_name("polyline")
                    && n.attribute("stroke") == Some(colour)
                    && n.attribute("stroke-width") == Some("3")
                    && points(n)[0].0 < SINGLE_PANEL.0
            })
            .map(|n| points(&n)[0].0)
    };
    assert_eq!(line("#D55E00"), Some(at(2.0, 0.0).0));
    assert_eq!(line("#0072B2"), Some(at(2.0, 0.0).0));
    let band = doc
        .descendants()
        .find(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#E8EDF2"))
        .expect("the 80% band");
    assert_eq!(band.attribute("x").unwrap().parse::<i32>().unwrap(), at(0.9, 0.0).0);
    let t = texts(&doc);
    for label in ["mean", "median", "runs per bin (10 runs)", "forecast on the stated", "inputs"] {
        assert!(t.iter().any(|x| x == label), "{label} in {t:?}");
    }
}

#[test]
fn tornado_rows_are_sorted_by_swing() {
    let s = scenario();
    let bars = vec![
        bar(0, Target::Capability, (1.75, 2.25)),
        bar(1, Target::Salience, (1.0, 3.0)),
        bar(2, Target::Position, (2.5, 1.5)),
        bar(2, Target::Salience, (2.0, 2.0)),
    ];
    let fig = tornado::tornado(&s, &forecasts(&s, Some(study(&[2.0, 2.0], bars))), "eum-replication").unwrap();
    let doc = Document::parse(&fig.svg).unwrap();
    let labels: Vec<(String, i32)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| {
            let t = n.text()?.trim().to_string();
            (t.ends_with("salience") || t.ends_with("position") || t.ends_with("capability"))
                .then(|| (t, n.attribute("y").unwrap().parse::<f64>().unwrap() as i32))
        })
        .collect();
    let names: Vec<&str> = labels.iter().map(|(t, _)| t.as_str()).collect();
    // Largest swing on top; the zero swing is left out.
    assert_eq!(names, ["b salience", "c position", "a capability"]);
    assert!(labels.windows(2).all(|w| w[0].1 < w[1].1));
    // Each row: a filled low bar and an outlined high bar from the base (2).
    let filled = doc.descendants().filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#0072B2")).count();
    let outlined =
        doc.descendants().filter(|n| n.has_tag_name("rect") && n.attribute("stroke") == Some("#D55E00")).count();
    assert_eq!((filled, outlined), (3 + 1, 3 + 1), "three rows and a legend sample each");
    // Axis: base and bar ends [1, 3] padded by 5%; rows centred at 3, 2, 1.
    let area_x = tornado::label_area(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let xr = (1.0 - 0.1, 3.0 + 0.1);
    let yr = (0.4, 3.6);
    let (x_base, _) = pixel(2.0, 0.0, xr, yr, area_x);
    let (x_lo, y_top) = pixel(1.0, 3.0 + tornado::BAR_HALF, xr, yr, area_x);
    let top = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("rect")
                && n.attribute("fill") == Some("#0072B2")
                && n.attribute("x") == Some(&x_lo.to_string())
        })
        .expect("b's low bar from 1 to the base");
    assert_eq!(top.attribute("y").unwrap().parse::<i32>().unwrap(), y_top);
    assert_eq!(top.attribute("width").unwrap().parse::<i32>().unwrap(), x_base - x_lo);
}
