//! The 256-bit PDQ hash: bit layout, hex form and Hamming distance, exactly as ThreatExchange
//! writes them, so hashes move between Veil and industry hash lists unchanged.

use std::fmt;
use std::str::FromStr;

/// A 256-bit perceptual hash.
///
/// Bit `k` is DCT coefficient `(k / 16, k % 16)`. The hex form is the reference's: sixteen 16-bit
/// words, most significant word (bits 240..256) first, four lowercase hex digits each.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Hash256 {
    limbs: [u64; 4],
}

/// Why a string is not a PDQ hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashParseError {
    WrongLength(usize),
    NotHex(usize),
}

impl fmt::Display for HashParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongLength(n) => write!(f, "a PDQ hash has 64 hex digits, this has {n}"),
            Self::NotHex(at) => write!(f, "not a hex digit at position {}", at + 1),
        }
    }
}

impl std::error::Error for HashParseError {}

impl Hash256 {
    pub const BITS: u32 = 256;

    pub fn set_bit(&mut self, k: usize) {
        self.limbs[k / 64] |= 1 << (k % 64);
    }

    pub fn bit(&self, k: usize) -> bool {
        self.limbs[k / 64] >> (k % 64) & 1 == 1
    }

    /// Word `w` (0..16) of the reference's `unsigned short w[16]`.
    fn word(&self, w: usize) -> u16 {
        (self.limbs[w / 4] >> ((w % 4) * 16)) as u16
    }

    pub fn hamming(&self, other: &Hash256) -> u32 {
        self.limbs.iter().zip(other.limbs.iter()).map(|(a, b)| (a ^ b).count_ones()).sum()
    }

    pub fn to_hex(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (0..16).rev().try_for_each(|w| write!(f, "{:04x}", self.word(w)))
    }
}

impl fmt::Debug for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash256({self})")
    }
}

impl FromStr for Hash256 {
    type Err = HashParseError;

    /// Accepts upper or lower case; nothing else (no `0x`, no spaces).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 64 {
            return Err(HashParseError::WrongLength(s.chars().count()));
        }
        if let Some(at) = s.bytes().position(|b| !b.is_ascii_hexdigit()) {
            return Err(HashParseError::NotHex(at));
        }
        let mut hash = Hash256::default();
        for w in 0..16 {
            let start = (15 - w) * 4;
            let word = u16::from_str_radix(&s[start..start + 4], 16).expect("checked hex");
            hash.limbs[w / 4] |= u64::from(word) << ((w % 4) * 16);
        }
        Ok(hash)
    }
}

impl serde::Serialize for Hash256 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Hash256 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22";

    #[test]
    fn hex_round_trips() {
        let h: Hash256 = SAMPLE.parse().unwrap();
        assert_eq!(h.to_hex(), SAMPLE);
        let upper: Hash256 = SAMPLE.to_uppercase().parse().unwrap();
        assert_eq!(upper, h);
    }

    #[test]
    fn bit_zero_is_the_last_hex_digit() {
        let mut h = Hash256::default();
        h.set_bit(0);
        assert!(h.to_hex().ends_with("0001"));
        let mut top = Hash256::default();
        top.set_bit(255);
        assert!(top.to_hex().starts_with("8000"));
        assert!(top.bit(255) && !top.bit(254));
    }

    #[test]
    fn hamming_counts_differing_bits() {
        let a: Hash256 = SAMPLE.parse().unwrap();
        let mut b = a;
        assert_eq!(a.hamming(&b), 0);
        b.limbs[3] ^= 0b1011;
        assert_eq!(a.hamming(&b), 3);
        let zero = Hash256::default();
        let ones: Hash256 = "f".repeat(64).parse().unwrap();
        assert_eq!(zero.hamming(&ones), 256);
    }

    #[test]
    fn bad_hex_is_refused_clearly() {
        assert_eq!("abc".parse::<Hash256>(), Err(HashParseError::WrongLength(3)));
        let mut s = SAMPLE.to_string();
        s.replace_range(10..11, "g");
        assert_eq!(s.parse::<Hash256>(), Err(HashParseError::NotHex(10)));
        assert!(HashParseError::NotHex(10).to_string().contains("position 11"));
    }
}
