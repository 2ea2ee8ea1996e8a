//! The server's API end to end, through the router itself
//! (`tower::ServiceExt::oneshot`): every endpoint, the error paths and the
//! limits, and the generated OpenAPI document.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use detente_server::{router, Library, Limits};
use serde_json::{json, Value};
use tower::ServiceExt;

const KURIL: &str = include_str!("../../../scenarios/kuril-2019.toml");

fn limits() -> Limits {
    Limits { body_bytes: 2 << 20, max_outcomes: 5_000_000, deadline: Duration::from_secs(120), concurrent: 4 }
}

fn app(limits: Limits) -> Router {
    router(Library::bundled(), limits)
}

/// The status, headers and body of one request.
async fn send(app: &Router, method: &str, path: &str, body: Option<Value>) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(path);
    let body = match body {
        Some(v) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(serde_json::to_vec(&v).unwrap())
        }
        None => Body::empty(),
    };
    let response = app.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, headers, bytes.to_vec())
}

async fn send_json(app: &Router, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, headers, bytes) = send(app, method, path, body).await;
    let content_type = headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!(content_type.starts_with("application/json"), "{path}: {status} answered {content_type}");
    (status, serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{path}: not JSON: {e}")))
}

/// `issues` integer issues of `values` values each (`values^issues`
/// outcomes), two parties pulling apart, and a constraint so that the
/// engine must enumerate (the issue-by-issue method does not apply).
fn grid(issues: usize, values: usize) -> String {
    let mut text = String::from("format = 1\nname = \"grid\"\n");
    for i in 0..issues {
        text.push_str(&format!("[[issues]]\nid = \"i{i}\"\nkind = \"integer\"\nmin = 0\nmax = {}\n", values - 1));
    }
    for (id, position) in [("a", values - 1), ("b", 0)] {
        text.push_str(&format!("[[actors]]\nid = \"{id}\"\nreservation = 0.3\n"));
        for i in 0..issues {
            text.push_str(&format!("stances.i{i} = {{ position = {position}, salience = 1 }}\n"));
        }
    }
    text.push_str("[status_quo]\n");
    for i in 0..issues {
        text.push_str(&format!("i{i} = 0\n"));
    }
    text.push_str("[[constraints]]\nowner = \"b\"\nlabel = \"cap\"\nrule = \"i0 <= 1\"\n");
    text
}

