//! Case numbers held as exact 8-byte keys. A case number of the usual form packs its year,
//! province, court code, type code and serial into a `u64`; one that does not read back exactly as
//! written (leading zeros, unusual forms, unreadable numbers) keeps its text. Two case numbers are
//! the same case exactly when their canonical texts are equal, and so when their keys are equal.

use std::borrow::Cow;
use std::fmt::Write;
use std::hash::BuildHasher;

use crate::read::case_number::CaseNumber;

/// Marks a key that refers to stored text; the low 32 bits are the text's index.
const TEXT: u64 = 1 << 63;
const SERIAL_BITS: u32 = 24;
const TYPE_SHIFT: u32 = 24;
const COURT_SHIFT: u32 = 32;
const DIGITS_SHIFT: u32 = 46;
const PROVINCE_SHIFT: u32 = 48;
const YEAR_SHIFT: u32 = 55;
const FIRST_YEAR: u16 = 1900;

/// A hasher with fixed keys, so that results never depend on the run.
// why foldhash: it hashes a 160-byte row or an 8-byte key several times faster than SipHash, and
// with fixed seeds it gives the same hashes on every run and machine.
#[derive(Clone, Copy, Default)]
pub struct FixedState;

impl BuildHasher for FixedState {
    type Hasher = foldhash::fast::FoldHasher<'static>;
    fn build_hasher(&self) -> Self::Hasher {
        foldhash::fast::FixedState::with_seed(0x6361_7365_6d65_7472).build_hasher()
    }
}

/// Ask the processor to fetch the memory `value` is in, to be read soon.
// why: with tens of millions of cases the tables rows and case numbers are looked up in are far
// larger than the processor's caches; a look-up whose address is known early can have its memory
// on the way while the work in between is done.
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: SSE is part of every x86-64 processor, and a prefetch only hints at memory to
        // read: it never faults and changes nothing the program can see.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// A case number about to be stored or looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Probe {
    /// Packed parts.
    Packed(u64),
    /// Kept as its canonical text.
    Text,
}

/// What packing a case number found: its probe, or the province or type code the dictionaries
/// lack to pack it.
enum Packing<'n> {
    Done(Probe),
    NewProvince(char),
    NewTypeCode(&'n str, bool),
}

/// A case number of another store as this store files it: its probe, its canonical text (when it
/// is filed as text) and the hash it is filed under.
#[derive(Debug, Clone)]
pub struct Filed<'a> {
    /// How it is stored here.
    pub probe: Probe,
    /// Its canonical text when `probe` is `Probe::Text`; empty otherwise.
    pub canonical: Cow<'a, str>,
    /// The hash it is filed under here.
    pub hash: u64,
}

/// How the province and type-code indices of one `CaseNumbers` map into another's; `None` where
/// the other's dictionary was full.
#[derive(Debug, Clone, Default)]
pub struct KeyRemap {
    provinces: Vec<Option<u64>>,
    type_codes: Vec<Option<u64>>,
}

/// The case numbers of every kept case, one key each, in row order.
#[derive(Debug, Clone, Default)]
pub struct CaseNumbers {
    keys: Vec<u64>,
    provinces: Vec<char>,
    type_codes: Vec<(String, bool)>,
    texts: Vec<Box<str>>,
}

impl CaseNumbers {
    /// Number of case numbers stored.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether none are stored.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Make room for `additional` more.
    pub fn reserve(&mut self, additional: usize) {
        self.keys.reserve(additional);
    }

    /// How `canonical` (parsed as `parsed`) would be stored, adding the province or type code to
    /// the dictionaries if needed.
    pub fn encode(&mut self, canonical: &str, parsed: Option<&CaseNumber>) -> Probe {
        loop {
            match self.pack(canonical, parsed) {
                Packing::Done(probe) => return probe,
                Packing::NewProvince(province) if self.provinces.len() < 128 => {
                    self.provinces.push(province);
                }
                Packing::NewTypeCode(code, old) if self.type_codes.len() < 256 => {
                    self.type_codes.push((code.to_string(), old));
                }
                // A full dictionary: the number is stored as text.
                Packing::NewProvince(_) | Packing::NewTypeCode(..) => return Probe::Text,
            }
        }
    }

