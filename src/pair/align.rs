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

/// The cheapest alignment of lists of `n` and `m` items, where pairing item
/// `i` of the first with item `j` of the second costs `cost(i, j)` (capped
/// at [`MAX_PAIR`]). On a tie, pairing wins.
pub(super) fn align(n: usize, m: usize, cost: impl Fn(usize, usize) -> u32) -> Vec<Step> {
    // best[i][j]: the cost of aligning the first i and j items.
    let mut best = vec![vec![0u32; m + 1]; n + 1];
    for i in 0..=n {
        for j in 0..=m {
            best[i][j] = match (i, j) {
                (0, 0) => 0,
                (0, _) => best[0][j - 1] + GAP,
                (_, 0) => best[i - 1][0] + GAP,
                _ => (best[i - 1][j - 1] + cost(i - 1, j - 1).min(MAX_PAIR))
                    .min(best[i - 1][j] + GAP)
                    .min(best[i][j - 1] + GAP),
            };
        }
    }
    let mut steps = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && best[i][j] == best[i - 1][j - 1] + cost(i - 1, j - 1).min(MAX_PAIR) {
            steps.push(Step::Pair(i - 1, j - 1));
            (i, j) = (i - 1, j - 1);
        } else if i > 0 && best[i][j] == best[i - 1][j] + GAP {
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
    fn a_shift_at_both_ends_is_found_in_lists_of_one_length() {
        // The first item dropped and a new last one added: two gaps explain
        // it better than four paired items that all differ.
        assert_eq!(
            numbers(&[1, 2, 3, 4], &[2, 3, 4, 5]),
            [OnlyFirst(0), Pair(1, 0), Pair(2, 1), Pair(3, 2), OnlySecond(3)]
        );
    }
}
