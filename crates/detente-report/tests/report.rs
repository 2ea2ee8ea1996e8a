//! The report: self-contained HTML (no external reference of any kind),
//! the same content as Markdown, footnotes for every source note, blockers
//! in plain language, and a size that stays small for a 10^6-outcome space.

use std::path::PathBuf;

use detente::analysis::{analyze, Analysis, Config};
use detente::scenario::Scenario;
use detente_report::plot::plane::density_config;
use detente_report::report::{self, Block, Inline, Report};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load_file(rel: &str) -> Scenario {
    let l = detente::load_file(&repo().join(rel)).unwrap();
    l.scenario.unwrap_or_else(|| panic!("{rel}: {:?}", l.diagnostics))
}

fn load(text: &str) -> Scenario {
    let l = detente::load_str("gen.toml", text, detente::TextFormat::Toml);
    l.scenario.unwrap_or_else(|| panic!("{:?}", l.diagnostics))
}

fn analyse(s: &Scenario) -> Analysis {
    let mut c = Config::new();
    c.density = Some(density_config(s.parties().len()));
    analyze(s, &c).unwrap()
}

/// Every source note of a scenario.
fn source_notes(s: &Scenario) -> Vec<String> {
    let mut v: Vec<Option<String>> = vec![s.source.clone()];
    v.extend(s.issues.iter().map(|i| i.source.clone()));
    v.extend(s.actors.iter().map(|a| a.source.clone()));
    v.extend(s.actors.iter().flat_map(|a| a.stances.iter().map(|st| st.source.clone())));
    v.extend(s.constraints.iter().map(|c| c.source.clone()));
    v.extend(s.beliefs.iter().map(|b| b.source.clone()));
    v.extend(s.types.iter().map(|t| t.source.clone()));
    v.extend(s.pressures.iter().map(|p| p.source.clone()));
    v.extend(s.statements.iter().map(|st| st.source.clone()));
    let mut notes: Vec<String> =
        v.into_iter().flatten().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect();
    notes.sort();
    notes.dedup();
    notes
}

/// Everything an HTML file could load from elsewhere.
fn assert_self_contained(html: &str) {
    for bad in
        ["http:", "https:", "//", "src=", "@import", "<script", "<link", "url(", "<iframe", "<object", "<embed", "<img"]
    {
        // `//` would be a protocol-relative address; none is needed.
        let hits: Vec<&str> =
            html.match_indices(bad).map(|(k, _)| &html[k.saturating_sub(40)..(k + 40).min(html.len())]).collect();
        assert!(hits.is_empty(), "{bad:?} in the report: {hits:?}");
    }
    // Links only to anchors of the same page, and every anchor exists.
    for (k, _) in html.match_indices("href=\"") {
        let target = &html[k + 6..k + 6 + html[k + 6..].find('"').unwrap()];
        assert!(target.starts_with('#'), "link to {target}");
        assert!(html.contains(&format!("id=\"{}\"", &target[1..])), "no anchor {target}");
    }
}

fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg ").map(|(k, _)| &html[k..k + html[k..].find("</svg>").unwrap() + 6]).collect()
}

