//! Negotiators written in Python: any object with `propose(state)` and
//! `respond(state, offer)` (NegMAS's names), seated by the engine as a
//! `Seat::Custom` or entered in a tournament as a `Player::Custom`.
//!
//! The engine runs on a worker thread with the GIL released ([`crate::run`]);
//! every call into the user's object takes the GIL for that call only. The
//! first exception the object raises (or an invalid answer) is kept in the
//! run's [`Failed`] slot and sets the run's cancel flag, so the engine stops
//! within a round and the shell raises that very exception.
//!
//! What the object sees is what the architecture allows a negotiator: the
//! public structure (issues, values, the parties' ids), its own utilities
//! (`self.ufun`, `info.ufun`) and the offers made, never another actor's
//! utilities. Its view of its utilities reads the engine's [`Context`] in
//! place, so it is valid only during a call ([`Scope`]).

use std::sync::{Arc, Mutex};

use detente::budget::Cancel;
use detente::negotiation::{Context, Negotiator, Response, Turn};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

/// The first failure of a run's Python negotiators, shared by them all.
#[derive(Clone, Default)]
pub struct Failed(Arc<Mutex<Option<PyErr>>>);

impl Failed {
    /// Keeps `e` unless an earlier failure is kept, and stops the run.
    pub fn fail(&self, e: PyErr, cancel: &Cancel) {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(e);
        }
        cancel.cancel();
    }

    fn is_set(&self) -> bool {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// The failure, if any.
    pub fn take(&self) -> Option<PyErr> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// The engine's context for the length of one call into Python.
///
/// The pointer is set by [`Scope::enter`] and cleared when the returned
/// guard drops, at the end of the call that borrowed the context; it is only
/// dereferenced under the lock, so a Python object that keeps the view
/// beyond the call gets an error, never a dangling reference.
#[derive(Default)]
struct Scope(Mutex<Option<*const Context<'static>>>);

// SAFETY: the pointer is only read under the mutex and only while the
// context it points to is borrowed by the call that set it (see `enter`);
// `Context` itself is `Sync` (shared references to `Sync` data).
unsafe impl Send for Scope {}
unsafe impl Sync for Scope {}

struct Entered<'s>(&'s Scope);

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        *self.0 .0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl Scope {
    /// Makes `ctx` readable until the guard drops (which the caller does
    /// before `ctx`'s borrow ends).
    fn enter<'s>(&'s self, ctx: &Context<'_>) -> Entered<'s> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(std::ptr::from_ref(ctx).cast::<Context<'static>>());
        Entered(self)
    }

    fn with<R>(&self, f: impl FnOnce(&Context<'_>) -> R) -> PyResult<R> {
        let guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match *guard {
            // SAFETY: set by `enter` from a live borrow and cleared (under
            // this lock) before that borrow ends.
            Some(p) => Ok(f(unsafe { &*p })),
            None => Err(PyRuntimeError::new_err(
                "a negotiator's view of its utilities and outcomes is valid only while the engine calls it (on_start, propose, respond, on_offer, vote)",
            )),
        }
    }
}

/// An outcome as Python gives it: an index or `{issue: value}`.
enum Given {
    Index(i64),
    Values(Vec<(String, String)>),
}

/// A value as text: Python's `str`, but whole floats without `.0`
/// (`3.0` names the value `3`) and booleans in lower case.
fn value_text(v: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(b) = v.cast::<pyo3::types::PyBool>() {
        return Ok(if b.is_true() { "true" } else { "false" }.into());
    }
    if let Ok(x) = v.extract::<f64>() {
        if !v.is_instance_of::<pyo3::types::PyInt>() && x.fract() == 0.0 && x.abs() < 1e15 {
            return Ok(format!("{}", x as i64));
        }
    }
    Ok(v.str()?.to_string())
}

fn given(obj: &Bound<'_, PyAny>) -> PyResult<Given> {
    if obj.is_instance_of::<pyo3::types::PyInt>() && !obj.is_instance_of::<pyo3::types::PyBool>() {
        return Ok(Given::Index(obj.extract()?));
    }
    if let Ok(items) = obj.call_method0("items") {
        let mut out = Vec::new();
        for item in items.try_iter()? {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
            out.push((k.str()?.to_string(), value_text(&v)?));
        }
        return Ok(Given::Values(out));
    }
    Err(PyTypeError::new_err(format!(
        "an outcome is a dict {{issue: value}} or an outcome index, not {}",
        obj.get_type().name()?
    )))
}

fn hint(word: &str, candidates: &[&str]) -> String {
    detente::suggest::did_you_mean(word, candidates).map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default()
}

/// The outcome number `given` names, or what is wrong with it.
fn resolve(ctx: &Context<'_>, given: &Given) -> Result<usize, String> {
    let public = &ctx.public;
    match given {
        Given::Index(i) => {
            let n = public.len();
            usize::try_from(*i)
                .ok()
                .filter(|&k| k < n)
                .ok_or_else(|| format!("outcome index {i} is out of range: the outcomes are numbered 0 to {}", n - 1))
        }
        Given::Values(pairs) => {
            let issues: Vec<&str> = (0..public.issue_count()).map(|i| public.issue_id(i)).collect();
            for (k, _) in pairs {
                if !issues.contains(&k.as_str()) {
                    return Err(format!("no issue `{k}`{}; the issues are {}", hint(k, &issues), issues.join(", ")));
                }
            }
            let mut digits = Vec::with_capacity(issues.len());
            for (i, id) in issues.iter().enumerate() {
                let Some((_, v)) = pairs.iter().find(|(k, _)| k == id) else {
                    return Err(format!("no value for issue `{id}`: an offer gives a value for every issue"));
                };
                let count = public.value_count(i);
                match (0..count as u32).find(|&d| public.value_label(i, d) == *v) {
                    Some(d) => digits.push(d),
                    None => {
                        let labels: Vec<String> = (0..count.min(50) as u32).map(|d| public.value_label(i, d)).collect();
                        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
                        let more = if count > 50 { format!(", … ({count} values)") } else { String::new() };
                        return Err(format!(
                            "issue `{id}` has no value `{v}`{}; its values are {}{more}",
                            hint(v, &refs),
                            refs.join(", ")
                        ));
                    }
                }
            }
            Ok(public.find(&digits))
        }
    }
}

/// Outcome `k` as `{issue: value label}`.
fn outcome_dict<'py>(py: Python<'py>, ctx: &Context<'_>, k: usize) -> PyResult<Bound<'py, PyDict>> {
    let public = &ctx.public;
    let d = PyDict::new(py);
    for (i, &digit) in public.digits(k).iter().enumerate() {
        d.set_item(public.issue_id(i), public.value_label(i, digit))?;
    }
    Ok(d)
}

/// Resolves a Python outcome inside the scope.
fn index_of(scope: &Scope, outcome: &Bound<'_, PyAny>) -> PyResult<usize> {
    let g = given(outcome)?;
    scope.with(|ctx| resolve(ctx, &g))?.map_err(PyValueError::new_err)
}

/// A negotiator's own utility function (NegMAS: `ufun`): `ufun(outcome)`
/// for an outcome dict or index. Valid only during the engine's calls.
#[pyclass(frozen, module = "detente._native", name = "UtilityFunction")]
pub struct UFun {
    scope: Arc<Scope>,
}

#[pymethods]
impl UFun {
    /// Its utility of `outcome` (a dict `{issue: value}` or an index).
    fn __call__(&self, outcome: &Bound<'_, PyAny>) -> PyResult<f64> {
        let k = index_of(&self.scope, outcome)?;
        self.scope.with(|ctx| ctx.own.utility(k))
    }

    /// Utility of no agreement.
    #[getter]
    fn reservation(&self) -> PyResult<f64> {
        self.scope.with(|ctx| ctx.own.reservation)
    }

    /// GENIUS discount factor: a utility `u` at relative time `t` is worth
    /// `u * discount ** t`.
    #[getter]
    fn discount(&self) -> PyResult<f64> {
        self.scope.with(|ctx| ctx.own.discount)
    }

    /// The highest utility of any outcome it may offer.
    fn max(&self) -> PyResult<f64> {
        self.scope.with(|ctx| ctx.own.max())
    }

    /// The lowest utility of any outcome it may offer.
    fn min(&self) -> PyResult<f64> {
        self.scope.with(|ctx| ctx.own.min())
    }

    /// Its best outcome, as a dict (ties: the lowest outcome index).
    fn best<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.scope.with(|ctx| outcome_dict(py, ctx, ctx.own.best()))?
    }

    /// Whether it may offer or accept `outcome` (no constraint it believes
    /// holds is broken).
    fn allows(&self, outcome: &Bound<'_, PyAny>) -> PyResult<bool> {
        let k = index_of(&self.scope, outcome)?;
        self.scope.with(|ctx| ctx.own.allows(k))
    }

    fn __repr__(&self) -> String {
        "<detente UtilityFunction: a negotiator's own utilities>".into()
    }
}

/// What a Python negotiator knows when the talks start (NegMAS: the
/// negotiator's `nmi` and `ufun`): the public structure, its own
/// utilities, its seat, the deadline and its seed.
#[pyclass(frozen, module = "detente._native", name = "NegotiatorInfo")]
pub struct Info {
    /// Its party's actor id.
    #[pyo3(get)]
    me: String,
    /// Its position in the move order (0 opens).
    #[pyo3(get)]
    slot: usize,
    /// The parties' actor ids in move order.
    #[pyo3(get)]
    parties: Vec<String>,
    /// The issue ids, in order.
    #[pyo3(get)]
    issues: Vec<String>,
    /// Number of outcomes.
    #[pyo3(get)]
    n_outcomes: usize,
    /// The deadline in rounds.
    #[pyo3(get)]
    rounds: usize,
    /// A seed for its own random choices (derived from the session's seed
    /// and its slot, as for the built-in strategies).
    #[pyo3(get)]
    seed: u64,
    /// Its own utility function.
    #[pyo3(get)]
    ufun: Py<UFun>,
    scope: Arc<Scope>,
}

#[pymethods]
impl Info {
    /// Per issue, its values' labels: `{issue: [value, …]}`.
    #[getter]
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let pairs: Vec<(String, Vec<String>)> = self.scope.with(|ctx| {
            let p = &ctx.public;
            (0..p.issue_count())
                .map(|i| {
                    (p.issue_id(i).to_string(), (0..p.value_count(i) as u32).map(|d| p.value_label(i, d)).collect())
                })
                .collect()
        })?;
        let d = PyDict::new(py);
        for (k, v) in pairs {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// Outcome `index` as a dict `{issue: value}`.
    fn outcome<'py>(&self, py: Python<'py>, index: usize) -> PyResult<Bound<'py, PyDict>> {
        self.scope.with(|ctx| {
            if index >= ctx.public.len() {
                return Err(PyValueError::new_err(format!(
                    "outcome index {index} is out of range: the outcomes are numbered 0 to {}",
                    ctx.public.len() - 1
                )));
            }
            outcome_dict(py, ctx, index)
        })?
    }

    /// The index of `outcome` (a dict `{issue: value}`).
    fn index(&self, outcome: &Bound<'_, PyAny>) -> PyResult<usize> {
        index_of(&self.scope, outcome)
    }

    fn __repr__(&self) -> String {
        format!("<detente NegotiatorInfo: {} (slot {}) of {}>", self.me, self.slot, self.parties.join(", "))
    }
}

