//! The options of KTAB's spatial model of politics, one enum per choice
//! KTAB leaves open (`SMPModel` parameters in KTAB's `smp.h` and `kmodel.h`),
//! and KTAB's published defaults ([`KtabConfig::default`]).

/// How an actor turns a difference in utility into a vote (KTAB
/// `VotingRule`). `w` is the voter's weight and `Δu` its difference in
/// utility between the two options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VotingRule {
    /// `w · clamp(Δu / 10⁻⁸, −1, 1)`: all or nothing, with a tiny linear
    /// ramp so that near-ties do not flip on rounding.
    Binary,
    /// `w · (0.8 Δu + 0.2 binary)`.
    PropBin,
    /// `w · Δu` (KTAB's default).
    Proportional,
    /// `w · (0.5 Δu + 0.5 Δu³)`.
    PropCubic,
    /// `w · Δu³`.
    Cubic,
    /// `w · Δu` for losses, `⅔ w · Δu` for gains (prospect-theory asymmetry).
    AsymmetricProspect,
}

/// How coalition strengths become a probability of victory (KTAB
/// `VPModel`): `P[1 > 2] = f(s₁) / (f(s₁) + f(s₂))`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VictoryProbability {
    /// `f(s) = s` (KTAB's default).
    Linear,
    /// `f(s) = s²`.
    Square,
    /// `f(s) = s⁴`.
    Quartic,
    /// `f(s) = s⁸`.
    Octic,
    /// Certain victory with a 10% advantage, linear in between.
    Binary,
}

/// How pairwise victory probabilities become one probability per option
/// (KTAB `PCEModel`, "probabilistic Condorcet election").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PceModel {
    /// `pᵢ ∝ Πⱼ P[i > j]`: the probability that option `i` beats every
    /// option, given that one does (KTAB's default).
    Conditional,
    /// A Markov chain of challenges, each option challenging the favourite
    /// in proportion to its incentive (coalition strength × victory
    /// probability).
    MarkovIncentive,
    /// A Markov chain of challenges, every option challenging with equal
    /// probability.
    MarkovUniform,
}

/// How an actor picks among the bargains it is party to (KTAB
/// `StateTransMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateTransitions {
    /// The most probable bargain; ties go to the first (KTAB's default).
    Deterministic,
    /// A bargain drawn with its probability. Each actor's draw in each turn
    /// comes from its own generator, seeded from `(seed, turn, actor)`, so
    /// a seed reproduces a run exactly (KTAB's own generator is not
    /// reproduced: the same seed gives other draws than KTAB).
    Stochastic {
        /// The seed.
        seed: u64,
    },
}

/// The range of the risk attitudes `R` inferred from how likely each
/// actor's position is to win (KTAB `BigRRange`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RiskRange {
    /// `R ∈ [0, 1]`.
    Min,
    /// `R ∈ [−½, 1]` (KTAB's default).
    Mid,
    /// `R ∈ [−1, 1]`.
    Max,
}

/// How actor `h` estimates actor `i`'s risk attitude, anchoring on its
/// own (KTAB `BigRAdjust`): `r̂ₕᵢ = (1 − a) rₕ + a rᵢ`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RiskAdjust {
    /// `a = 1`: `i`'s true attitude.
    Full,
    /// `a = ⅔`.
    TwoThirds,
    /// `a = ½`.
    Half,
    /// `a = ⅓` (KTAB's default).
    OneThird,
    /// `a = 0`: `h` projects its own attitude.
    None,
}

/// How firmly a third party joins the side it supports in a challenge
/// (KTAB `ThirdPartyCommit`): the positions it expects to hold when its
/// side wins or loses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThirdPartyCommit {
    /// It adopts the position of the side it joined, win or lose.
    Full,
    /// It keeps its own position when its side wins and adopts the
    /// winner's when its side loses (KTAB's default).
    Semi,
    /// It keeps its own position either way.
    No,
}

/// How the two parties of a bargain split the difference on each
/// dimension (KTAB `InterVecBrgn`); `sᵢ` is a party's salience on the
/// dimension and `pᵢ` its probability of winning the challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interpolation {
    /// Weights `sᵢ pᵢ`.
    S1P1,
    /// Weights `sᵢ² pᵢ²` (KTAB's default).
    S2P2,
    /// Each side concedes in proportion to its opponent's advantage
    /// `max(0, pⱼ − pᵢ)`, weighted by squared saliences.
    S2PMax,
}

/// Whose view of a challenge shapes the bargain offered (KTAB
/// `SMPBargnModel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BargainModel {
    /// The initiator interpolates with its own estimate of its chance; both
    /// parties get that one bargain (KTAB's default, `InitOnlyInterp`).
    InitiatorOnly,
    /// The initiator and the target each interpolate with their own
    /// estimate; both bargains go to both parties (`InitRcvrInterp`).
    InitiatorReceiver,
    /// The capability × salience weighted mean of the two bargains
    /// (`PWCompInterp`).
    PowerWeighted,
}

/// When a run stops (KTAB's `smpStopFn`): after turn `max_turns`, or after
/// a turn `t ≥ min_turns` whose movement is below `ratio` × the first
/// turn's (plus `floor`, so that a first turn without movement does not
/// divide by zero).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stopping {
    /// The first turn after which a run may stop early (KTAB: 2).
    pub min_turns: usize,
    /// The most turns played (KTAB: 100).
    pub max_turns: usize,
    /// The relative movement under which the run stops (KTAB: 0.02).
    pub ratio: f64,
    /// Added to the first turn's movement (KTAB: 10⁻⁴).
    pub floor: f64,
}

/// Every option of the model. [`Default`] gives KTAB's published defaults
/// (`smpc`'s "Model Parameters" in its reference logs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KtabConfig {
    /// How actors vote on positions and on bargains.
    pub voting: VotingRule,
    /// How coalition strengths become probabilities of victory.
    pub victory: VictoryProbability,
    /// How pairwise probabilities become probabilities of options.
    pub pce: PceModel,
    /// How an actor picks a bargain.
    pub transitions: StateTransitions,
    /// The range of the inferred risk attitudes.
    pub risk_range: RiskRange,
    /// How actors estimate each other's risk attitudes.
    pub risk_adjust: RiskAdjust,
    /// How third parties commit to a side.
    pub third_party: ThirdPartyCommit,
    /// How bargains split the difference.
    pub interpolation: Interpolation,
    /// Whose view shapes a bargain.
    pub bargaining: BargainModel,
    /// When a run stops.
    pub stopping: Stopping,
}

impl Default for KtabConfig {
    /// Proportional voting, linear victory probability, conditional PCE,
    /// deterministic transitions, "mid" risk range, one-third risk
    /// adjustment, semi-committed third parties, S2P2 interpolation,
    /// initiator-only bargains; stop when the movement falls under 0.02 of
    /// the first turn's after turn 2, at most 100 turns.
    fn default() -> KtabConfig {
        KtabConfig {
            voting: VotingRule::Proportional,
            victory: VictoryProbability::Linear,
            pce: PceModel::Conditional,
            transitions: StateTransitions::Deterministic,
            risk_range: RiskRange::Mid,
            risk_adjust: RiskAdjust::OneThird,
            third_party: ThirdPartyCommit::Semi,
            interpolation: Interpolation::S2P2,
            bargaining: BargainModel::InitiatorOnly,
            stopping: Stopping { min_turns: 2, max_turns: 100, ratio: 0.02, floor: 1e-4 },
        }
    }
}
