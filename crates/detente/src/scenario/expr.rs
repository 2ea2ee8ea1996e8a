//! The constraint rule language: a small typed expression language over issue
//! values.
//!
//! ```text
//! rule        := "never" implication | implication
//! implication := or (("->" | "<->") or)?
//! or          := and ("or" and)*
//! and         := not ("and" not)*
//! not         := "not" not | primary
//! primary     := "(" implication ")" | "true" | "false"
//!              | operand op operand | ISSUE ["not"] "in" "[" literal ("," literal)* "]"
//!              | ISSUE                       (a yes/no issue: ISSUE == "yes")
//! op          := "==" | "!=" | "<" | "<=" | ">" | ">="
//! ```
//!
//! The form of the whole rule gives the constraint its kind: `never E` is a
//! red line, `A -> B` a precondition (A only if B), `A <-> B` a linkage
//! (both or neither), anything else a plain requirement. Names resolve to
//! issues when the rule is read, and comparisons are type-checked against the
//! issue's domain, so a rule that loads can always be evaluated.

use super::{Domain, Issue, Value};
use crate::diagnostic::{Diagnostic, Span};
use crate::suggest::did_you_mean;

/// Words of the rule language, which therefore cannot be issue ids.
pub const KEYWORDS: &[&str] = &["never", "and", "or", "not", "in", "true", "false"];

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    fn apply(self, a: f64, b: f64) -> bool {
        match self {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        }
    }
    fn flipped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        }
    }
    fn is_order(self) -> bool {
        !matches!(self, CmpOp::Eq | CmpOp::Ne)
    }
}

/// A resolved rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `true` / `false`.
    Const(bool),
    /// `issue op value`.
    Cmp {
        /// Issue index.
        issue: usize,
        /// Operator.
        op: CmpOp,
        /// Right-hand value, in the issue's domain.
        value: Value,
    },
    /// `issue in [v, ...]`.
    In {
        /// Issue index.
        issue: usize,
        /// Allowed values.
        values: Vec<Value>,
    },
    /// `not e`.
    Not(Box<Expr>),
    /// `a and b`.
    And(Box<Expr>, Box<Expr>),
    /// `a or b`.
    Or(Box<Expr>, Box<Expr>),
    /// `a -> b`.
    Implies(Box<Expr>, Box<Expr>),
    /// `a <-> b`.
    Iff(Box<Expr>, Box<Expr>),
    /// `never e` (only at the top of a rule).
    Never(Box<Expr>),
}

/// What a constraint does, from the form of its rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `never X`: X is forbidden.
    RedLine,
    /// `A -> B`: A only if B.
    Precondition,
    /// `A <-> B`: both or neither.
    Linkage,
    /// Any other rule: it must hold.
    Requirement,
}

impl ConstraintKind {
    /// `"red line"`, `"precondition"`, `"linkage"` or `"requirement"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConstraintKind::RedLine => "red line",
            ConstraintKind::Precondition => "precondition",
            ConstraintKind::Linkage => "linkage",
            ConstraintKind::Requirement => "requirement",
        }
    }
}

impl Expr {
    /// The kind of constraint a rule of this form expresses.
    pub fn kind(&self) -> ConstraintKind {
        match self {
            Expr::Never(_) => ConstraintKind::RedLine,
            Expr::Implies(..) => ConstraintKind::Precondition,
            Expr::Iff(..) => ConstraintKind::Linkage,
            _ => ConstraintKind::Requirement,
        }
    }

