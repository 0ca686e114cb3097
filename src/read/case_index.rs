//! The row of every kept case, found by the hash of its case number: how reading tells a
//! repeated case number from a new one, and how appeals find the first-instance case they name.
//!
//! An open-addressing table of 8-byte slots (32 bits of the hash beside the row), probed
//! linearly. A look-up reads one slot and its neighbours, so one cache line; the stored case
//! number itself is compared only when those 32 bits agree.
// why not hashbrown: with tens of millions of cases every look-up misses the processor's caches
// twice (control bytes, then the slot), 12 % of a 10M-case report, and hashbrown has no way to
// say which memory a coming look-up will read. Here `prefetch` asks for it some rows ahead.

use crate::model::case_keys::prefetch;

/// A slot holding no row.
const EMPTY: u64 = u64::MAX;

/// Kept rows by the hash of their case number.
#[derive(Debug, Clone, Default)]
pub(super) struct CaseIndex {
    /// `(hash as u32) << 32 | row`, or `EMPTY`; the slot count is a power of two.
    slots: Vec<u64>,
    /// Rows held.
    len: usize,
}

impl CaseIndex {
    /// Where a probe for `hash` starts, as an index into the slots: rows looked up in this order
    /// read the table from one end to the other.
    pub(super) fn start(&self, hash: u64) -> usize {
        if self.slots.is_empty() {
            return 0;
        }
        // The top bits place the row; the low 32 are kept in the slot to compare.
        (hash >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    /// Ask the processor to fetch the slots a look-up of `hash` starts at.
    pub(super) fn prefetch(&self, hash: u64) {
        if let Some(slot) = self.slots.get(self.start(hash)) {
            prefetch(slot);
        }
    }

    /// The first row held under the 32 bits of `hash` a slot keeps: the row a look-up of `hash`
    /// most likely compares with, to prefetch what that comparison reads.
    pub(super) fn first_candidate(&self, hash: u64) -> Option<u32> {
        self.slots_from(hash)
            .take_while(|&slot| slot != EMPTY)
            .find(|&slot| slot >> 32 == hash & 0xFFFF_FFFF)
            .map(|slot| slot as u32)
    }

    /// The slots a look-up of `hash` reads, from its start round to it again.
    fn slots_from(&self, hash: u64) -> impl Iterator<Item = u64> + '_ {
        let start = self.start(hash);
        self.slots[start..]
            .iter()
            .chain(&self.slots[..start])
            .copied()
    }

    /// The row held for `hash` for which `is_case(row)` holds.
    pub(super) fn find(&self, hash: u64, is_case: impl Fn(u32) -> bool) -> Option<u32> {
        self.slots_from(hash)
            .take_while(|&slot| slot != EMPTY)
            .find(|&slot| slot >> 32 == hash & 0xFFFF_FFFF && is_case(slot as u32))
            .map(|slot| slot as u32)
    }

    /// The row held for `hash` for which `is_case(row)` holds; when there is none, `row` is
    /// added under `hash` and `None` returned. `hash_of(row)` rehashes held rows when the table
    /// grows.
    pub(super) fn find_or_insert(
        &mut self,
        hash: u64,
        row: u32,
        is_case: impl Fn(u32) -> bool,
        hash_of: impl Fn(u32) -> u64,
    ) -> Option<u32> {
        self.reserve(1, hash_of);
        let mask = self.slots.len() - 1;
        let mut index = self.start(hash);
        loop {
            let slot = self.slots[index];
            if slot == EMPTY {
                self.slots[index] = slot_of(hash, row);
                self.len += 1;
                return None;
            }
            if slot >> 32 == hash & 0xFFFF_FFFF && is_case(slot as u32) {
                return Some(slot as u32);
            }
            index = (index + 1) & mask;
        }
    }

    /// Make room for `additional` more rows, rehashing held rows with `hash_of`.
    pub(super) fn reserve(&mut self, additional: usize, hash_of: impl Fn(u32) -> u64) {
        let wanted = self.len + additional;
        // At most three slots in four are used, so that a probe rarely passes more than a few.
        if wanted * 4 <= self.slots.len() * 3 {
            return;
        }
        let slots = (wanted * 4 / 3 + 1).next_power_of_two().max(16);
        let rows: Vec<u32> = self.rows().collect();
        self.rebuild(slots, rows, hash_of);
    }

    /// Keep only the rows below `len`.
    pub(super) fn truncate(&mut self, len: u32, hash_of: impl Fn(u32) -> u64) {
        let rows: Vec<u32> = self.rows().filter(|&row| row < len).collect();
        self.rebuild(self.slots.len(), rows, hash_of);
    }

    /// The rows held, in slot order.
    fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.slots
            .iter()
            .filter(|&&slot| slot != EMPTY)
            .map(|&slot| slot as u32)
    }

