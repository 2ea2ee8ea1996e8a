//! Saltelli's sampling scheme on a scrambled Sobol sequence.
//!
//! A base sequence of dimension `2D` gives two matrices, A (its first `D`
//! columns) and B (its last `D`). For every base row `i` the scheme lays out
//! `2D + 2` rows, in the order SALib's `sobol.sample` (`saltelli.sample`)
//! uses with `calc_second_order=True`:
//!
//! ```text
//! A_i, AB_i^1 … AB_i^D, BA_i^1 … BA_i^D, B_i
//! ```
//!
//! where `AB_i^j` is `A_i` with column `j` taken from `B_i`, and `BA_i^j` is
//! `B_i` with column `j` from `A_i`. N base rows give `N·(2D + 2)` rows.
//!
//! The Sobol sequence is `sobol_burley`'s: Joe and Kuo's direction numbers
//! (new-joe-kuo-6.21201), Owen-scrambled by hashing (Burley 2020, "Practical
//! Hash-based Owen Scrambling", JCGT 9(4)) with the seed choosing the
//! scramble, so `--seed` gives another, equally well spread sequence. It
//! supports up to 2¹⁶ base rows and 256 dimensions (128 judgements), and
//! yields `f32` values (24 bits, far finer than any judgement).

/// Most base rows the sequence supports.
pub const MAX_SAMPLES: usize = 1 << 16;
/// Most judgements (the base sequence has twice as many dimensions).
pub const MAX_JUDGEMENTS: usize = sobol_burley::NUM_DIMENSIONS as usize / 2;

/// Rows per base row for `n_judgements`: `2D + 2`.
pub fn rows_per_base(n_judgements: usize) -> usize {
    2 * n_judgements + 2
}

/// The 32-bit scramble seed of a 64-bit seed.
fn scramble_seed(seed: u64) -> u32 {
    (seed ^ (seed >> 32)) as u32
}

/// Base row `i` of the scrambled Sobol sequence in `dims` dimensions,
/// values in `[0, 1)`.
pub fn base_row(i: usize, dims: usize, seed: u64) -> Vec<f64> {
    let s = scramble_seed(seed);
    (0..dims).map(|d| f64::from(sobol_burley::sample(i as u32, d as u32, s))).collect()
}

/// Row `r` of Saltelli's layout (in unit values, one per judgement), for
/// `n_judgements` judgements.
pub fn saltelli_row(r: usize, n_judgements: usize, seed: u64) -> Vec<f64> {
    let d = n_judgements;
    let per = rows_per_base(d);
    let (i, k) = (r / per, r % per);
    let base = base_row(i, 2 * d, seed);
    let (a, b) = base.split_at(d);
    match k {
        0 => a.to_vec(),
        k if k <= d => {
            let mut row = a.to_vec();
            row[k - 1] = b[k - 1];
            row
        }
        k if k <= 2 * d => {
            let mut row = b.to_vec();
            row[k - 1 - d] = a[k - 1 - d];
            row
        }
        _ => b.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_follows_salib() {
        // D = 2: A, AB1, AB2, BA1, BA2, B.
        let seed = 7;
        let base = base_row(3, 4, seed);
        let (a, b) = (&base[..2], &base[2..]);
        let rows: Vec<Vec<f64>> = (18..24).map(|r| saltelli_row(r, 2, seed)).collect();
        assert_eq!(rows[0], a);
        assert_eq!(rows[1], vec![b[0], a[1]]);
        assert_eq!(rows[2], vec![a[0], b[1]]);
        assert_eq!(rows[3], vec![a[0], b[1]]);
        assert_eq!(rows[4], vec![b[0], a[1]]);
        assert_eq!(rows[5], b);
    }

    #[test]
    fn every_dimension_is_stratified() {
        // A scrambled Sobol sequence keeps the net property: the first 2^m
        // points put exactly one point in each of the 2^m equal intervals
        // of every dimension, for any seed.
        for seed in [0u64, 1, 99] {
            for d in 0..8 {
                let mut seen = [false; 64];
                for i in 0..64 {
                    let x = base_row(i, 8, seed)[d];
                    assert!((0.0..1.0).contains(&x));
                    let cell = (x * 64.0) as usize;
                    assert!(!seen[cell], "seed {seed} dimension {d}: two points in cell {cell}");
                    seen[cell] = true;
                }
            }
        }
        assert_ne!(base_row(5, 4, 1), base_row(5, 4, 2), "the seed changes the scramble");
        assert_eq!(base_row(5, 4, 1), base_row(5, 4, 1));
    }
}
