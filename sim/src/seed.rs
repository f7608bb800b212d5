//! Seeds: parsing the base seed a user types, and deriving one seed per execution.
//!
//! The derivation is the documented contract that makes every execution replayable on its own:
//!
//! ```text
//! exec_seed(base, i) = splitmix64(base + i * 0x9E37_79B9_7F4A_7C15)   (wrapping arithmetic)
//! ```
//!
//! An execution is fully determined by its `exec_seed` (plus the scheduler and the code), so
//! execution `i` replays without running executions `0..i`.

/// The golden-ratio increment of splitmix64.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// One step of splitmix64 (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(GAMMA);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of execution `index` of a run with base seed `base`.
pub fn exec_seed(base: u64, index: u64) -> u64 {
    splitmix64(base.wrapping_add(index.wrapping_mul(GAMMA)))
}

/// Parses a seed as users write it: decimal (`42`), hex (`0x2a`), or a 40-hex-digit git commit
/// id (its first 16 hex digits), so a CI run can use its commit as the seed.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let bad = || {
        format!("invalid seed {t:?}: expected a decimal u64, 0x-prefixed hex, or a 40-hex git commit id")
    };
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).map_err(|_| bad());
    }
    if t.len() == 40 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return u64::from_str_radix(&t[..16], 16).map_err(|_| bad());
    }
    t.parse::<u64>().map_err(|_| bad())
}

/// Formats a seed the way reports print it (hex, so it round-trips through [`parse_seed`]).
pub fn fmt_seed(seed: u64) -> String {
    format!("0x{seed:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_decimal_hex_and_git_sha() {
        assert_eq!(parse_seed("42"), Ok(42));
        assert_eq!(parse_seed("0x2a"), Ok(42));
        assert_eq!(
            parse_seed("94a948d1b114982ddfa3f38a40442c166f52fa32"),
            Ok(0x94a948d1b114982d)
        );
        assert!(parse_seed("x").is_err());
        assert!(parse_seed("-1").is_err());
    }

    #[test]
    fn fmt_round_trips_and_exec_seeds_differ() {
        assert_eq!(parse_seed(&fmt_seed(u64::MAX)), Ok(u64::MAX));
        assert_ne!(exec_seed(1, 0), exec_seed(1, 1));
        assert_ne!(exec_seed(1, 0), exec_seed(2, 0));
    }
}
