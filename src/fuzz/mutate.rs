//! A small, deterministic mutator: byte flips, insertions and deletions, dictionary
//! tokens, boundary characters, and splices with another corpus entry.

/// xorshift64*: deterministic for a seed, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// A number in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Characters that sit on parsers' boundaries.
const SPECIAL: &[&str] = &[
    "",
    " ",
    "\t",
    "\n",
    "\r\n",
    ";",
    ",",
    "=",
    ":",
    "\"",
    "'",
    "\\",
    "/",
    "%",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "*",
    ".",
    "-",
    "+",
    "0",
    "-1",
    "4294967296",
    "99999999999999999999",
    "\0",
    "\u{7f}",
    "é",
    "∞",
    "\u{202e}",
    "\u{feff}",
    "\u{10ffff}",
];

pub fn mutate(input: &mut Vec<u8>, other: &[u8], dictionary: &[&str], rng: &mut Rng) {
    let len = input.len();
    match rng.below(10) {
        0 if len > 0 => {
            let i = rng.below(len);
            input[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            input[i] = rng.next() as u8;
        }
        2 if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(16)).min(len);
            input.drain(start..end);
        }
        3 if len > 0 => {
            // Repeat a slice: long runs find quadratic work and length limits.
            let start = rng.below(len);
            let end = (start + 1 + rng.below(32)).min(len);
            let piece = input[start..end].to_vec();
            let most = if rng.below(8) == 0 { 512 } else { 4 };
            let times = 1 + rng.below(most);
            let at = rng.below(len + 1);
            let repeated: Vec<u8> = piece
                .iter()
                .copied()
                .cycle()
                .take(piece.len() * times)
                .collect();
            input.splice(at..at, repeated);
        }
        4 | 5 if !dictionary.is_empty() => {
            let token = dictionary[rng.below(dictionary.len())];
            let at = rng.below(len + 1);
            input.splice(at..at, token.bytes());
        }
        6 => {
            let token = SPECIAL[rng.below(SPECIAL.len())];
            let at = rng.below(len + 1);
            input.splice(at..at, token.bytes());
        }
        7 if !other.is_empty() => {
            // Splice: the head of this input, the tail of another.
            let cut = rng.below(len + 1);
            let from = rng.below(other.len());
            input.truncate(cut);
            input.extend_from_slice(&other[from..]);
        }
        8 if len > 0 => input.truncate(rng.below(len)),
        _ => {
            let at = rng.below(len + 1);
            input.insert(at, rng.next() as u8);
        }
    }
}