    /// Evaluates the rule on an outcome (one value per issue).
    pub fn holds(&self, outcome: &[Value]) -> bool {
        match self {
            Expr::Const(b) => *b,
            Expr::Cmp { issue, op, value } => op.apply(outcome[*issue].as_f64(), value.as_f64()),
            Expr::In { issue, values } => {
                let x = outcome[*issue].as_f64();
                values.iter().any(|v| v.as_f64() == x)
            }
            Expr::Not(e) | Expr::Never(e) => !e.holds(outcome),
            Expr::And(a, b) => a.holds(outcome) && b.holds(outcome),
            Expr::Or(a, b) => a.holds(outcome) || b.holds(outcome),
            Expr::Implies(a, b) => !a.holds(outcome) || b.holds(outcome),
            Expr::Iff(a, b) => a.holds(outcome) == b.holds(outcome),
        }
    }

    /// Issue indices the rule reads, sorted and without repeats.
    pub fn issues(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.walk(&mut |e| match e {
            Expr::Cmp { issue, .. } | Expr::In { issue, .. } => out.push(*issue),
            _ => {}
        });
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every literal value compared against issue `issue`.
    pub fn literals_for(&self, target: usize) -> Vec<f64> {
        let mut out = Vec::new();
        self.walk(&mut |e| match e {
            Expr::Cmp { issue, value, .. } if *issue == target => out.push(value.as_f64()),
            Expr::In { issue, values } if *issue == target => out.extend(values.iter().map(Value::as_f64)),
            _ => {}
        });
        out
    }

    fn walk(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Not(e) | Expr::Never(e) => e.walk(f),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Implies(a, b) | Expr::Iff(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------- lexing

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64, bool),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Op(CmpOp),
    Arrow,
    DArrow,
    Never,
    And,
    Or,
    Not,
    In,
    True,
    False,
    End,
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Num(..) => "a number".into(),
        Tok::End => "the end of the rule".into(),
        Tok::Op(_) => "a comparison".into(),
        Tok::Arrow => "`->`".into(),
        Tok::DArrow => "`<->`".into(),
        other => format!("`{}`", format!("{other:?}").to_lowercase()),
    }
}

struct Lexed {
    toks: Vec<(Tok, usize, usize)>,
}

fn lex(text: &str, at: &dyn Fn(usize, usize) -> Span) -> Result<Lexed, Diagnostic> {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    let err = |s: usize, e: usize, msg: String, help: &str| {
        Diagnostic::error("expr::syntax", at(s, e), msg).with_help(help.to_string())
    };
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let two = text.get(i..i + 2).unwrap_or("");
        let three = text.get(i..i + 3).unwrap_or("");
        let tok = if c.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if three == "<->" {
            i += 3;
            Tok::DArrow
        } else if two == "->" {
            i += 2;
            Tok::Arrow
        } else if two == "==" || two == "!=" || two == "<=" || two == ">=" {
            i += 2;
            Tok::Op(match two {
                "==" => CmpOp::Eq,
                "!=" => CmpOp::Ne,
                "<=" => CmpOp::Le,
                _ => CmpOp::Ge,
            })
        } else if c == b'<' || c == b'>' {
            i += 1;
            Tok::Op(if c == b'<' { CmpOp::Lt } else { CmpOp::Gt })
        } else if c == b'=' {
            return Err(err(i, i + 1, "`=` is not a comparison".into(), "write `==` to compare"));
        } else if c == b'(' {
            i += 1;
            Tok::LParen
        } else if c == b')' {
            i += 1;
            Tok::RParen
        } else if c == b'[' {
            i += 1;
            Tok::LBracket
        } else if c == b']' {
            i += 1;
            Tok::RBracket
        } else if c == b',' {
            i += 1;
            Tok::Comma
        } else if c == b'"' || c == b'\'' {
            i += 1;
            while i < bytes.len() && bytes[i] != c {
                i += 1;
            }
            if i >= bytes.len() {
                return Err(err(
                    start,
                    text.len(),
                    "unterminated string in rule".into(),
                    "close the option label with a matching quote",
                ));
            }
            i += 1;
            Tok::Str(text[start + 1..i - 1].to_string())
        } else if c.is_ascii_digit() || (c == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) || c == b'.' {
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || matches!(bytes[i], b'.' | b'e' | b'E' | b'_')) {
                if matches!(bytes[i], b'e' | b'E') && matches!(bytes.get(i + 1), Some(b'-' | b'+')) {
                    i += 1;
                }
                i += 1;
            }
            let raw = text[start..i].replace('_', "");
            match raw.parse::<f64>() {
                Ok(v) if v.is_finite() => Tok::Num(v, raw.parse::<i64>().is_ok()),
                _ => {
                    return Err(err(
                        start,
                        i,
                        format!("`{}` is not a number", &text[start..i]),
                        "write numbers like 3, -2 or 0.25",
                    ))
                }
            }
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            match &text[start..i] {
                "never" => Tok::Never,
                "and" => Tok::And,
                "or" => Tok::Or,
                "not" => Tok::Not,
                "in" => Tok::In,
                "true" => Tok::True,
                "false" => Tok::False,
                word => Tok::Ident(word.to_string()),
            }
        } else {
            let ch = text[i..].chars().next().unwrap_or('?');
            let help = match ch {
                '&' => "write `and` instead of `&&`",
                '|' => "write `or` instead of `||`",
                '!' => "write `not` instead of `!`",
                _ => "rules use issue names, quoted option labels, numbers, comparisons, and/or/not, -> and <->",
            };
            return Err(err(i, i + ch.len_utf8(), format!("unexpected character `{ch}` in rule"), help));
        };
        toks.push((tok, start, i));
    }
    toks.push((Tok::End, text.len(), text.len()));
    Ok(Lexed { toks })
}