/// The state of the talks when a Python negotiator is called (NegMAS:
/// `SAOState`).
#[pyclass(frozen, module = "detente._native", name = "NegotiationState")]
pub struct State {
    /// 0-based round (NegMAS: `step`).
    #[pyo3(get)]
    step: usize,
    /// Relative time in `[0, 1]`: `(step + 1) / (rounds + 1)`.
    #[pyo3(get)]
    relative_time: f64,
    /// Its own relative time (later than `relative_time` when its own
    /// deadline comes first).
    #[pyo3(get)]
    own_time: f64,
    /// The offer on the table, as a dict, if any.
    #[pyo3(get)]
    current_offer: Option<Py<PyDict>>,
    /// Its outcome index.
    #[pyo3(get)]
    current_offer_index: Option<usize>,
    /// The actor id of the party that made it.
    #[pyo3(get)]
    current_proposer: Option<String>,
    /// Number of parties at the table.
    #[pyo3(get)]
    n_negotiators: usize,
}

#[pymethods]
impl State {
    /// The round, as `step`.
    #[getter]
    fn round(&self) -> usize {
        self.step
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let offer = match &self.current_offer {
            Some(d) => d.bind(py).repr().map(|r| r.to_string()).unwrap_or_default(),
            None => "None".into(),
        };
        format!(
            "NegotiationState(step={}, relative_time={:.4}, current_offer={offer}, current_proposer={:?})",
            self.step, self.relative_time, self.current_proposer
        )
    }
}

