//! Case-key candidates: the columns, alone or in pairs, whose cells are filled and unique in every
//! sampled row. Rows repeated whole are counted once first, as the reader does (a duplicate).

use std::collections::HashSet;

/// The sampled rows once rows repeated whole are folded: the index of the first of each.
pub(crate) fn distinct_rows(rows: &[Vec<String>]) -> Vec<usize> {
    let mut seen: HashSet<&[String]> = HashSet::new();
    (0..rows.len())
        .filter(|&index| seen.insert(rows[index].as_slice()))
        .collect()
}

/// Whether `columns` together identify each of `rows` (indices into `all`): every cell filled, no
/// two rows with the same cells.
pub(crate) fn unique_together(all: &[Vec<String>], rows: &[usize], columns: &[usize]) -> bool {
    let mut seen: HashSet<Vec<&str>> = HashSet::with_capacity(rows.len());
    for &row in rows {
        let key: Vec<&str> = columns
            .iter()
            .map(|&c| all[row].get(c).map_or("", String::as_str))
            .collect();
        if key.iter().any(|cell| cell.is_empty()) || !seen.insert(key) {
            return false;
        }
    }
    true
}

/// What the sample says about the case key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyCandidates {
    /// Rows once rows repeated whole are counted once.
    pub distinct_rows: usize,
    /// Rows repeated whole (duplicates).
    pub repeated: usize,
    /// Whether the case-number column alone is unique.
    pub case_no_unique: bool,
    /// Other single columns that are unique.
    pub singles: Vec<usize>,
    /// Pairs of columns unique together (searched when no single column is), those with the
    /// case-number column first; at most `MAX_PAIRS`.
    pub pairs: Vec<(usize, usize)>,
}

/// Pairs listed at most.
const MAX_PAIRS: usize = 3;

/// The key candidates among `columns` (in the order to prefer them), the case-number column
/// being `case_no`.
pub(crate) fn key_candidates(
    all: &[Vec<String>],
    case_no: Option<usize>,
    columns: &[usize],
) -> KeyCandidates {
    let rows = distinct_rows(all);
    let case_no_unique = case_no.is_some_and(|c| unique_together(all, &rows, &[c]));
    let mut candidates = KeyCandidates {
        distinct_rows: rows.len(),
        repeated: all.len() - rows.len(),
        case_no_unique,
        singles: Vec::new(),
        pairs: Vec::new(),
    };
    if case_no_unique || rows.is_empty() {
        return candidates;
    }
    candidates.singles = columns
        .iter()
        .copied()
        .filter(|&c| Some(c) != case_no && unique_together(all, &rows, &[c]))
        .collect();
    if !candidates.singles.is_empty() {
        return candidates;
    }
    let firsts: Vec<usize> = match case_no {
        Some(c) => vec![c],
        None => columns.to_vec(),
    };
    'search: for &first in &firsts {
        for &second in columns {
            if second == first || (case_no.is_none() && second < first) {
                continue;
            }
            if unique_together(all, &rows, &[first, second]) {
                candidates.pairs.push((first, second));
                if candidates.pairs.len() == MAX_PAIRS {
                    break 'search;
                }
            }
        }
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|row| row.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn a_pair_is_unique_where_neither_column_is_and_whole_repeats_count_once() {
        // numero, grau, orgao: the number repeats across instances; row 4 repeats row 1 whole.
        let all = rows(&[
            &["101", "G1", "A"],
            &["101", "G2", "B"],
            &["102", "G1", "A"],
            &["101", "G1", "A"],
            &["102", "G2", "B"],
        ]);
        assert_eq!(distinct_rows(&all), vec![0, 1, 2, 4]);
        let distinct = distinct_rows(&all);
        assert!(!unique_together(&all, &distinct, &[0]));
        assert!(unique_together(&all, &distinct, &[0, 1]));
        // Without folding the repeated row, no key is unique.
        assert!(!unique_together(&all, &[0, 1, 2, 3, 4], &[0, 1]));
        let found = key_candidates(&all, Some(0), &[1, 2]);
        assert_eq!(found.distinct_rows, 4);
        assert_eq!(found.repeated, 1);
        assert!(!found.case_no_unique);
        assert!(found.singles.is_empty());
        assert_eq!(found.pairs, vec![(0, 1), (0, 2)]);
    }

    #[test]
    fn an_empty_cell_is_no_key_and_a_unique_case_number_ends_the_search() {
        let all = rows(&[&["1", "x"], &["2", ""], &["3", "y"]]);
        let rows = distinct_rows(&all);
        assert!(!unique_together(&all, &rows, &[1]));
        let found = key_candidates(&all, Some(0), &[1]);
        assert!(found.case_no_unique);
        assert!(found.pairs.is_empty());
        let found = key_candidates(&all, None, &[0, 1]);
        assert_eq!(found.singles, vec![0]);
    }
}