#[tokio::test]
async fn health_and_scenarios() {
    let app = app(limits());
    let (status, health) = send_json(&app, "GET", "/api/health", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["slots"], 4);
    assert_eq!(health["free"], 4);

    let (status, list) = send_json(&app, "GET", "/api/scenarios", None).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list["scenarios"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["kuril-2019", "kuril-2019-untethered", "Laptop", "ItexvsCypress", "EnglandZimbabwe", "Grocery", "Camera"]
    );
    // The ANAC domains come as native TOML that loads to the same outcome count.
    let (_, _, laptop) = send(&app, "GET", "/api/scenarios/Laptop", None).await;
    let laptop = detente::load_bytes("laptop", &laptop);
    let from_folder =
        detente::load_path(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/anac/Laptop")))
            .unwrap();
    assert_eq!(laptop.scenario.unwrap().issues, from_folder.scenario.unwrap().issues);

    let (status, headers, body) = send(&app, "GET", "/api/scenarios/kuril-2019", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/plain"));
    assert_eq!(String::from_utf8(body).unwrap(), KURIL);

    // Names only: a path is not a name.
    for path in ["/api/scenarios/nope", "/api/scenarios/..%2F..%2FCargo.toml", "/api/scenarios/%2Fetc%2Fpasswd"] {
        let (status, err) = send_json(&app, "GET", path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(err["error"].as_str().unwrap().contains("no scenario"), "{err}");
    }
    let (status, err) = send_json(&app, "GET", "/api/no-such-endpoint", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(err["error"].is_string());
}

#[tokio::test]
async fn files_named_on_the_command_line_are_offered_by_name() {
    let dir = std::env::temp_dir().join(format!("detente-server-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("my talks.toml");
    std::fs::write(&path, grid(2, 3)).unwrap();
    let mut library = Library::bundled();
    assert_eq!(library.add_path(&path).unwrap().name, "my-talks");
    assert_eq!(library.add_path(&path).unwrap().name, "my-talks-2");
    let app = router(library, limits());
    let (status, _, body) = send(&app, "GET", "/api/scenarios/my-talks", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(String::from_utf8(body).unwrap(), grid(2, 3));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn check_reports_diagnostics_at_their_line() {
    let app = app(limits());
    let (status, doc) = send_json(&app, "POST", "/api/check", Some(json!({ "text": KURIL }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["valid"], true, "{doc}");

    // An unknown actor in a constraint on a known line.
    let broken = KURIL.replacen("owner = \"russia\"", "owner = \"rusia\"", 1);
    let line = broken[..broken.find("owner = \"rusia\"").unwrap()].matches('\n').count() + 1;
    let (status, doc) = send_json(&app, "POST", "/api/check", Some(json!({ "text": broken }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["valid"], false);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["span"]["line"], line, "{d}");
    assert!(d["code"].as_str().unwrap().contains("::"), "{d}");
    assert!(d["help"].as_str().unwrap_or_default().contains("russia"), "a did-you-mean help: {d}");
    // The same document `detente check --format json` prints for one file.
    let loaded = detente::load_bytes("scenario", broken.as_bytes());
    assert_eq!(doc, detente_report::diagnostics::file_json(&loaded));

    // Not TOML at all.
    let (status, doc) = send_json(&app, "POST", "/api/check", Some(json!({ "text": "format = 1\n[[issues]\n" }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["diagnostics"][0]["span"]["line"], 2, "{doc}");
}

#[tokio::test]
async fn analyze_answers_the_cli_document_and_applies_what_ifs() {
    let app = app(limits());
    let (status, res) = send_json(&app, "POST", "/api/analyze", Some(json!({ "text": KURIL }))).await;
    assert_eq!(status, StatusCode::OK, "{res}");
    let doc = &res["analysis"];
    assert_eq!(doc["schema"], "detente.analysis/1");
    assert_eq!(doc["deal_exists"], false);
    assert!(res["verdict"].as_str().unwrap().starts_with("No deal"), "{}", res["verdict"]);
    // The same blockers as the engine and detente-report give directly.
    let s = detente::load_bytes("k", KURIL.as_bytes()).scenario.unwrap();
    let direct = detente_report::analysis::to_json(&s, &detente::analysis::analyze(&s, &Default::default()).unwrap());
    assert_eq!(doc["blockers"], direct["blockers"]);
    assert_eq!(doc["pareto_all"], direct["pareto_all"]);
    assert!(doc.get("plans").is_none(), "plans only when asked");
    // Japan's two types, as `analyze --json` gives them.
    assert_eq!(doc["types"]["actors"], json!(["japan"]));
    assert_eq!(doc["types"]["profiles"][1]["types"]["japan"], "leading");
    assert!(res["text"].as_str().unwrap().contains("Uncertain types: japan (bound 50%, leading 50%)."));
    // Without the sections (as the page asks): the same analysis and
    // verdict, no types or pressures.
    let (status, lean) =
        send_json(&app, "POST", "/api/analyze", Some(json!({ "text": KURIL, "sections": false }))).await;
    assert_eq!(status, StatusCode::OK, "{lean}");
    assert!(lean["analysis"].get("types").is_none() && lean["analysis"].get("pressures").is_none());
    assert_eq!(lean["analysis"]["blockers"], doc["blockers"]);
    assert_eq!(lean["verdict"], res["verdict"]);
    assert!(!lean["text"].as_str().unwrap().contains("Uncertain types"));
    // The plane: every outcome (8,910) as a row [number, agreement, u_japan, u_russia].
    let plane = &res["plane"];
    assert_eq!(plane["parties"], json!(["japan", "russia"]));
    let points = plane["points"].as_array().unwrap();
    assert_eq!(points.len() as u64, doc["outcomes"].as_u64().unwrap());
    assert_eq!(points[0].as_array().unwrap().len(), 4);
    assert_eq!(plane["space"]["issues"].as_array().unwrap().len(), 11);
    assert!(res["controls"]["constraints"].as_array().unwrap().iter().any(|c| c["label"] == "bases-clarity"));

    // The first blocker lowers Japan's reservation to what it can get.
    let best = doc["blockers"][0]["relax"][0]["best_feasible"].as_f64().unwrap();
    let set = format!("japan.reservation={:.4}", (best * 1e4).floor() / 1e4 - 1e-4);
    let (status, res) = send_json(&app, "POST", "/api/analyze", Some(json!({ "text": KURIL, "set": [set] }))).await;
    assert_eq!(status, StatusCode::OK, "{res}");
    assert_eq!(res["analysis"]["deal_exists"], true, "{}", res["verdict"]);
    assert!(!res["verdict"].as_str().unwrap().starts_with("No deal"));

    // Dropping constraints by label.
    let (status, res) = send_json(
        &app,
        "POST",
        "/api/analyze",
        Some(json!({ "text": KURIL, "drop": ["bases-clarity", "treaty-settles-territory"] })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(res["analysis"]["deal_exists"], true);

    // A what-if that does not parse names itself.
    let (status, err) =
        send_json(&app, "POST", "/api/analyze", Some(json!({ "text": KURIL, "set": ["japn.reservation=0.3"] }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["error"].as_str().unwrap().starts_with("set japn.reservation=0.3: "), "{err}");
    let (status, err) = send_json(&app, "POST", "/api/analyze", Some(json!({ "text": KURIL, "drop": ["nope"] }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    let (status, _) = send_json(&app, "POST", "/api/analyze", Some(json!({ "text": KURIL, "resolution": 1 }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A scenario with errors: 422 with the diagnostics.
    let (status, err) = send_json(&app, "POST", "/api/analyze", Some(json!({ "text": "format = 1\n" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"].as_str().unwrap().contains("error"), "{err}");
    assert_eq!(err["check"]["valid"], false);
}

#[tokio::test]
async fn three_parties_give_a_plane_per_pair() {
    let app = app(limits());
    // A third party on the grid: three pairs of axes to choose from.
    let text = grid(2, 3).replace(
        "[status_quo]",
        "[[actors]]\nid = \"c\"\nreservation = 0.2\nstances.i0 = { position = 1, salience = 1 }\n[status_quo]",
    );
    let (status, res) = send_json(&app, "POST", "/api/analyze", Some(json!({ "text": text }))).await;
    assert_eq!(status, StatusCode::OK, "{res}");
    let plane = &res["plane"];
    assert_eq!(plane["parties"], json!(["a", "b", "c"]));
    let pairs: Vec<(u64, u64)> = plane["density"]["planes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["x"].as_u64().unwrap(), p["y"].as_u64().unwrap()))
        .collect();
    assert_eq!(pairs, [(0, 1), (0, 2), (1, 2)]);
    let points = plane["points"].as_array().unwrap();
    assert_eq!(points.len(), 9);
    assert!(points.iter().all(|row| row.as_array().unwrap().len() == 5), "number, agreement, three utilities");
}

#[tokio::test]
async fn negotiate_forecast_report_and_robustness() {
    let app = app(limits());
    let (status, doc) = send_json(
        &app,
        "POST",
        "/api/negotiate",
        Some(json!({ "text": KURIL, "rounds": 30, "seed": 3, "default_strategy": "conceder", "drop": ["bases-clarity"] })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["schema"], "detente.negotiation/1");
    assert_eq!(doc["rounds"], 30);
    assert!(doc["trace"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["action"] == "offer" && s["utilities"]["japan"].is_number()));
    let (status, err) =
        send_json(&app, "POST", "/api/negotiate", Some(json!({ "text": KURIL, "default_strategy": "nonsense" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    let (status, _) = send_json(&app, "POST", "/api/negotiate", Some(json!({ "text": KURIL, "protocol": "x" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, doc) =
        send_json(&app, "POST", "/api/forecast", Some(json!({ "text": KURIL, "models": ["compromise", "median"] })))
            .await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["schema"], "detente.forecast/1");
    let models: Vec<&str> =
        doc["issues"][0]["forecasts"].as_array().unwrap().iter().map(|f| f["model"].as_str().unwrap()).collect();
    assert_eq!(models, ["compromise", "median"]);
    let (status, err) =
        send_json(&app, "POST", "/api/forecast", Some(json!({ "text": KURIL, "models": ["oracle"] }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["error"].as_str().unwrap().contains("compromise"), "lists the models: {err}");

    let (status, headers, body) = send(&app, "POST", "/api/report", Some(json!({ "text": grid(2, 4) }))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("<svg") && html.contains("grid"), "a report with its plot");

    let (status, doc) = send_json(
        &app,
        "POST",
        "/api/robustness",
        Some(json!({ "text": grid(2, 4), "samples": 16, "vary": ["a.reservation=0.1..0.9"] })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["schema"], "detente.robustness/1");
    let (status, _) =
        send_json(&app, "POST", "/api/robustness", Some(json!({ "text": grid(2, 4), "vary": ["a.reservation=2..3"] })))
            .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_json_errors() {
    let app = app(Limits { body_bytes: 1000, ..limits() });
    let (status, err) = send_json(&app, "POST", "/api/check", Some(json!({ "text": "x".repeat(2000) }))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(err["error"].as_str().unwrap().contains("1000 bytes"), "{err}");

    let request =
        Request::post("/api/analyze").header(header::CONTENT_TYPE, "application/json").body(Body::from("{\"text\": ]"));
    let response = app.clone().oneshot(request.unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert!(serde_json::from_slice::<Value>(&body).unwrap()["error"].is_string());

    let (status, err) = send_json(&app, "POST", "/api/analyze", Some(json!({ "txt": "x" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "missing field: {err}");
    let request = Request::post("/api/check").body(Body::from("{\"text\": \"\"}")).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "no content type");
}

#[tokio::test]
async fn outcome_spaces_over_the_limit_are_refused_with_the_engines_message() {
    let app = app(Limits { max_outcomes: 1000, ..limits() });
    let (status, err) = send_json(&app, "POST", "/api/analyze", Some(json!({ "text": grid(4, 10) }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let message = err["error"].as_str().unwrap();
    assert!(message.contains("10000") && message.contains("1000"), "{message}");
    let (status, _) = send_json(&app, "POST", "/api/report", Some(json!({ "text": grid(4, 10) }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Waits until every slot is free again: the engine noticed its flag.
async fn until_idle(app: &Router, slots: u64, within: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let (_, health) = send_json(app, "GET", "/api/health", None).await;
        if health["free"] == slots {
            return started.elapsed();
        }
        assert!(started.elapsed() < within, "the cancelled computation still holds its slot after {within:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_answers_503_and_stops_the_engine() {
    // 10^8 outcomes: seconds of work even in release; the deadline is 100 ms.
    let app = app(Limits { max_outcomes: 1_000_000_000, deadline: Duration::from_millis(100), ..limits() });
    let started = Instant::now();
    let (status, err) = send_json(&app, "POST", "/api/analyze", Some(json!({ "text": grid(8, 10) }))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{err}");
    assert!(err["error"].as_str().unwrap().contains("deadline"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2), "answered at the deadline, not after the work");
    // The cancel flag reached the engine: its slot is free long before the
    // enumeration would have finished.
    until_idle(&app, 4, Duration::from_secs(2)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_server_answers_busy_and_a_gone_client_frees_its_slot() {
    let app = app(Limits { max_outcomes: 1_000_000_000, concurrent: 1, ..limits() });
    let long = {
        let app = app.clone();
        tokio::spawn(async move { send(&app, "POST", "/api/analyze", Some(json!({ "text": grid(8, 10) }))).await })
    };
    let started = Instant::now();
    loop {
        let (_, health) = send_json(&app, "GET", "/api/health", None).await;
        if health["free"] == 0 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "the long request never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (status, headers, body) = send(&app, "POST", "/api/analyze", Some(json!({ "text": KURIL }))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers[header::RETRY_AFTER], "1");
    let err: Value = serde_json::from_slice(&body).unwrap();
    assert!(err["error"].as_str().unwrap().starts_with("busy"), "{err}");
    // The editor's checks have slots of their own: typing is answered.
    let (status, check) = send_json(&app, "POST", "/api/check", Some(json!({ "text": KURIL }))).await;
    assert_eq!(status, StatusCode::OK, "{check}");
    // The client goes away: the request future is dropped, the flag set.
    long.abort();
    until_idle(&app, 1, Duration::from_secs(2)).await;
    let (status, _) = send_json(&app, "POST", "/api/check", Some(json!({ "text": KURIL }))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let app = app(limits());
    let (status, doc) = send_json(&app, "GET", "/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/api/health", "get"),
        ("/api/scenarios", "get"),
        ("/api/scenarios/{name}", "get"),
        ("/api/check", "post"),
        ("/api/analyze", "post"),
        ("/api/density", "post"),
        ("/api/forecast", "post"),
        ("/api/negotiate", "post"),
        ("/api/report", "post"),
        ("/api/robustness", "post"),
        ("/api/openapi.json", "get"),
    ];
    for (path, method) in expected {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} missing");
    }
    assert_eq!(paths.len(), expected.len(), "a listed path no route serves: {:?}", paths.keys());
    // Each listed route answers (not the JSON 404 of unknown paths).
    for (path, method) in expected {
        let path = path.replace("{name}", "kuril-2019");
        let body = (method == "post").then(|| json!({ "text": grid(1, 2) }));
        let (status, _, _) = send(&app, &method.to_uppercase(), &path, body).await;
        assert_ne!(status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(doc["components"]["schemas"]["AnalyzeRequest"]["properties"]["set"].is_object());
}

#[tokio::test]
async fn the_page_and_its_assets_are_embedded() {
    let app = app(limits());
    for (path, kind) in [("/", "text/html"), ("/app.js", "text/javascript"), ("/app.css", "text/css")] {
        let (status, headers, body) = send(&app, "GET", path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with(kind), "{path}");
        assert!(headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("default-src 'self'"));
        assert!(!body.is_empty());
    }
    let (_, _, page) = send(&app, "GET", "/", None).await;
    let page = String::from_utf8(page).unwrap();
    assert!(!page.contains("http://") && !page.contains("https://"), "no other origin");
}

/// Statements through the API as on the command line: the January replay's
/// timeline (`analyze` with `timeline` and `say`), a scripted commitment
/// in talks, a strategy that speaks, and the errors.
#[tokio::test]
async fn statements_are_said_as_on_the_command_line() {
    let app = app(limits());
    let say = ["no-compensation@0", "no-resettlement@0", "sovereignty-first@0"];
    let (status, doc) =
        send_json(&app, "POST", "/api/analyze", Some(json!({ "text": KURIL, "timeline": true, "say": say }))).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let japan: Vec<&Value> =
        doc["analysis"]["timeline"].as_array().unwrap()[..4].iter().map(|p| &p["perceived"]["japan"]).collect();
    assert_eq!(japan, [&json!(244), &json!(0), &json!(0), &json!(0)]);

    let harbour = include_str!("../../detente/tests/fixtures/statements.toml");
    let body = json!({ "text": harbour, "rounds": 10, "default_strategy": "linear", "say": ["low-or-nothing@0"] });
    let (status, doc) = send_json(&app, "POST", "/api/negotiate", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["trace"][0]["action"], "statement");
    assert_eq!(doc["trace"][0]["statement"], "low-or-nothing");
    let body = json!({ "text": harbour, "rounds": 10, "strategies": ["port=linear:speak=honest"], "default_strategy": "linear" });
    let (status, doc) = send_json(&app, "POST", "/api/negotiate", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["trace"][0]["statement"], "not-below-cost");

    let (status, err) =
        send_json(&app, "POST", "/api/negotiate", Some(json!({ "text": harbour, "say": ["lo-or-nothing@0"] }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert!(err["error"].as_str().unwrap().contains("did you mean `low-or-nothing`"), "{err}");
    let (status, err) =
        send_json(&app, "POST", "/api/negotiate", Some(json!({ "text": harbour, "first": "tug" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert!(err["error"].as_str().unwrap().starts_with("first: `tug` is not a party"), "{err}");
}

/// A large space comes as binned counts; `/api/density` counts a window of
/// the plane at the same number of bins: over the whole plane it gives the
/// very counts `analyze` gave, and a zoomed window sharpens a part of it.
#[tokio::test]
async fn a_density_window_sharpens_the_plane() {
    let app = app(limits());
    // 150² = 22,500 outcomes: above the 20,000 points sent one by one.
    let text = grid(2, 150);
    let (status, res) = send_json(&app, "POST", "/api/analyze", Some(json!({ "text": text }))).await;
    assert_eq!(status, StatusCode::OK, "{res}");
    assert!(res["plane"]["points"].is_null());
    let density = &res["plane"]["density"];
    let bins = density["bins"].as_u64().unwrap();
    let window = |x: [f64; 2], y: [f64; 2]| json!({ "text": text, "x": 0, "y": 1, "x_range": x, "y_range": y });
    let (status, whole) = send_json(&app, "POST", "/api/density", Some(window([0.0, 1.0], [0.0, 1.0]))).await;
    assert_eq!(status, StatusCode::OK, "{whole}");
    assert_eq!(whole["bins"], bins);
    assert_eq!(whole["all"], density["planes"][0]["all"]);
    assert_eq!(whole["agreement"], density["planes"][0]["agreement"]);
    assert_eq!(whole["outside_window"], 0);
    assert_eq!(whole["outcomes"], 22_500);
    let (status, part) = send_json(&app, "POST", "/api/density", Some(window([0.25, 0.75], [0.25, 0.75]))).await;
    assert_eq!(status, StatusCode::OK, "{part}");
    let inside: u64 = part["all"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).sum();
    assert_eq!(inside + part["outside_window"].as_u64().unwrap(), 22_500);
    assert!(inside > 0 && part["outside_window"].as_u64().unwrap() > 0, "{part}");
    // The window's cells are half as wide: more of them are filled than the
    // whole plane's cells that cover the same rectangle.
    let filled = |v: &Value| v.as_array().unwrap().iter().filter(|c| c.as_u64().unwrap() > 0).count();
    let b = bins as usize;
    let covering = density["planes"][0]["all"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(k, c)| {
            let (row, col) = (k / b, k % b);
            let inside = |i: usize| i * 4 >= b && i * 4 < 3 * b;
            inside(row) && inside(col) && c.as_u64().unwrap() > 0
        })
        .count();
    assert!(filled(&part["all"]) > covering, "{} window cells against {covering}", filled(&part["all"]));
    // Bad windows are 400s that say what a window is.
    for (body, message) in [
        (json!({ "text": text, "x": 0, "y": 0, "x_range": [0, 1], "y_range": [0, 1] }), "two different parties"),
        (json!({ "text": text, "x": 0, "y": 1, "x_range": [0.5, 0.5], "y_range": [0, 1] }), "low < high"),
        (
            json!({ "text": text, "x": 0, "y": 1, "x_range": [0, 1], "y_range": [0, 1], "bins": 0 }),
            "bins must be from 1 to 400",
        ),
    ] {
        let (status, err) = send_json(&app, "POST", "/api/density", Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
        assert!(err["error"].as_str().unwrap().contains(message), "{err}");
    }
}