/// The optional hooks an object defines.
#[derive(Clone, Copy)]
struct Hooks {
    on_start: bool,
    on_offer: bool,
    vote: bool,
}

/// A Python object playing one seat.
pub struct PyNegotiator {
    /// What the caller gave: a class or an instance.
    source: Py<PyAny>,
    obj: Py<PyAny>,
    hooks: Hooks,
    label: String,
    scope: Arc<Scope>,
    failed: Failed,
    cancel: Cancel,
}

/// The name a Python negotiator goes by in documents and tables: its
/// `name` attribute when it is a string, else its class's name.
pub fn label(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(name) = obj.getattr("name") {
        if let Ok(s) = name.extract::<String>() {
            return Ok(s);
        }
    }
    let class = match obj.cast::<PyType>() {
        Ok(t) => t.clone(),
        Err(_) => obj.get_type(),
    };
    Ok(class.name()?.to_string())
}

/// Whether `obj` looks like a negotiator (a class or an object with
/// `propose` and `respond`), else the `TypeError` to raise.
pub fn check(obj: &Bound<'_, PyAny>) -> PyResult<()> {
    let missing: Vec<&str> = ["propose", "respond"].into_iter().filter(|m| !obj.hasattr(*m).unwrap_or(false)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(PyTypeError::new_err(format!(
        "{} is not a negotiator: it has no {}; a negotiator defines propose(state) and respond(state, offer)",
        obj.repr()?,
        missing.join(" or ")
    )))
}

impl PyNegotiator {
    /// Seats `obj`: a class is instantiated (no arguments); with `copy`, an
    /// instance is deep-copied (a tournament plays a fresh one in every
    /// session), otherwise used as it is.
    pub fn new(py: Python<'_>, obj: &Bound<'_, PyAny>, copy: bool, failed: Failed, cancel: Cancel) -> PyResult<Self> {
        check(obj)?;
        let label = label(obj)?;
        let instance = if obj.is_instance_of::<PyType>() {
            obj.call0()?
        } else if copy {
            py.import("copy")?.call_method1("deepcopy", (obj,))?
        } else {
            obj.clone()
        };
        let hooks = Hooks {
            on_start: instance.hasattr("on_start")?,
            on_offer: instance.hasattr("on_offer")?,
            vote: instance.hasattr("vote")?,
        };
        let source = obj.clone().unbind();
        Ok(PyNegotiator { source, obj: instance.unbind(), hooks, label, scope: Arc::default(), failed, cancel })
    }

    /// What the caller gave (a class or an instance), to seat again.
    pub fn object<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.source.bind(py).clone()
    }

    /// Stops `cancel`'s run when it fails.
    pub fn stop_with(&mut self, cancel: &Cancel) {
        self.cancel = cancel.clone();
    }

    /// Its name in documents and tables.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Calls into Python with `ctx` in scope; a failure is kept and stops
    /// the run, and `None` is returned.
    fn call<R>(
        &self,
        ctx: &Context<'_>,
        f: impl for<'py> FnOnce(Python<'py>, &Bound<'py, PyAny>) -> PyResult<R>,
    ) -> Option<R> {
        if self.failed.is_set() {
            return None;
        }
        let _entered = self.scope.enter(ctx);
        let result = Python::attach(|py| f(py, self.obj.bind(py)));
        match result {
            Ok(r) => Some(r),
            Err(e) => {
                self.failed.fail(e, &self.cancel);
                None
            }
        }
    }

    fn state(py: Python<'_>, ctx: &Context<'_>, turn: Turn, offer: Option<(usize, usize)>) -> PyResult<State> {
        Ok(State {
            step: turn.round,
            relative_time: turn.time,
            own_time: ctx.own_time(turn),
            current_offer: offer.map(|(k, _)| outcome_dict(py, ctx, k).map(Bound::unbind)).transpose()?,
            current_offer_index: offer.map(|(k, _)| k),
            current_proposer: offer.map(|(_, from)| ctx.public.party_id(from).to_string()),
            n_negotiators: ctx.parties,
        })
    }
}