    /// `rows` in a table of `slots` slots.
    fn rebuild(&mut self, slots: usize, mut rows: Vec<u32>, hash_of: impl Fn(u32) -> u64) {
        // In row order, so that the table is the same whatever it held before.
        rows.sort_unstable();
        self.slots = vec![EMPTY; slots];
        self.len = 0;
        // An index never grown has no slots (and so no rows) to fill.
        let mask = slots.saturating_sub(1);
        for row in rows {
            let hash = hash_of(row);
            let mut index = self.start(hash);
            while self.slots[index] != EMPTY {
                index = (index + 1) & mask;
            }
            self.slots[index] = slot_of(hash, row);
            self.len += 1;
        }
    }
}

/// The slot holding `row` under `hash`.
fn slot_of(hash: u64, row: u32) -> u64 {
    (hash << 32) | u64::from(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hash whose top bits collide for every key (all rows start at slot 0) and whose low bits
    /// tell keys apart only modulo 4, so that probing and the row comparison both matter.
    fn crowded(key: u32) -> u64 {
        u64::from(key % 4)
    }

    #[test]
    fn rows_are_found_by_their_case_not_by_their_hash_alone() {
        let keys = [10u32, 11, 14, 12, 10, 18, 11];
        let mut index = CaseIndex::default();
        let mut kept: Vec<u32> = Vec::new();
        let mut earlier = Vec::new();
        for key in keys {
            let row = kept.len() as u32;
            let found = index.find_or_insert(
                crowded(key),
                row,
                |r| kept[r as usize] == key,
                |r| crowded(kept[r as usize]),
            );
            match found {
                Some(first) => earlier.push((key, first)),
                None => kept.push(key),
            }
        }
        assert_eq!(kept, vec![10, 11, 14, 12, 18]);
        // The second 10 is row 0, the second 11 row 1; 14 and 18 share 10's low bits.
        assert_eq!(earlier, vec![(10, 0), (11, 1)]);
        assert_eq!(index.len, 5);
        assert_eq!(index.find(crowded(18), |r| kept[r as usize] == 18), Some(4));
        assert_eq!(index.find(crowded(22), |r| kept[r as usize] == 22), None);
    }

    #[test]
    fn growing_and_truncating_keep_exactly_the_rows_asked_for() {
        let hash = |row: u32| u64::from(row).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut index = CaseIndex::default();
        for row in 0..1000u32 {
            assert_eq!(
                index.find_or_insert(hash(row), row, |r| r == row, hash),
                None
            );
        }
        assert_eq!(index.len, 1000);
        assert!(index.slots.len() * 3 >= 1000 * 4);
        index.truncate(600, hash);
        assert_eq!(index.len, 600);
        assert_eq!(index.find(hash(599), |r| r == 599), Some(599));
        assert_eq!(index.find(hash(600), |r| r == 600), None);
        // An index that never held a row can be truncated too (a file read again from its start).
        let mut unused = CaseIndex::default();
        unused.truncate(0, hash);
        assert_eq!((unused.len, unused.find(hash(1), |_| true)), (0, None));
        // A row added after truncating takes a free slot again.
        assert_eq!(
            index.find_or_insert(hash(600), 600, |r| r == 600, hash),
            None
        );
        assert_eq!(index.find(hash(600), |r| r == 600), Some(600));
    }
}
