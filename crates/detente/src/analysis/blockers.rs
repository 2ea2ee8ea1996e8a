//! Why no deal, and what would open one: minimal sets of relaxations.
//!
//! The pass groups outcomes by their [`Signature`] — which constraints they
//! violate and which required actors reject them. A set of relaxations opens
//! a deal when it covers some signature completely. Sets are tried smallest
//! first, and a set that contains a smaller opening set is skipped, so every
//! reported set is minimal.

use std::collections::BTreeMap;

use super::model::{Group, Signature};

/// One change to the scenario that removes a reason for rejection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relaxation {
    /// The constraint (by index) is dropped.
    DropConstraint(usize),
    /// The actor (by index) accepts less: its reservation value is lowered.
    LowerReservation(usize),
    /// The actor (by index) is no longer needed as a ratifier.
    RemoveRatifier(usize),
    /// The actor (by index) loses its vetoes.
    RemoveVeto(usize),
}

/// Facts about the scenario the search needs.
#[derive(Clone, Debug)]
pub struct Roles {
    /// Bit mask of parties.
    pub parties: u64,
    /// Bit mask of actors required as ratifiers.
    pub ratifiers: u64,
}

/// Whether relaxing `set` clears every reason in `sig`.
pub fn covers(set: &[Relaxation], sig: &Signature, roles: &Roles) -> bool {
    let dropped: u64 = set.iter().map(|r| if let Relaxation::DropConstraint(c) = r { 1 << c } else { 0 }).sum();
    if sig.constraints & !dropped != 0 {
        return false;
    }
    (0..64).filter(|a| sig.rejecters & (1u64 << a) != 0).all(|a| {
        if set.contains(&Relaxation::LowerReservation(a)) {
            return true;
        }
        let bit = 1u64 << a;
        if roles.parties & bit != 0 {
            return false;
        }
        let ratifier_ok = roles.ratifiers & bit == 0 || set.contains(&Relaxation::RemoveRatifier(a));
        let veto_ok = sig.veto_required & bit == 0 || set.contains(&Relaxation::RemoveVeto(a));
        // An actor required only as ratifier is cleared by removing that
        // role; one required only by a veto, by removing the veto.
        ratifier_ok && veto_ok && (roles.ratifiers & bit != 0 || sig.veto_required & bit != 0)
    })
}

/// The candidate relaxations that could matter for the blocked signatures.
fn atoms(groups: &BTreeMap<Signature, Group>) -> Vec<Relaxation> {
    let mut c = 0u64;
    let mut r = 0u64;
    let mut v = 0u64;
    for sig in groups.keys() {
        c |= sig.constraints;
        r |= sig.rejecters;
        v |= sig.veto_required;
    }
    let mut out = Vec::new();
    for k in 0..64 {
        if c & (1 << k) != 0 {
            out.push(Relaxation::DropConstraint(k));
        }
    }
    // Lowering an actor's reservation clears every rejection by that actor,
    // so removing its ratifier role or veto is never a smaller change; those
    // are reported as alternatives ([`alternatives`]), not searched.
    let _ = v;
    for a in 0..64 {
        if r & (1u64 << a) != 0 {
            out.push(Relaxation::LowerReservation(a));
        }
    }
    out
}

/// Other relaxations that would do what lowering `actor`'s reservation does
/// for the signatures `opens`: removing its ratifier role when it rejects
/// them only as a ratifier, or its veto when it rejects them only by veto.
pub fn alternatives(actor: usize, opens: &[Signature], roles: &Roles) -> Vec<Relaxation> {
    let bit = 1u64 << actor;
    if roles.parties & bit != 0 {
        return Vec::new();
    }
    let rejecting: Vec<&Signature> = opens.iter().filter(|s| s.rejecters & bit != 0).collect();
    let by_veto = rejecting.iter().any(|s| s.veto_required & bit != 0);
    let as_ratifier = roles.ratifiers & bit != 0;
    match (as_ratifier, by_veto) {
        (true, false) => vec![Relaxation::RemoveRatifier(actor)],
        (false, true) => vec![Relaxation::RemoveVeto(actor)],
        _ => Vec::new(),
    }
}

/// A minimal opening set and the signatures it opens.
#[derive(Clone, Debug)]
pub struct Found {
    /// The relaxations.
    pub set: Vec<Relaxation>,
    /// Signatures of the outcomes it makes acceptable.
    pub opens: Vec<Signature>,
}