// ---------------------------------------------------------------- parsing and checking

struct Parser<'a> {
    toks: Vec<(Tok, usize, usize)>,
    pos: usize,
    issues: &'a [Issue],
    at: &'a dyn Fn(usize, usize) -> Span,
    warnings: Vec<Diagnostic>,
    depth: usize,
}

/// Parses and type-checks `text` against `issues`. `at` maps a byte range of
/// `text` to a span in the file. Returns the rule and any warnings, or the
/// first error.
pub fn parse_rule(
    text: &str,
    issues: &[Issue],
    at: &dyn Fn(usize, usize) -> Span,
) -> Result<(Expr, Vec<Diagnostic>), Diagnostic> {
    let lexed = lex(text, at)?;
    let mut p = Parser { toks: lexed.toks, pos: 0, issues, at, warnings: Vec::new(), depth: 0 };
    let expr = if p.peek() == &Tok::Never {
        p.pos += 1;
        Expr::Never(Box::new(p.implication()?))
    } else {
        p.implication()?
    };
    if p.peek() != &Tok::End {
        let help = if p.peek() == &Tok::Never {
            "`never` may only start a rule"
        } else if matches!(p.peek(), Tok::Arrow | Tok::DArrow) {
            "chains of -> are ambiguous; add parentheses"
        } else {
            "join conditions with `and`, `or`, `->` or `<->`"
        };
        return Err(p.error_here(format!("unexpected {} in rule", describe(p.peek())), help));
    }
    Ok((expr, p.warnings))
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn span_of(&self, idx: usize) -> Span {
        let (_, s, e) = &self.toks[idx];
        (self.at)(*s, *e)
    }
    fn error_here(&self, msg: String, help: &str) -> Diagnostic {
        Diagnostic::error("expr::syntax", self.span_of(self.pos), msg).with_help(help.to_string())
    }
    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), Diagnostic> {
        if *self.peek() == tok {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error_here(
                format!("expected {what}, found {}", describe(self.peek())),
                "check the rule's brackets and operators",
            ))
        }
    }

    fn implication(&mut self) -> Result<Expr, Diagnostic> {
        self.depth += 1;
        if self.depth > 64 {
            return Err(self.error_here("rule is nested too deeply".into(), "simplify the rule"));
        }
        let lhs = self.or()?;
        let out = match self.peek() {
            Tok::Arrow => {
                self.pos += 1;
                Expr::Implies(Box::new(lhs), Box::new(self.or()?))
            }
            Tok::DArrow => {
                self.pos += 1;
                Expr::Iff(Box::new(lhs), Box::new(self.or()?))
            }
            _ => lhs,
        };
        self.depth -= 1;
        Ok(out)
    }

    fn or(&mut self) -> Result<Expr, Diagnostic> {
        let mut lhs = self.and()?;
        while self.peek() == &Tok::Or {
            self.pos += 1;
            lhs = Expr::Or(Box::new(lhs), Box::new(self.and()?));
        }
        Ok(lhs)
    }

    fn and(&mut self) -> Result<Expr, Diagnostic> {
        let mut lhs = self.not()?;
        while self.peek() == &Tok::And {
            self.pos += 1;
            lhs = Expr::And(Box::new(lhs), Box::new(self.not()?));
        }
        Ok(lhs)
    }

    fn not(&mut self) -> Result<Expr, Diagnostic> {
        if self.peek() == &Tok::Not {
            self.pos += 1;
            self.depth += 1;
            if self.depth > 64 {
                return Err(self.error_here("rule is nested too deeply".into(), "simplify the rule"));
            }
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, Diagnostic> {
        match self.peek().clone() {
            Tok::LParen => {
                self.pos += 1;
                let e = self.implication()?;
                self.expect(Tok::RParen, "`)`")?;
                Ok(e)
            }
            Tok::True | Tok::False => {
                let b = self.peek() == &Tok::True;
                self.pos += 1;
                if let Tok::Op(_) = self.peek() {
                    return Err(self.error_here(
                        "booleans cannot be compared".into(),
                        "compare an issue with a value, e.g. treaty == \"yes\"",
                    ));
                }
                Ok(Expr::Const(b))
            }
            Tok::Ident(_) | Tok::Str(_) | Tok::Num(..) => self.comparison(),
            Tok::Never => Err(self.error_here(
                "`never` may only start a rule".into(),
                "write `never (...)` as the whole rule, or use `not` inside it",
            )),
            _ => Err(self.error_here(
                format!("expected a condition, found {}", describe(self.peek())),
                "a condition compares an issue with a value, e.g. sanctions == \"lifted\"",
            )),
        }
    }

    fn issue_ref(&self, idx: usize) -> Result<usize, Diagnostic> {
        let Tok::Ident(name) = &self.toks[idx].0 else { unreachable!() };
        match self.issues.iter().position(|i| &i.id == name) {
            Some(i) => Ok(i),
            None => {
                let mut d = Diagnostic::error(
                    "scenario::unknown-issue",
                    self.span_of(idx),
                    format!("no issue is named `{name}`"),
                )
                .with_label("unknown issue");
                let names: Vec<&str> = self.issues.iter().map(|i| i.id.as_str()).collect();
                d.help = Some(match did_you_mean(name, &names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("issues are: {}", names.join(", ")),
                });
                Err(d)
            }
        }
    }

    fn comparison(&mut self) -> Result<Expr, Diagnostic> {
        let left = self.pos;
        self.pos += 1;
        match self.peek().clone() {
            Tok::Op(op) => {
                self.pos += 1;
                let right = self.pos;
                if !matches!(self.peek(), Tok::Ident(_) | Tok::Str(_) | Tok::Num(..)) {
                    return Err(self.error_here(
                        format!("expected a value after the comparison, found {}", describe(self.peek())),
                        "compare with an option label in quotes or a number",
                    ));
                }
                self.pos += 1;
                let (issue_tok, lit_tok, op) = match (&self.toks[left].0, &self.toks[right].0) {
                    (Tok::Ident(_), Tok::Ident(_)) => {
                        return Err(Diagnostic::error(
                            "expr::type",
                            (self.at)(self.toks[left].1, self.toks[right].2),
                            "rules compare an issue with a value, not two issues",
                        )
                        .with_help("quote option labels: write issue == \"label\""));
                    }
                    (Tok::Ident(_), _) => (left, right, op),
                    (_, Tok::Ident(_)) => (right, left, op.flipped()),
                    _ => {
                        return Err(Diagnostic::error(
                            "expr::type",
                            (self.at)(self.toks[left].1, self.toks[right].2),
                            "a comparison needs an issue on one side",
                        )
                        .with_help("write issue == \"label\" or issue >= 3"));
                    }
                };
                let issue = self.issue_ref(issue_tok)?;
                let value = self.literal(issue, lit_tok, op.is_order())?;
                self.check_order(issue, op, issue_tok)?;
                Ok(Expr::Cmp { issue, op, value })
            }
            Tok::In | Tok::Not if matches!(self.toks[left].0, Tok::Ident(_)) => {
                let negated = self.peek() == &Tok::Not;
                if negated {
                    self.pos += 1;
                    if self.peek() != &Tok::In {
                        return Err(self.error_here(
                            format!("expected `in` after `not`, found {}", describe(self.peek())),
                            "write issue not in [\"a\", \"b\"]",
                        ));
                    }
                }
                self.pos += 1;
                let issue = self.issue_ref(left)?;
                self.expect(Tok::LBracket, "`[`")?;
                let mut values = Vec::new();
                loop {
                    if !matches!(self.peek(), Tok::Str(_) | Tok::Num(..) | Tok::Ident(_)) {
                        return Err(self.error_here(
                            format!("expected a value in the list, found {}", describe(self.peek())),
                            "list option labels in quotes or numbers",
                        ));
                    }
                    values.push(self.literal(issue, self.pos, false)?);
                    self.pos += 1;
                    match self.peek() {
                        Tok::Comma => self.pos += 1,
                        Tok::RBracket => {
                            self.pos += 1;
                            break;
                        }
                        _ => {
                            return Err(self.error_here(
                                format!("expected `,` or `]`, found {}", describe(self.peek())),
                                "separate list values with commas",
                            ))
                        }
                    }
                }
                let e = Expr::In { issue, values };
                Ok(if negated { Expr::Not(Box::new(e)) } else { e })
            }
            _ => match &self.toks[left].0 {
                Tok::Ident(_) => {
                    let issue = self.issue_ref(left)?;
                    self.boolean_issue(issue, left)
                }
                _ => Err(Diagnostic::error("expr::type", self.span_of(left), "a value on its own is not a condition")
                    .with_help("compare it with an issue, e.g. issue == \"label\"")),
            },
        }
    }

    /// A bare issue name stands for `issue == "yes"` on a yes/no issue.
    fn boolean_issue(&self, issue: usize, tok: usize) -> Result<Expr, Diagnostic> {
        if let Domain::Discrete { options, .. } = &self.issues[issue].domain {
            let mut sorted: Vec<&str> = options.iter().map(String::as_str).collect();
            sorted.sort_unstable();
            if sorted == ["no", "yes"] || sorted == ["false", "true"] {
                let yes = options.iter().position(|o| o == "yes" || o == "true").unwrap_or(0);
                return Ok(Expr::Cmp { issue, op: CmpOp::Eq, value: Value::Option(yes) });
            }
        }
        Err(Diagnostic::error(
            "expr::type",
            self.span_of(tok),
            format!("issue `{}` is not a yes/no issue, so it cannot stand alone as a condition", self.issues[issue].id),
        )
        .with_help(format!(
            "compare it with a value, e.g. {} == {}",
            self.issues[issue].id,
            example_value(&self.issues[issue].domain)
        )))
    }

    fn check_order(&self, issue: usize, op: CmpOp, tok: usize) -> Result<(), Diagnostic> {
        if op.is_order() {
            if let Domain::Discrete { ordered: false, .. } = self.issues[issue].domain {
                return Err(Diagnostic::error(
                    "expr::type",
                    self.span_of(tok),
                    format!("issue `{}` has unordered options, so `<` and `>` do not apply", self.issues[issue].id),
                )
                .with_help("use == or `in [...]`, or declare `ordered = true` on the issue"));
            }
        }
        Ok(())
    }

    fn literal(&mut self, issue: usize, tok: usize, _order: bool) -> Result<Value, Diagnostic> {
        let domain = &self.issues[issue].domain;
        let id = &self.issues[issue].id;
        let span = self.span_of(tok);
        match (&self.toks[tok].0, domain) {
            (Tok::Str(label), Domain::Discrete { options, .. }) => match options.iter().position(|o| o == label) {
                Some(i) => Ok(Value::Option(i)),
                None => {
                    let names: Vec<&str> = options.iter().map(String::as_str).collect();
                    Err(Diagnostic::error(
                        "scenario::unknown-option",
                        span,
                        format!("`{label}` is not an option of issue `{id}`"),
                    )
                    .with_label("unknown option")
                    .with_help(match did_you_mean(label, &names) {
                        Some(s) => format!("did you mean \"{s}\"?"),
                        None => format!("options are: {}", names.join(", ")),
                    }))
                }
            },
            (Tok::Ident(word), Domain::Discrete { options, .. }) => {
                let hint = if options.iter().any(|o| o == word) {
                    format!("put the option label in quotes: \"{word}\"")
                } else {
                    format!("compare with a quoted option label, e.g. {id} == {}", example_value(domain))
                };
                Err(Diagnostic::error(
                    "expr::type",
                    span,
                    format!("`{word}` is a name, but issue `{id}` takes option labels"),
                )
                .with_help(hint))
            }
            (Tok::Num(..), Domain::Discrete { .. }) => Err(Diagnostic::error(
                "expr::type",
                span,
                format!("issue `{id}` is discrete; compare it with an option label, not a number"),
            )
            .with_help(format!("e.g. {id} == {}", example_value(domain)))),
            (Tok::Num(v, is_int), Domain::Integer { min, max, .. }) => {
                if *v < *min as f64 || *v > *max as f64 {
                    self.warnings.push(
                        Diagnostic::warning(
                            "scenario::out-of-range",
                            span,
                            format!(
                                "{v} lies outside issue `{id}`'s range {min}..={max}, so this comparison never changes"
                            ),
                        )
                        .with_help("check the number or the issue's range"),
                    );
                }
                Ok(if *is_int { Value::Int(*v as i64) } else { Value::Real(*v) })
            }
            (Tok::Num(v, _), Domain::Continuous { min, max, .. }) => {
                if *v < *min || *v > *max {
                    self.warnings.push(
                        Diagnostic::warning(
                            "scenario::out-of-range",
                            span,
                            format!(
                                "{v} lies outside issue `{id}`'s range {min}..={max}, so this comparison never changes"
                            ),
                        )
                        .with_help("check the number or the issue's range"),
                    );
                }
                Ok(Value::Real(*v))
            }
            (_, _) => Err(Diagnostic::error(
                "expr::type",
                span,
                format!("issue `{id}` is {}; compare it with a number", domain.kind_name()),
            )
            .with_help(format!("e.g. {id} >= {}", example_value(domain)))),
        }
    }
}

fn example_value(domain: &Domain) -> String {
    match domain {
        Domain::Discrete { options, .. } => format!("\"{}\"", options.first().map(String::as_str).unwrap_or("label")),
        Domain::Integer { min, .. } => min.to_string(),
        Domain::Continuous { min, .. } => min.to_string(),
    }
}

// ---------------------------------------------------------------- satisfiability

/// Most combinations [`satisfiable`] tries before giving up (and answering
/// "probably satisfiable").
const MAX_COMBINATIONS: usize = 200_000;

/// Whether some outcome satisfies every rule in `rules`. Exact: each rule's
/// truth depends only on which side of its literals a value falls, so it
/// suffices to try every option, and for numbers each literal, the ends of the
/// range and one point between neighbours. `None` when that is too many.
pub fn satisfiable(rules: &[&Expr], issues: &[Issue]) -> Option<bool> {
    let mut used: Vec<usize> = rules.iter().flat_map(|r| r.issues()).collect();
    used.sort_unstable();
    used.dedup();
    let mut candidates: Vec<Vec<Value>> = Vec::with_capacity(used.len());
    let mut total: usize = 1;
    for &i in &used {
        let lits: Vec<f64> = rules.iter().flat_map(|r| r.literals_for(i)).collect();
        let c = candidate_values(&issues[i].domain, &lits);
        total = total.saturating_mul(c.len().max(1));
        if total > MAX_COMBINATIONS {
            return None;
        }
        candidates.push(c);
    }
    let mut outcome: Vec<Value> = issues.iter().map(|i| first_value(&i.domain)).collect();
    let mut idx = vec![0usize; used.len()];
    loop {
        for (k, &i) in used.iter().enumerate() {
            outcome[i] = candidates[k][idx[k]];
        }
        if rules.iter().all(|r| r.holds(&outcome)) {
            return Some(true);
        }
        let mut k = 0;
        loop {
            if k == idx.len() {
                return Some(false);
            }
            idx[k] += 1;
            if idx[k] < candidates[k].len() {
                break;
            }
            idx[k] = 0;
            k += 1;
        }
    }
}

fn first_value(domain: &Domain) -> Value {
    match domain {
        Domain::Discrete { .. } => Value::Option(0),
        Domain::Integer { min, .. } => Value::Int(*min),
        Domain::Continuous { min, .. } => Value::Real(*min),
    }
}

fn candidate_values(domain: &Domain, literals: &[f64]) -> Vec<Value> {
    match domain {
        Domain::Discrete { options, .. } => (0..options.len()).map(Value::Option).collect(),
        Domain::Integer { min, max, .. } => {
            let mut pts: Vec<i64> = vec![*min, *max];
            for &l in literals {
                let f = l.floor() as i64;
                for v in [f.saturating_sub(1), f, f.saturating_add(1), l.ceil() as i64] {
                    if (*min..=*max).contains(&v) {
                        pts.push(v);
                    }
                }
            }
            pts.sort_unstable();
            pts.dedup();
            pts.into_iter().map(Value::Int).collect()
        }
        Domain::Continuous { min, max, .. } => {
            let mut pts: Vec<f64> = vec![*min, *max];
            pts.extend(literals.iter().copied().filter(|l| (*min..=*max).contains(l)));
            pts.sort_by(f64::total_cmp);
            pts.dedup();
            let mut out = pts.clone();
            out.extend(pts.windows(2).map(|w| (w[0] + w[1]) / 2.0));
            out.into_iter().map(Value::Real).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues() -> Vec<Issue> {
        let issue = |id: &str, domain| Issue {
            id: id.into(),
            name: None,
            description: None,
            source: None,
            domain,
            condition: None,
        };
        vec![
            issue("treaty", Domain::Discrete { options: vec!["no".into(), "yes".into()], ordered: false }),
            issue(
                "islands",
                Domain::Discrete { options: vec!["none".into(), "two".into(), "four".into()], ordered: true },
            ),
            issue("aid", Domain::Continuous { min: 0.0, max: 10.0, unit: None }),
            issue("bases", Domain::Discrete { options: vec!["allowed".into(), "banned".into()], ordered: false }),
        ]
    }

    fn parse(text: &str) -> Result<Expr, Diagnostic> {
        parse_rule(text, &issues(), &|s, e| Span::new(s, e)).map(|r| r.0)
    }

    #[test]
    fn kinds_follow_the_form() {
        assert_eq!(parse("never islands == \"four\"").unwrap().kind(), ConstraintKind::RedLine);
        assert_eq!(parse("islands != 'none' -> treaty").unwrap().kind(), ConstraintKind::Precondition);
        assert_eq!(parse("treaty <-> islands >= \"two\"").unwrap().kind(), ConstraintKind::Linkage);
        assert_eq!(parse("aid <= 5").unwrap().kind(), ConstraintKind::Requirement);
    }

    #[test]
    fn evaluates_with_precedence() {
        // not binds tighter than and, and tighter than or, or tighter than ->.
        let e = parse("not treaty or aid > 3 and bases == \"banned\" -> islands in [\"two\", \"four\"]").unwrap();
        let o = |t, i, a, b| vec![Value::Option(t), Value::Option(i), Value::Real(a), Value::Option(b)];
        assert!(e.holds(&o(1, 0, 0.0, 0))); // antecedent false
        assert!(!e.holds(&o(0, 0, 0.0, 0))); // not treaty -> islands must move
        assert!(e.holds(&o(1, 1, 5.0, 1)));
        assert!(!e.holds(&o(1, 0, 5.0, 1)));
    }

    #[test]
    fn literal_on_the_left_flips() {
        let e = parse("3 < aid").unwrap();
        assert_eq!(e, Expr::Cmp { issue: 2, op: CmpOp::Gt, value: Value::Real(3.0) });
    }

    #[test]
    fn errors_point_into_the_rule() {
        let d = parse("treaty == \"yes\" and islnds == \"two\"").unwrap_err();
        assert_eq!(d.code, "scenario::unknown-issue");
        assert_eq!(d.span, Some(Span::new(20, 26)));
        assert_eq!(d.help.as_deref(), Some("did you mean `islands`?"));
        let d = parse("islands == \"three\"").unwrap_err();
        assert_eq!(d.code, "scenario::unknown-option");
        let d = parse("bases < \"banned\"").unwrap_err();
        assert_eq!(d.code, "expr::type");
        let d = parse("aid == \"lots\"").unwrap_err();
        assert_eq!(d.code, "expr::type");
        let d = parse("islands").unwrap_err();
        assert_eq!(d.code, "expr::type");
        let d = parse("treaty && aid > 1").unwrap_err();
        assert_eq!(d.code, "expr::syntax");
        assert_eq!(d.help.as_deref(), Some("write `and` instead of `&&`"));
        let d = parse("treaty -> aid > 1 -> bases == 'banned'").unwrap_err();
        assert_eq!(d.code, "expr::syntax");
        let d = parse("(treaty").unwrap_err();
        assert_eq!(d.code, "expr::syntax");
        let d = parse("treaty and never aid > 1").unwrap_err();
        assert_eq!(d.code, "expr::syntax");
    }

    #[test]
    fn deep_rules_are_refused() {
        let text = format!("{}treaty{}", "(".repeat(500), ")".repeat(500));
        assert_eq!(parse(&text).unwrap_err().code, "expr::syntax");
        let text = format!("{}treaty", "not ".repeat(500));
        assert_eq!(parse(&text).unwrap_err().code, "expr::syntax");
    }

    #[test]
    fn satisfiability_is_exact_on_intervals() {
        let is = issues();
        let a = parse("aid > 3").unwrap();
        let b = parse("aid < 3.5").unwrap();
        let c = parse("aid <= 3").unwrap();
        assert_eq!(satisfiable(&[&a, &b], &is), Some(true));
        assert_eq!(satisfiable(&[&a, &c], &is), Some(false));
        let r = parse("never treaty").unwrap();
        let s = parse("treaty <-> islands == \"two\"").unwrap();
        let t = parse("islands == \"two\"").unwrap();
        assert_eq!(satisfiable(&[&r, &s], &is), Some(true));
        assert_eq!(satisfiable(&[&r, &s, &t], &is), Some(false));
    }
}