#[test]
fn kuril_report_is_self_contained_and_complete() {
    let s = load_file("scenarios/kuril-2019.toml");
    let a = analyse(&s);
    let r = report::build(&s, &a);
    let html = report::html::render(&r);
    assert_self_contained(&html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"));

    // One inline SVG per figure, each well-formed, sized, with a title.
    let figs = svgs(&html);
    assert_eq!(figs.len(), r.figures.len());
    // The utility plane, the forecasts' trajectories, distribution and
    // tornado, then the Linear talks on the utility plane.
    let names: Vec<&str> = r.figures.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["utility-plane", "forecast-trajectories", "forecast-distribution", "forecast-tornado", "talks"]);
    for svg in figs {
        let doc = roxmltree::Document::parse(svg).expect("inline SVG is well-formed");
        let root = doc.root_element();
        for dim in ["width", "height"] {
            assert!(root.attribute(dim).and_then(|v| v.parse::<u32>().ok()).is_some_and(|v| v > 0), "{dim}");
        }
        assert!(root.attribute("viewBox").is_some());
        assert!(doc.descendants().any(|n| n.has_tag_name("title")));
    }

    // Every source note is a numbered footnote, cited at least once.
    let notes = source_notes(&s);
    assert_eq!(r.footnotes.len(), notes.len());
    for n in 1..=r.footnotes.len() {
        assert!(html.contains(&format!("<li id=\"fn-{n}\">")), "footnote {n}");
        assert!(html.contains(&format!("href=\"#fn-{n}\"")), "citation of {n}");
    }

    // The verdict and the blockers in plain language, one item per blocker.
    assert!(html.contains("<strong>No agreement exists:</strong> no outcome satisfies every constraint"));
    assert!(html.contains("The smallest changes that open one"));
    let list = r
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::List(true, items) => Some(items),
            _ => None,
        })
        .expect("numbered list of changes");
    assert_eq!(list.len(), a.blockers.len());
    let first = text_of(&list[0]);
    assert!(first.starts_with("Government of Japan (Abe) accepts a deal worth 0.520"), "{first}");
    assert!(first.contains("opens 20 outcomes"), "{first}");

    // Tables of the scenario, perceived deal spaces, sections still to come.
    for heading in
        ["Issues", "Actors", "Stances", "Constraints", "Beliefs", "As Government of Japan (Abe) sees it", "Sources"]
    {
        assert!(html.contains(&format!(">{heading}</h")), "{heading}");
    }
    for issue in &s.issues {
        assert!(html.contains(&format!("<code>{}</code>", issue.id)));
    }
    // Forecasts: a column per issue-by-issue model, the spatial model's
    // joint forecast in a table of its own (all six actors, a row per issue
    // on a line), the two figure sections, and the issues that cannot be
    // forecast named with the reason.
    // Simulated talks: one row per strategy, the tethered talks all fail.
    assert!(html.contains(">Simulated talks</h"));
    assert_eq!(
        html.matches("<td>no agreement</td>").count(),
        3,
        "Boulware, Linear and Conceder all fail when tethered"
    );
    for heading in ["Forecasts", "All issues at once", "Round by round", "How sure"] {
        assert!(html.contains(&format!(">{heading}</h")), "{heading}");
    }
    for model in detente::forecast::registry::MODELS.iter().filter(|m| !m.spatial) {
        assert!(html.contains(&format!("<th scope=\"col\">{}</th>", model.name)), "{}", model.name);
    }
    assert!(html.contains("Not forecast: issue <code>compensation</code> has three or more unordered options"));
    assert!(html.contains("<th scope=\"col\">ktab-smp</th>"));
    assert!(html.contains("lets the 6 actors challenge and bargain on the 9 issues"));
    assert!(html.contains("<td class=\"num\">0.93 (nearest yes)</td>"), "habomai_shikotan in the spatial forecast");
    assert!(html.contains("--monte-carlo 500 --seed 1"));
    assert!(!html.contains("Not in reports yet"));
}

fn text_of(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Code(t) | Inline::Strong(t) => t.clone(),
            Inline::Footnote(n) => format!("[{n}]"),
        })
        .collect()
}