/// All minimal relaxation sets of at most `max_size` elements, smallest
/// first, at most `limit` of them.
pub fn minimal_sets(groups: &BTreeMap<Signature, Group>, roles: &Roles, max_size: usize, limit: usize) -> Vec<Found> {
    let atoms = atoms(groups);
    let blocked: Vec<&Signature> = groups.keys().filter(|s| !s.is_clear()).collect();
    let mut found: Vec<Found> = Vec::new();
    let mut set: Vec<usize> = Vec::new();
    for size in 1..=max_size.min(atoms.len()) {
        combinations(atoms.len(), size, &mut set, 0, &mut |idx| {
            if found.len() >= limit {
                return;
            }
            let candidate: Vec<Relaxation> = idx.iter().map(|&i| atoms[i]).collect();
            if found.iter().any(|f| f.set.iter().all(|r| candidate.contains(r))) {
                return;
            }
            let opens: Vec<Signature> = blocked.iter().filter(|s| covers(&candidate, s, roles)).map(|s| **s).collect();
            if !opens.is_empty() {
                found.push(Found { set: candidate, opens });
            }
        });
    }
    found
}

fn combinations(n: usize, k: usize, cur: &mut Vec<usize>, start: usize, f: &mut impl FnMut(&[usize])) {
    if cur.len() == k {
        f(cur);
        return;
    }
    for i in start..n {
        if n - i < k - cur.len() {
            break;
        }
        cur.push(i);
        combinations(n, k, cur, i + 1, f);
        cur.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group() -> Group {
        Group { count: 1, best: (0.0, 0), actor_best: vec![(0.0, 0); 4], best_nash: None }
    }

    fn sig(c: u64, r: u64, v: u64) -> Signature {
        Signature { constraints: c, rejecters: r, veto_required: v }
    }

    #[test]
    fn finds_minimal_sets_smallest_first() {
        // Actors: 0, 1 parties; 2 ratifier of 0; 3 veto holder.
        let roles = Roles { parties: 0b0011, ratifiers: 0b0100 };
        let mut groups = BTreeMap::new();
        groups.insert(sig(0b01, 0, 0), group()); // needs constraint 0 dropped
        groups.insert(sig(0b10, 0b0100, 0), group()); // constraint 1 and ratifier 2
        groups.insert(sig(0, 0b0011, 0), group()); // both parties
        let found = minimal_sets(&groups, &roles, 3, 100);
        let sets: Vec<Vec<Relaxation>> = found.iter().map(|f| f.set.clone()).collect();
        use Relaxation::*;
        assert_eq!(sets[0], vec![DropConstraint(0)]);
        assert!(sets.contains(&vec![DropConstraint(1), LowerReservation(2)]));
        assert!(!sets.iter().flatten().any(|r| matches!(r, RemoveRatifier(_) | RemoveVeto(_))));
        let f = found.iter().find(|f| f.set == vec![DropConstraint(1), LowerReservation(2)]).unwrap();
        assert_eq!(alternatives(2, &f.opens, &roles), vec![RemoveRatifier(2)]);
        assert_eq!(alternatives(0, &f.opens, &roles), vec![]);
        assert!(sets.contains(&vec![LowerReservation(0), LowerReservation(1)]));
        // No set contains another.
        for a in &sets {
            for b in &sets {
                if a != b {
                    assert!(!a.iter().all(|r| b.contains(r)), "{a:?} ⊂ {b:?}");
                }
            }
        }
    }

    #[test]
    fn parties_cannot_be_unratified() {
        let roles = Roles { parties: 0b1, ratifiers: 0 };
        assert!(!covers(&[Relaxation::RemoveRatifier(0)], &sig(0, 1, 0), &roles));
        assert!(covers(&[Relaxation::LowerReservation(0)], &sig(0, 1, 0), &roles));
    }

    #[test]
    fn veto_holders_need_their_veto_removed() {
        let roles = Roles { parties: 0b1, ratifiers: 0 };
        assert!(covers(&[Relaxation::RemoveVeto(3)], &sig(0, 0b1000, 0b1000), &roles));
        assert!(!covers(&[Relaxation::RemoveRatifier(3)], &sig(0, 0b1000, 0b1000), &roles));
    }
}