/// `respond`'s answer: `"accept"`, `"reject"`, `"end"` (any case, NegMAS's
/// `accept_offer`, `reject_offer`, `end_negotiation` too), or an enum
/// member whose name or value is one of those.
fn response(obj: &Bound<'_, PyAny>) -> PyResult<Response> {
    let mut words = Vec::new();
    if let Ok(s) = obj.extract::<String>() {
        words.push(s);
    }
    for attr in ["name", "value"] {
        if let Ok(v) = obj.getattr(attr) {
            if let Ok(s) = v.extract::<String>() {
                words.push(s);
            }
        }
    }
    for w in &words {
        match w.to_ascii_lowercase().as_str() {
            "accept" | "accept_offer" => return Ok(Response::Accept),
            "reject" | "reject_offer" => return Ok(Response::Reject),
            "end" | "end_negotiation" => return Ok(Response::End),
            _ => {}
        }
    }
    Err(PyValueError::new_err(format!(
        "respond returned {}: answer \"accept\", \"reject\" or \"end\" (or a detente.ResponseType)",
        obj.repr()?
    )))
}

impl Negotiator for PyNegotiator {
    fn start(&mut self, ctx: &Context<'_>) {
        let scope = self.scope.clone();
        let hooks = self.hooks;
        self.call(ctx, |py, obj| {
            let ufun = Py::new(py, UFun { scope: scope.clone() })?;
            let info = Info {
                me: ctx.public.party_id(ctx.slot).to_string(),
                slot: ctx.slot,
                parties: (0..ctx.parties).map(|s| ctx.public.party_id(s).to_string()).collect(),
                issues: (0..ctx.public.issue_count()).map(|i| ctx.public.issue_id(i).to_string()).collect(),
                n_outcomes: ctx.public.len(),
                rounds: ctx.deadline.rounds,
                seed: ctx.seed,
                ufun: ufun.clone_ref(py),
                scope,
            };
            let info = Py::new(py, info)?;
            // NegMAS negotiators hold `self.ufun`; a class with `__slots__`
            // still gets `info` through `on_start`.
            let _ = obj.setattr("ufun", ufun);
            let _ = obj.setattr("info", info.clone_ref(py));
            if hooks.on_start {
                obj.call_method1("on_start", (info,))?;
            }
            Ok(())
        });
    }

