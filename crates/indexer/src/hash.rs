//! The one hash Paragraf writes to disk: 64-bit FNV-1a (Fowler, Noll, Vo), from the `fnv`
//! crate. Unlike std's hasher it stays the same across Rust versions and machines, so file
//! fingerprints, meeting ids and sort keys written by one build are read back by the next.

use std::hash::Hasher;

/// A fresh FNV-1a hasher, to feed bytes piece by piece ([`Hasher::write`] only: the other
/// `write_*` methods use native byte order).
pub(crate) fn hasher() -> fnv::FnvHasher {
    fnv::FnvHasher::default()
}

/// FNV-1a (64 bit) of `bytes`.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hasher = hasher();
    hasher.write(bytes);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_the_published_function() {
        // Test vectors of FNV-1a 64 (Fowler, Noll, Vo).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn pieces_hash_as_the_whole() {
        let mut h = hasher();
        h.write(b"kommun");
        h.write(b"styrelsen");
        assert_eq!(h.finish(), fnv1a(b"kommunstyrelsen"));
    }
}