    /// How `canonical` would be stored, without adding to the dictionaries. A number whose
    /// province or type code is not in them can only have been stored as text (when a dictionary
    /// was full), so it is probed as text.
    pub fn probe(&self, canonical: &str, parsed: Option<&CaseNumber>) -> Probe {
        match self.pack(canonical, parsed) {
            Packing::Done(probe) => probe,
            Packing::NewProvince(_) | Packing::NewTypeCode(..) => Probe::Text,
        }
    }

    /// Whether the parts of `parsed` fit the packed layout at all.
    fn packs(&self, parsed: &CaseNumber) -> bool {
        (FIRST_YEAR..FIRST_YEAR + 256).contains(&parsed.year)
            && parsed.serial < (1 << SERIAL_BITS)
            && matches!(parsed.court_code.len(), 0 | 2 | 4)
            && parsed.court_code.bytes().all(|b| b.is_ascii_digit())
    }

    fn pack<'n>(&self, canonical: &str, parsed: Option<&CaseNumber<'n>>) -> Packing<'n> {
        let Some(parsed) = parsed else {
            return Packing::Done(Probe::Text);
        };
        if !self.packs(parsed) {
            return Packing::Done(Probe::Text);
        }
        let Some(province) = self.provinces.iter().position(|p| *p == parsed.province) else {
            return Packing::NewProvince(parsed.province);
        };
        let Some(type_index) = self
            .type_codes
            .iter()
            .position(|(code, old)| *code == parsed.type_code && *old == parsed.old_style)
        else {
            return Packing::NewTypeCode(parsed.type_code, parsed.old_style);
        };
        let digits: u64 = match parsed.court_code.len() {
            0 => 0,
            2 => 1,
            _ => 2,
        };
        let court: u64 = parsed.court_code.parse().unwrap_or(0);
        let key = (u64::from(parsed.year - FIRST_YEAR) << YEAR_SHIFT)
            | ((province as u64) << PROVINCE_SHIFT)
            | (digits << DIGITS_SHIFT)
            | (court << COURT_SHIFT)
            | ((type_index as u64) << TYPE_SHIFT)
            | u64::from(parsed.serial);
        // Packed only if the parts read back as exactly the text. Every way the text can differ
        // from its parts (leading zeros, 最高法 for 最, a 号之一 suffix) makes it longer, so equal
        // lengths mean equal texts; the debug build checks this by writing the parts back.
        let (code, old) = &self.type_codes[type_index];
        let serial_digits = parsed.serial.checked_ilog10().unwrap_or(0) as usize + 1;
        let read_back_len = "(0000)".len()
            + parsed.province.len_utf8()
            + parsed.court_code.len()
            + code.len()
            + if *old { "字第".len() } else { 0 }
            + serial_digits
            + "号".len();
        let exact = read_back_len == canonical.len();
        if cfg!(debug_assertions) {
            let mut written = String::new();
            self.write_packed(key, &mut written);
            debug_assert_eq!(exact, written == canonical, "{canonical}");
        }
        if exact {
            Packing::Done(Probe::Packed(key))
        } else {
            Packing::Done(Probe::Text)
        }
    }

    fn write_packed(&self, key: u64, out: &mut String) {
        let year = FIRST_YEAR + ((key >> YEAR_SHIFT) & 0xFF) as u16;
        let province = self.provinces[((key >> PROVINCE_SHIFT) & 0x7F) as usize];
        let court = (key >> COURT_SHIFT) & 0x3FFF;
        let (code, old) = &self.type_codes[((key >> TYPE_SHIFT) & 0xFF) as usize];
        let serial = key & ((1 << SERIAL_BITS) - 1);
        let _ = write!(out, "({year}){province}");
        let _ = match (key >> DIGITS_SHIFT) & 0b11 {
            0 => Ok(()),
            1 => write!(out, "{court:02}"),
            _ => write!(out, "{court:04}"),
        };
        out.push_str(code);
        if *old {
            out.push_str("字第");
        }
        let _ = write!(out, "{serial}号");
    }

    /// Append a case number `encode`d as `probe`; `canonical` is kept when it does not pack.
    pub fn push(&mut self, probe: Probe, canonical: &str) {
        match probe {
            Probe::Packed(key) => self.keys.push(key),
            Probe::Text => {
                self.keys.push(TEXT | self.texts.len() as u64);
                self.texts.push(canonical.into());
            }
        }
    }

    /// How the province and type-code dictionaries of `other` map into these (adding to them
    /// while there is room). Used to move case numbers encoded by another reader into this one.
    pub fn remap(&mut self, other: &CaseNumbers) -> KeyRemap {
        let provinces = other
            .provinces
            .iter()
            .map(
                |province| match self.provinces.iter().position(|p| p == province) {
                    Some(index) => Some(index as u64),
                    None if self.provinces.len() < 128 => {
                        self.provinces.push(*province);
                        Some(self.provinces.len() as u64 - 1)
                    }
                    None => None,
                },
            )
            .collect();
        let type_codes = other
            .type_codes
            .iter()
            .map(
                |code| match self.type_codes.iter().position(|c| c == code) {
                    Some(index) => Some(index as u64),
                    None if self.type_codes.len() < 256 => {
                        self.type_codes.push(code.clone());
                        Some(self.type_codes.len() as u64 - 1)
                    }
                    None => None,
                },
            )
            .collect();
        KeyRemap {
            provinces,
            type_codes,
        }
    }

    /// Case number `index` of `other` as a probe of this store (with its canonical text, needed
    /// when it is stored as text here).
    fn translate<'a>(
        &self,
        other: &'a CaseNumbers,
        remap: &KeyRemap,
        index: usize,
    ) -> (Probe, Cow<'a, str>) {
        let key = other.keys[index];
        if key & TEXT != 0 {
            return (
                Probe::Text,
                Cow::Borrowed(&other.texts[(key & 0xFFFF_FFFF) as usize]),
            );
        }
        let province = remap.provinces[((key >> PROVINCE_SHIFT) & 0x7F) as usize];
        let type_code = remap.type_codes[((key >> TYPE_SHIFT) & 0xFF) as usize];
        match (province, type_code) {
            (Some(province), Some(type_code)) => {
                let key = (key & !(0x7F << PROVINCE_SHIFT) & !(0xFF << TYPE_SHIFT))
                    | (province << PROVINCE_SHIFT)
                    | (type_code << TYPE_SHIFT);
                (Probe::Packed(key), Cow::Borrowed(""))
            }
            // Its province or type code did not fit here: it is stored as text.
            _ => (Probe::Text, other.get(index)),
        }
    }

    /// Case number `index` of `other` as this store files it.
    pub fn filed<'a>(&self, other: &'a CaseNumbers, remap: &KeyRemap, index: usize) -> Filed<'a> {
        let (probe, canonical) = self.translate(other, remap, index);
        let hash = self.hash_probe(probe, &canonical);
        Filed {
            probe,
            canonical,
            hash,
        }
    }

    /// Keep the first `len` case numbers.
    pub fn truncate(&mut self, len: usize) {
        if let Some(first_text) = self.keys[len.min(self.keys.len())..]
            .iter()
            .find(|key| *key & TEXT != 0)
        {
            self.texts.truncate((first_text & 0xFFFF_FFFF) as usize);
        }
        self.keys.truncate(len);
    }

    /// The hash under which a probe is filed.
    pub fn hash_probe(&self, probe: Probe, canonical: &str) -> u64 {
        match probe {
            Probe::Packed(key) => FixedState.hash_one(key),
            Probe::Text => FixedState.hash_one(canonical),
        }
    }

    /// The hash of stored case number `index` (equal to its probe's).
    pub fn hash_stored(&self, index: usize) -> u64 {
        let key = self.keys[index];
        if key & TEXT != 0 {
            FixedState.hash_one(&*self.texts[(key & 0xFFFF_FFFF) as usize])
        } else {
            FixedState.hash_one(key)
        }
    }

    /// Whether stored case number `index` is the one probed.
    pub fn matches(&self, index: usize, probe: Probe, canonical: &str) -> bool {
        let key = self.keys[index];
        match probe {
            Probe::Packed(packed) => key == packed,
            Probe::Text => {
                key & TEXT != 0 && &*self.texts[(key & 0xFFFF_FFFF) as usize] == canonical
            }
        }
    }

    /// Ask the processor to fetch stored case number `index`, to be compared soon.
    pub fn prefetch(&self, index: usize) {
        if let Some(key) = self.keys.get(index) {
            prefetch(key);
        }
    }

    /// Append the canonical text of case number `index` to `out`.
    pub fn write_to(&self, index: usize, out: &mut String) {
        let key = self.keys[index];
        if key & TEXT != 0 {
            out.push_str(&self.texts[(key & 0xFFFF_FFFF) as usize]);
        } else {
            self.write_packed(key, out);
        }
    }

    /// The canonical text of case number `index`.
    pub fn get(&self, index: usize) -> Cow<'_, str> {
        let key = self.keys[index];
        if key & TEXT != 0 {
            return Cow::Borrowed(&self.texts[(key & 0xFFFF_FFFF) as usize]);
        }
        let mut text = String::with_capacity(32);
        self.write_packed(key, &mut text);
        Cow::Owned(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::case_number::{canonical_case_number, parse_case_number};

    fn store(numbers: &mut CaseNumbers, text: &str) -> Probe {
        let canonical = canonical_case_number(text).into_owned();
        let probe = numbers.encode(&canonical, parse_case_number(text).ok().as_ref());
        numbers.push(probe, &canonical);
        probe
    }

    #[test]
    fn usual_numbers_pack_and_read_back_exactly() {
        let mut numbers = CaseNumbers::default();
        let texts = [
            "(2021)豫0302民初1234号",
            "（2021）豫03民终567号",
            "(2021)豫0305执890号",
            "(2015)豫03民终字第747号",
            "(2021)豫民终12号",
        ];
        for text in texts {
            assert!(
                matches!(store(&mut numbers, text), Probe::Packed(_)),
                "{text}"
            );
        }
        assert_eq!(numbers.get(1), "(2021)豫03民终567号");
        assert_eq!(numbers.get(3), "(2015)豫03民终字第747号");
        for (index, text) in texts.iter().enumerate() {
            assert_eq!(numbers.get(index), canonical_case_number(text));
        }
    }

    #[test]
    fn unusual_numbers_keep_their_text_and_stay_distinct() {
        let mut numbers = CaseNumbers::default();
        assert_eq!(store(&mut numbers, "(2021)豫0302民初0012号"), Probe::Text);
        assert_eq!(store(&mut numbers, "ABC-123"), Probe::Text);
        assert_eq!(store(&mut numbers, "(2021)豫0302民初12号之一"), Probe::Text);
        assert!(matches!(
            store(&mut numbers, "(2021)豫0302民初12号"),
            Probe::Packed(_)
        ));
        assert_eq!(numbers.get(0), "(2021)豫0302民初0012号");
        assert_eq!(numbers.get(1), "ABC-123");
        // 0012 and 12 are different texts, so different cases
        let canonical = "(2021)豫0302民初0012号";
        let probe = numbers.encode(canonical, parse_case_number(canonical).ok().as_ref());
        assert!(numbers.matches(0, probe, canonical));
        assert!(!numbers.matches(3, probe, canonical));
        assert_eq!(numbers.hash_probe(probe, canonical), numbers.hash_stored(0));
    }

    #[test]
    fn probing_an_unseen_type_code_finds_nothing_and_adds_nothing() {
        let mut numbers = CaseNumbers::default();
        store(&mut numbers, "(2021)豫0302民初1号");
        let unseen = "(2021)豫0302刑初1号";
        let probe = numbers.probe(unseen, parse_case_number(unseen).ok().as_ref());
        assert_eq!(probe, Probe::Text);
        assert!(!numbers.matches(0, probe, unseen));
        assert_eq!(numbers.type_codes.len(), 1);
        let seen = "(2021)豫0302民初1号";
        let probe = numbers.probe(seen, parse_case_number(seen).ok().as_ref());
        assert!(numbers.matches(0, probe, seen));
    }

    #[test]
    fn a_full_type_code_dictionary_stores_new_numbers_as_text() {
        let mut numbers = CaseNumbers::default();
        for offset in 0..256u32 {
            let code = char::from_u32(0x4E00 + offset).expect("a CJK character");
            let text = format!("(2021)豫0302{code}1号");
            assert!(
                matches!(store(&mut numbers, &text), Probe::Packed(_)),
                "{text}"
            );
        }
        assert_eq!(numbers.type_codes.len(), 256);
        assert_eq!(store(&mut numbers, "(2021)豫0302民初1号"), Probe::Text);
        assert_eq!(numbers.type_codes.len(), 256);
    }
}