#[test]
fn markdown_has_the_same_content() {
    let s = load_file("scenarios/kuril-2019-untethered.toml");
    let a = analyse(&s);
    let r = report::build(&s, &a);
    let md = report::markdown::render(&r, &|f| format!("kuril-{}.svg", f.name));
    assert!(md.starts_with("# Kuril Islands"));
    assert!(md.contains(
        "![Deal space: Government of Japan (Abe) and Government of Russia (Putin)](kuril-utility-plane.svg)"
    ));
    assert!(md.contains("**Agreement set:** 18 outcomes"));
    assert!(md.contains("| solution | japan | russia | outcome |\n| --- | ---: | ---: | --- |"));
    // Every footnote is defined once and cited.
    for n in 1..=r.footnotes.len() {
        assert_eq!(md.matches(&format!("[^{n}]: ")).count(), 1, "definition of {n}");
        assert!(md.matches(&format!("[^{n}]")).count() >= 2, "citation of {n}");
    }
    // Every table row has as many cells as its header.
    for block in &r.blocks {
        if let Block::Table(t) = block {
            assert!(t.rows.iter().all(|row| row.len() == t.header.len()), "{:?}", t.header);
        }
    }
    // Headings appear in both renderings, in the same order.
    let html = report::html::render(&r);
    let mut at = 0;
    for block in &r.blocks {
        if let Block::Heading(_, title, _) = block {
            let escaped = title.replace('&', "&amp;");
            let k = html[at..].find(&format!(">{escaped}</h")).unwrap_or_else(|| panic!("{title}"));
            at += k;
            assert!(md.contains(&format!(" {title}\n")), "{title}");
        }
    }
}

#[test]
fn a_deal_gets_its_solutions_and_frontier() {
    let s = load(
        r#"
format = 1
name = "Split"
[[issues]]
id = "share"
kind = "integer"
min = 0
max = 10
[[actors]]
id = "a"
reservation = 0.25
stances.share = { position = 10, salience = 1 }
[[actors]]
id = "b"
reservation = 0.25
stances.share = { position = 0, salience = 1 }
"#,
    );
    let a = analyse(&s);
    let r: Report = report::build(&s, &a);
    let html = report::html::render(&r);
    assert_self_contained(&html);
    assert!(html.contains("<strong>A deal exists:</strong> "));
    assert!(html.contains(
        "<td>Nash</td><td class=\"num\">0.500</td><td class=\"num\">0.500</td><td><code>share = 5</code></td>"
    ));
    assert!(html.contains(">Pareto frontier of the agreement set</h3>"));
    // No source notes: no Sources section.
    assert!(r.footnotes.is_empty() && !html.contains("id=\"sources\""));
}

/// A generated scenario with 10^6 outcomes: 6 issues of 10 values, two
/// opposed parties, a third party and a constraint.
fn million() -> Scenario {
    let mut t = String::from("format = 1\nname = \"A million outcomes\"\n");
    for i in 0..6 {
        t += &format!(
            "[[issues]]\nid = \"i{i}\"\nkind = \"integer\"\nmin = 0\nmax = 9\nsource = \"generated issue {i}\"\n"
        );
    }
    for (a, role, base) in [("a", "party", 0), ("b", "party", 9), ("c", "third-party", 4)] {
        t += &format!("[[actors]]\nid = \"{a}\"\nrole = \"{role}\"\nreservation = 0.35\n");
        for i in 0..6 {
            let pos = (base + i * 3) % 10;
            t += &format!("stances.i{i} = {{ position = {pos}, salience = 0.{} }}\n", 9 - i);
        }
    }
    t += "[[constraints]]\nlabel = \"cap\"\nowner = \"a\"\nrule = \"i0 >= 8 -> i1 <= 5\"\n";
    load(&t)
}

#[test]
fn a_million_outcomes_stay_under_5_mb() {
    let s = million();
    let a = analyse(&s);
    assert_eq!(a.outcome_count, 1_000_000);
    let d = a.density.as_ref().expect("density");
    assert!(d.points.is_none(), "a million outcomes are binned, not listed");
    let r = report::build(&s, &a);
    let html = report::html::render(&r);
    assert_self_contained(&html);
    let md = report::markdown::render(&r, &|f| format!("m-{}.svg", f.name));
    let svg: usize = r.figures.iter().map(|f| f.svg.len()).sum();
    eprintln!(
        "10^6 outcomes: HTML {} bytes, Markdown {} bytes + SVG {} bytes; frontier {} points",
        html.len(),
        md.len(),
        svg,
        a.pareto_all.len()
    );
    assert!(html.len() < 5_000_000, "HTML is {} bytes", html.len());
    assert!(md.len() + svg < 5_000_000, "Markdown and SVG are {} bytes", md.len() + svg);
}