    fn propose(&mut self, ctx: &Context<'_>, turn: Turn) -> Option<usize> {
        let scope = self.scope.clone();
        let me = self.label.clone();
        self.call(ctx, |py, obj| {
            let state = Self::state(py, ctx, turn, None)?;
            let out = obj.call_method1("propose", (state,))?;
            if out.is_none() {
                return Ok(None);
            }
            let g = given(&out).map_err(|e| {
                PyTypeError::new_err(format!("{me}.propose returned an invalid offer: {}", e.value(py)))
            })?;
            let k = scope
                .with(|ctx| resolve(ctx, &g))?
                .map_err(|m| PyValueError::new_err(format!("{me}.propose returned an invalid offer: {m}")))?;
            Ok(Some(k))
        })
        .flatten()
    }

    fn respond(&mut self, ctx: &Context<'_>, turn: Turn, offer: usize, from: usize) -> Response {
        self.call(ctx, |py, obj| {
            let state = Self::state(py, ctx, turn, Some((offer, from)))?;
            let dict = state.current_offer.as_ref().map(|d| d.clone_ref(py));
            let out = obj.call_method1("respond", (state, dict))?;
            response(&out)
        })
        .unwrap_or(Response::End)
    }

    fn observe(&mut self, ctx: &Context<'_>, turn: Turn, offer: usize, from: usize) {
        if !self.hooks.on_offer {
            return;
        }
        self.call(ctx, |py, obj| {
            let state = Self::state(py, ctx, turn, Some((offer, from)))?;
            let dict = state.current_offer.as_ref().map(|d| d.clone_ref(py));
            let by = ctx.public.party_id(from).to_string();
            obj.call_method1("on_offer", (state, dict, by))?;
            Ok(())
        });
    }

    fn vote(&mut self, ctx: &Context<'_>, turn: Turn, current: usize, proposal: usize) -> bool {
        if !self.hooks.vote {
            // Without a `vote` method: yes to a text worth at least as much.
            return ctx.own.allows(proposal) && ctx.own.utility(proposal) >= ctx.own.utility(current);
        }
        self.call(ctx, |py, obj| {
            let state = Self::state(py, ctx, turn, None)?;
            let out =
                obj.call_method1("vote", (state, outcome_dict(py, ctx, current)?, outcome_dict(py, ctx, proposal)?))?;
            out.is_truthy()
        })
        .unwrap_or(false)
    }
}
