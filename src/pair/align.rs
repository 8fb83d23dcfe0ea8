//! Aligning two lists that should match one to one, such as the paragraphs
//! of an area in English and in Welsh, when one may have lost or gained an
//! item.
//!
//! Reporting every paragraph after a dropped one as different would bury
//! the one real difference, so the lists are aligned first, as a diff
//! aligns lines: the cheapest way to pair items in order, where pairing two
//! items costs what their difference says and leaving one out costs a fixed
//! amount. Pairing is never dearer than leaving out one item of each list,
//! so lists of the same length pair one to one unless a shift explains them
//! better.

/// One step of an alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// The first list's item `.0` is the second list's `.1`.
    Pair(usize, usize),
    /// An item of the first list that the second lacks.
    OnlyFirst(usize),
    /// An item of the second list that the first lacks.
    OnlySecond(usize),
}

/// What leaving an item out costs.
pub(super) const GAP: u32 = 30;

/// The most that pairing two items may cost: less than two gaps.
pub(super) const MAX_PAIR: u32 = 2 * GAP - 1;

/// How far from the diagonal an alignment may stray, beyond the
/// difference in length: a pair of files whose lists are shifted by more
/// than this many items is not one letter in two languages. It keeps the
/// work and memory linear in the lists' length (two lists of 8,000 items
/// would otherwise score 64 million pairings).
const BAND: usize = 32;

/// The cheapest alignment of lists of `n` and `m` items, where pairing item
/// `i` of the first with item `j` of the second costs `cost(i, j)` (capped
/// at [`MAX_PAIR`]). On a tie, pairing wins. Only alignments within
/// [`BAND`] items of the diagonal are tried.
pub(super) fn align(n: usize, m: usize, cost: impl Fn(usize, usize) -> u32) -> Vec<Step> {
    let width = n.abs_diff(m) + BAND;
    let band = Band { width, m };
    // best[i][j - lo(i)]: the cost of aligning the first i and j items.
    const FAR: u32 = u32::MAX / 4;
    let mut best: Vec<Vec<u32>> = Vec::with_capacity(n + 1);
    let at = |best: &Vec<Vec<u32>>, i: usize, j: usize| -> u32 {
        match band.slot(i, j) {
            Some(k) => best[i][k],
            None => FAR,
        }
    };
    for i in 0..=n {
        let (lo, hi) = band.range(i);
        let mut row = vec![FAR; hi - lo + 1];
        for j in lo..=hi {
            row[j - lo] = match (i, j) {
                (0, 0) => 0,
                (0, _) => row[j - 1 - lo] + GAP,
                (_, 0) => at(&best, i - 1, 0) + GAP,
                _ => {
                    let left = if j > lo { row[j - 1 - lo] } else { FAR };
                    (at(&best, i - 1, j - 1) + cost(i - 1, j - 1).min(MAX_PAIR))
                        .min(at(&best, i - 1, j) + GAP)
                        .min(left + GAP)
                }
            };
        }
        best.push(row);
    }
    let mut steps = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let here = at(&best, i, j);
        if i > 0 && j > 0 && here == at(&best, i - 1, j - 1) + cost(i - 1, j - 1).min(MAX_PAIR) {
            steps.push(Step::Pair(i - 1, j - 1));
            (i, j) = (i - 1, j - 1);
        } else if i > 0 && here == at(&best, i - 1, j) + GAP {
            steps.push(Step::OnlyFirst(i - 1));
            i -= 1;
        } else {
            steps.push(Step::OnlySecond(j - 1));
            j -= 1;
        }
    }
    steps.reverse();
    steps
}

/// The cells of the alignment table within the band.
struct Band {
    width: usize,
    m: usize,
}

impl Band {
    /// The columns of row `i`.
    fn range(&self, i: usize) -> (usize, usize) {
        (i.saturating_sub(self.width), (i + self.width).min(self.m))
    }

    /// Where column `j` of row `i` is kept, if it is in the band.
    fn slot(&self, i: usize, j: usize) -> Option<usize> {
        let (lo, hi) = self.range(i);
        (lo..=hi).contains(&j).then(|| j - lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Step::*;

    /// Aligns lists of numbers: equal numbers pair for nothing.
    fn numbers(a: &[u32], b: &[u32]) -> Vec<Step> {
        align(a.len(), b.len(), |i, j| if a[i] == b[j] { 0 } else { 20 })
    }

    #[test]
    fn lists_of_one_length_pair_one_to_one() {
        assert_eq!(numbers(&[1, 2, 3], &[1, 5, 3]), [Pair(0, 0), Pair(1, 1), Pair(2, 2)]);
        assert_eq!(numbers(&[], &[]), []);
    }

    #[test]
    fn a_dropped_item_is_one_gap_and_the_rest_still_pair() {
        assert_eq!(
            numbers(&[1, 2, 3, 4], &[1, 3, 4]),
            [Pair(0, 0), OnlyFirst(1), Pair(2, 1), Pair(3, 2)]
        );
        assert_eq!(numbers(&[1, 2], &[2]), [OnlyFirst(0), Pair(1, 0)]);
        assert_eq!(numbers(&[7], &[]), [OnlyFirst(0)]);
    }

    #[test]
    fn an_added_item_is_one_gap() {
        assert_eq!(numbers(&[1, 3], &[1, 2, 3]), [Pair(0, 0), OnlySecond(1), Pair(1, 2)]);
    }

    #[test]
    fn long_lists_align_in_linear_work() {
        let a: Vec<u32> = (0..8000).collect();
        let mut b = a.clone();
        b.remove(4000);
        let calls = std::cell::Cell::new(0usize);
        let steps = align(a.len(), b.len(), |i, j| {
            calls.set(calls.get() + 1);
            if a[i] == b[j] { 0 } else { 20 }
        });
        assert_eq!(steps.iter().filter(|s| matches!(s, OnlyFirst(4000))).count(), 1);
        assert_eq!(steps.len(), 8000);
        assert!(calls.get() < 8000 * 100, "{} pairings scored", calls.get());
    }

    #[test]
    fn a_shift_at_both_ends_is_found_in_lists_of_one_length() {
        // The first item dropped and a new last one added: two gaps explain
        // it better than four paired items that all differ.
        assert_eq!(
            numbers(&[1, 2, 3, 4], &[2, 3, 4, 5]),
            [OnlyFirst(0), Pair(1, 0), Pair(2, 1), Pair(3, 2), OnlySecond(3)]
        );
    }
}
