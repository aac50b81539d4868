//! What unit tests share.

/// A deterministic stream of numbers below `n` (xorshift64 from `seed`), for tests that try many
/// generated inputs.
pub fn below(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
}
