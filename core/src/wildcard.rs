//! `*` and `?` wildcard matching (Action, Resource, StringLike, ArnLike), in time linear in the text for a
//! pattern without `?`, and in text length × piece length / 64 with one (see [`ShiftAnd`]).
//!
//! A pattern is split at its stars into pieces of fixed length. The first piece must match at the start, the
//! last at the end, and each piece in between is taken at its leftmost place after the previous one: taking a
//! later place never leaves more room for the rest, so no backtracking is needed and `*a*a*a*...b` against a
//! long text costs one pass per piece instead of an exponential search.

use std::borrow::Cow;

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    /// Characters that must appear as they are.
    Literal(String),
    /// `?`: exactly one character.
    AnyChar,
    /// `*`: any run of characters, including none.
    AnyRun,
}

/// A run of literals and `?` between two stars.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Piece {
    atoms: Vec<PieceAtom>,
    /// Length in characters (every atom has a fixed length).
    chars: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PieceAtom {
    Literal(String),
    AnyChars(usize),
}

impl Piece {
    fn push_literal(&mut self, text: &str) {
        self.chars += text.chars().count();
        if let Some(PieceAtom::Literal(last)) = self.atoms.last_mut() {
            last.push_str(text);
        } else {
            self.atoms.push(PieceAtom::Literal(text.to_owned()));
        }
    }

    fn push_any(&mut self) {
        self.chars += 1;
        if let Some(PieceAtom::AnyChars(n)) = self.atoms.last_mut() {
            *n += 1;
        } else {
            self.atoms.push(PieceAtom::AnyChars(1));
        }
    }

    /// Match the piece at byte `at` of `text`; the byte just after it when it matches.
    fn match_at(&self, text: &str, at: usize) -> Option<usize> {
        let mut pos = at;
        for atom in &self.atoms {
            match atom {
                PieceAtom::Literal(lit) => {
                    if !text.get(pos..)?.starts_with(lit.as_str()) {
                        return None;
                    }
                    pos += lit.len();
                }
                PieceAtom::AnyChars(n) => {
                    let mut chars = text.get(pos..)?.chars();
                    for _ in 0..*n {
                        pos += chars.next()?.len_utf8();
                    }
                }
            }
        }
        Some(pos)
    }

    /// The leftmost place at or after byte `from` where the piece matches: (start, end).
    fn find_from(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        match self.atoms.as_slice() {
            [] => Some((from, from)),
            // A literal alone: one search.
            [PieceAtom::Literal(lit)] => {
                let found = from + text.get(from..)?.find(lit.as_str())?;
                Some((found, found + lit.len()))
            }
            // With a `?`: trying each place where the piece could start costs the piece's length at each of them
            // (`*aaaa…a?c*` against `aaaa…a`: 16 s for 150 KB), so all places are followed at once, one bit each.
            _ => match ShiftAnd::new(self) {
                Some(shift_and) => shift_and.find(text, from),
                None => self.find_by_trying(text, from),
            },
        }
    }

    /// [`Piece::find_from`] by trying each place in turn, jumping between occurrences of a leading literal.
    fn find_by_trying(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        if let Some(PieceAtom::Literal(lit)) = self.atoms.first() {
            let mut start = from;
            loop {
                let found = start + text.get(start..)?.find(lit.as_str())?;
                if let Some(end) = self.match_at(text, found) {
                    return Some((found, end));
                }
                start = found + text.get(found..)?.chars().next()?.len_utf8();
            }
        }
        let rest = text.get(from..)?;
        rest.char_indices().find_map(|(offset, _)| self.match_at(text, from + offset).map(|end| (from + offset, end)))
    }
}

/// The Shift-And search for a piece holding `?`: bit `i` of the state says that the piece's first `i + 1`
/// characters match the text just read, so each character of the text costs one pass over
/// `piece length / 64` words, whatever the piece.
struct ShiftAnd {
    chars: usize,
    /// The bits of the `?` positions: the mask of a character the piece does not hold.
    any: Vec<u64>,
    /// For each character of the piece's literals, sorted: its positions and the `?` positions.
    masks: Vec<(char, Vec<u64>)>,
}

impl ShiftAnd {
    /// Masks for at most this many words in all (8 MB); a piece that would need more (tens of thousands of
    /// distinct characters) is searched by trying.
    const MAX_WORDS: usize = 1 << 20;

    fn new(piece: &Piece) -> Option<ShiftAnd> {
        let words = piece.chars.div_ceil(64);
        let set = |bits: &mut [u64], i: usize| {
            if let Some(word) = bits.get_mut(i / 64) {
                *word |= 1 << (i % 64);
            }
        };
        let mut any = vec![0u64; words];
        let mut masks: Vec<(char, Vec<u64>)> = Vec::new();
        let mut at = 0;
        for atom in &piece.atoms {
            match atom {
                PieceAtom::AnyChars(n) => {
                    (at..at + n).for_each(|i| set(&mut any, i));
                    at += n;
                }
                PieceAtom::Literal(lit) => {
                    for c in lit.chars() {
                        let slot = match masks.binary_search_by_key(&c, |(k, _)| *k) {
                            Ok(slot) => slot,
                            Err(slot) => {
                                if (masks.len() + 2).saturating_mul(words) > Self::MAX_WORDS {
                                    return None;
                                }
                                masks.insert(slot, (c, vec![0u64; words]));
                                slot
                            }
                        };
                        if let Some((_, bits)) = masks.get_mut(slot) {
                            set(bits, at);
                        }
                        at += 1;
                    }
                }
            }
        }
        for (_, bits) in &mut masks {
            bits.iter_mut().zip(&any).for_each(|(bit, any)| *bit |= any);
        }
        Some(ShiftAnd { chars: piece.chars, any, masks })
    }

    fn find(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        let last = self.chars.checked_sub(1)?;
        let (last_word, last_bit) = (last / 64, 1u64 << (last % 64));
        let mut state = vec![0u64; self.any.len()];
        let rest = text.get(from..)?;
        for (offset, c) in rest.char_indices() {
            let mask = match self.masks.binary_search_by_key(&c, |(k, _)| *k) {
                Ok(slot) => self.masks.get(slot).map_or(&self.any, |(_, bits)| bits),
                Err(_) => &self.any,
            };
            // Shift every partial match one character on, start a new one at bit 0, keep those `c` continues.
            let mut carry = 1u64;
            for (word, mask) in state.iter_mut().zip(mask) {
                let old = *word;
                *word = ((old << 1) | carry) & mask;
                carry = old >> 63;
            }
            if state.get(last_word).is_some_and(|word| word & last_bit != 0) {
                let end = from + offset + c.len_utf8();
                // The piece is `chars` characters long: its start is that many characters back from its end.
                let start = from + rest.get(..offset + c.len_utf8())?.char_indices().rev().nth(last)?.0;
                return Some((start, end));
            }
        }
        None
    }
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    text: Cow<'static, str>,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// `*` alone.
    Everything,
    /// No wildcard: plain equality with this text.
    Exact(Cow<'static, str>),
    /// No wildcard, and the text to equal is the pattern's own (`Glob::text`): one copy of it instead of two,
    /// for the plain segments that make up most ARNs.
    ExactText,
    /// `literal*`, the pattern's text with no other wildcard: the text must start with all of the pattern but its
    /// final star (the usual ends of Resource patterns, `.../prod/*`), compared in place.
    Prefix,
    /// `first*...*last`: `pieces` has one more entry than there are stars.
    Pieces(Vec<Piece>),
}

impl Glob {
    /// Compile a pattern in which `*` and `?` are wildcards and every other character is literal.
    pub fn new(pattern: &str) -> Glob {
        Glob::from_text(pattern.to_owned())
    }

    /// [`Glob::new`] of text the caller already owns.
    pub fn from_text(pattern: String) -> Glob {
        // Most ARN segments are plain text, and most Resource patterns end in their only star: skip the atoms.
        match pattern.find(['*', '?']) {
            None => Glob { text: Cow::Owned(pattern), kind: Kind::ExactText },
            Some(at) if at > 0 && at + 1 == pattern.len() && pattern.ends_with('*') => {
                Glob { text: Cow::Owned(pattern), kind: Kind::Prefix }
            }
            Some(_) => {
                let atoms = atoms_of(&pattern);
                Glob::from_atoms(pattern, &atoms)
            }
        }
    }

    /// A pattern matched without regard to ASCII case (IAM actions): shown as written, compiled lower-cased, so
    /// it must be given lower-cased text to match.
    pub fn case_folded(pattern: &str) -> Glob {
        // The action nearly every statement names: compiled without allocating (a Lambda authorizer's policy is
        // compiled for each request).
        const INVOKE: &str = "execute-api:Invoke";
        if pattern == INVOKE {
            return Glob { text: Cow::Borrowed(INVOKE), kind: Kind::Exact(Cow::Borrowed("execute-api:invoke")) };
        }
        let lower = pattern.to_ascii_lowercase();
        if lower.contains(['*', '?']) {
            return Glob::from_atoms(pattern.to_owned(), &atoms_of(&lower));
        }
        let kind = if lower == pattern { Kind::ExactText } else { Kind::Exact(Cow::Owned(lower)) };
        Glob { text: Cow::Owned(pattern.to_owned()), kind }
    }

    /// Compile from atoms (literal text that came from a policy variable stays literal even if it holds `*`).
    /// `text` is how the pattern is shown in explanations.
    pub fn from_atoms(text: String, atoms: &[Atom]) -> Glob {
        let text = Cow::Owned(text);
        let wild = atoms.iter().any(|a| !matches!(a, Atom::Literal(_)));
        if !wild {
            let exact: String =
                atoms.iter().filter_map(|a| if let Atom::Literal(s) = a { Some(s.as_str()) } else { None }).collect();
            let kind = if exact == text { Kind::ExactText } else { Kind::Exact(Cow::Owned(exact)) };
            return Glob { text, kind };
        }
        if atoms.iter().all(|a| *a == Atom::AnyRun) {
            return Glob { text, kind: Kind::Everything };
        }
        if let [Atom::Literal(literal), Atom::AnyRun] = atoms {
            if text.strip_suffix('*') == Some(literal.as_str()) {
                return Glob { text, kind: Kind::Prefix };
            }
        }
        let mut pieces = vec![Piece::default()];
        for atom in atoms {
            match atom {
                Atom::AnyRun => pieces.push(Piece::default()),
                Atom::AnyChar => {
                    if let Some(p) = pieces.last_mut() {
                        p.push_any();
                    }
                }
                Atom::Literal(s) => {
                    if let Some(p) = pieces.last_mut() {
                        p.push_literal(s);
                    }
                }
            }
        }
        Glob { text, kind: Kind::Pieces(pieces) }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Does the pattern end with a `*` wildcard (not a literal star from a policy variable's value)?
    fn ends_with_star(&self) -> bool {
        match &self.kind {
            Kind::Everything | Kind::Prefix => true,
            Kind::Exact(_) | Kind::ExactText => false,
            // One piece more than there are stars: a final star leaves the last piece empty.
            Kind::Pieces(pieces) => pieces.len() > 1 && pieces.last().is_some_and(|p| p.atoms.is_empty()),
        }
    }

    /// Does the pattern match `text` from one of the byte offsets `begins` (ascending) to its end? With a star,
    /// the earliest offset where the pattern's first piece fits is the only one to try: from there, the rest (which
    /// starts with a star) has the most text to match, so if it fails no later offset succeeds. Without a star,
    /// only the offset the pattern's length allows can match.
    fn matches_a_suffix(&self, text: &str, mut begins: impl Iterator<Item = usize>) -> bool {
        let rest = |at: usize| text.get(at..);
        match &self.kind {
            Kind::Everything => begins.next().is_some(),
            // Exact text is compared length first; a prefix stops at its first differing byte.
            Kind::Exact(_) | Kind::ExactText | Kind::Prefix => {
                begins.any(|at| rest(at).is_some_and(|r| self.matches(r)))
            }
            // No star (only `?`): the pattern covers a fixed number of characters, so only one offset can match.
            Kind::Pieces(pieces) if pieces.len() == 1 => {
                let Some(piece) = pieces.first() else { return false };
                nth_char_from_end(text, piece.chars)
                    .is_some_and(|at| begins.any(|b| b == at) && piece.match_at(text, at) == Some(text.len()))
            }
            Kind::Pieces(pieces) => {
                let Some(first) = pieces.first() else { return false };
                match begins.find(|&at| first.match_at(text, at).is_some()) {
                    Some(at) => rest(at).is_some_and(|r| match_pieces(pieces, r)),
                    None => false,
                }
            }
        }
    }

    /// Does the pattern match all of `text`?
    pub fn matches(&self, text: &str) -> bool {
        match &self.kind {
            Kind::Everything => true,
            Kind::Exact(s) => s == text,
            Kind::ExactText => self.text == text,
            Kind::Prefix => text.starts_with(self.text.get(..self.text.len() - 1).unwrap_or_default()),
            Kind::Pieces(pieces) => match_pieces(pieces, text),
        }
    }
}

fn match_pieces(pieces: &[Piece], text: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else { return text.is_empty() };
    let Some((last, middle)) = rest.split_last() else {
        // No star: the single piece must cover the whole text.
        return first.match_at(text, 0) == Some(text.len());
    };
    let Some(mut pos) = first.match_at(text, 0) else { return false };
    for piece in middle {
        match piece.find_from(text, pos) {
            Some((_, end)) => pos = end,
            None => return false,
        }
    }
    // The last piece is anchored at the end: it starts `last.chars` characters before the end.
    let Some(start) = nth_char_from_end(text, last.chars) else { return false };
    start >= pos && last.match_at(text, start) == Some(text.len())
}

/// The byte offset of the `n`-th character counted from the end (`n` = 0 is the end itself).
fn nth_char_from_end(text: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(text.len());
    }
    text.char_indices().rev().nth(n - 1).map(|(i, _)| i)
}

/// Match an ARN against an ARN pattern segment by segment: `arn`, partition, service, region, account and
/// resource are compared separately, so a wildcard never crosses one of the first five colons (the resource part
/// keeps any further colons). A pattern with fewer than six parts matches no ARN, except as a Resource (see
/// [`ArnGlob::for_resource`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnGlob {
    text: String,
    matcher: ArnMatcher,
    /// A Resource pattern with fewer than six parts whose last part ends in `*`: that star takes the rest of the
    /// ARN, colons included (see [`ArnGlob::for_resource`]).
    last_star_spans: bool,
    /// A Resource pattern with a star ending one of its other first five parts, which the wide reading lets take
    /// colons too (see [`ArnGlob::matches_wide`]).
    inner_star_spans: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ArnMatcher {
    /// Six parts whose first five are plain text (the usual case): an ARN matches when it starts with exactly
    /// `arn:partition:service:region:account:` and the rest matches `resource`, so neither side is split per
    /// statement and the five plain parts need no compiled form of their own.
    Prefixed { prefix: Prefix, resource: Glob },
    /// Any other pattern: one glob per part, at most six.
    Parts(Vec<Glob>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Prefix {
    /// The first `n` bytes of the pattern's text (plain text, where the prefix is written as it is matched).
    OfText(usize),
    /// A prefix that is not written as it is matched (it came from atoms: `${*}` shown, `*` matched).
    Owned(String),
}

impl ArnGlob {
    /// Compile from atoms, splitting at the first five literal colons.
    pub fn from_atoms(text: String, atoms: &[Atom]) -> ArnGlob {
        let mut segments: Vec<Vec<Atom>> = vec![Vec::new()];
        for atom in atoms {
            match atom {
                Atom::Literal(s) if segments.len() < 6 && s.contains(':') => {
                    let mut parts = s.split(':').peekable();
                    while let Some(part) = parts.next() {
                        if !part.is_empty() {
                            if let Some(seg) = segments.last_mut() {
                                seg.push(Atom::Literal(part.to_owned()));
                            }
                        }
                        if parts.peek().is_some() {
                            if segments.len() < 6 {
                                segments.push(Vec::new());
                            } else if let Some(seg) = segments.last_mut() {
                                seg.push(Atom::Literal(String::from(":")));
                            }
                        }
                    }
                }
                other => {
                    if let Some(seg) = segments.last_mut() {
                        seg.push(other.clone());
                    }
                }
            }
        }
        let mut segments = segments
            .iter()
            .map(|atoms| {
                let shown = atoms
                    .iter()
                    .map(|a| match a {
                        Atom::Literal(s) => s.as_str(),
                        Atom::AnyChar => "?",
                        Atom::AnyRun => "*",
                    })
                    .collect::<String>();
                Glob::from_atoms(shown, atoms)
            })
            .collect::<Vec<Glob>>();
        let prefix = exact_prefix(&segments).map(|prefix| {
            if text.starts_with(prefix.as_str()) {
                Prefix::OfText(prefix.len())
            } else {
                Prefix::Owned(prefix)
            }
        });
        let matcher = match (prefix, segments.len()) {
            (Some(prefix), 6) => match segments.pop() {
                Some(resource) => ArnMatcher::Prefixed { prefix, resource },
                None => ArnMatcher::Parts(segments),
            },
            _ => ArnMatcher::Parts(segments),
        };
        ArnGlob { text, matcher, last_star_spans: false, inner_star_spans: false }
    }

    /// Compile plain pattern text (no policy variables): the same as [`ArnGlob::from_atoms`] of its atoms, cut
    /// at its first five colons, without building the atoms.
    pub fn new(pattern: &str) -> ArnGlob {
        ArnGlob::from_text(pattern.to_owned())
    }

    /// [`ArnGlob::new`] of text the caller already owns.
    pub fn from_text(pattern: String) -> ArnGlob {
        // One pass over the bytes up to the fifth colon: where it is, and whether a wildcard comes before it.
        let (mut colons, mut wild, mut prefix_end) = (0, false, None);
        for (at, byte) in pattern.bytes().enumerate() {
            match byte {
                b':' => {
                    colons += 1;
                    if colons == 5 {
                        prefix_end = Some(at + 1);
                        break;
                    }
                }
                b'*' | b'?' => wild = true,
                _ => {}
            }
        }
        let matcher = if let (Some(prefix_end), false) = (prefix_end, wild) {
            let resource = Glob::new(pattern.get(prefix_end..).unwrap_or_default());
            ArnMatcher::Prefixed { prefix: Prefix::OfText(prefix_end), resource }
        } else {
            ArnMatcher::Parts(pattern.splitn(6, ':').map(Glob::new).collect())
        };
        ArnGlob { text: pattern, matcher, last_star_spans: false, inner_star_spans: false }
    }

    /// The pattern as a Resource / NotResource element reads it. IAM lets a `*` that is the last character of an
    /// ARN segment "expand to match beyond the colon boundaries". Where that surely applies, [`ArnGlob::matches`]
    /// reads it so: a pattern with fewer than six parts whose last part ends in `*` (`arn:aws:execute-api:*`,
    /// `arn:aws:execute-api:us-east-1:*`) matches every ARN whose first parts match its own, whatever follows.
    /// How far a star ending an earlier part may reach (`arn:aws:execute-api:*:a1b2c3d4e5/*`, or an account `*`
    /// meeting a colon in a request path) AWS does not show, so that reading is [`ArnGlob::matches_wide`], for the
    /// denying direction only. A star inside a part (`us-*-1`) stays within it, and the Arn condition operators,
    /// which AWS documents as comparing the six parts one by one, get neither reading.
    pub fn for_resource(mut self) -> ArnGlob {
        if let ArnMatcher::Parts(segments) = &self.matcher {
            let short = segments.len() < 6;
            let last = segments.len().saturating_sub(1);
            self.last_star_spans = short && segments.last().is_some_and(Glob::ends_with_star);
            self.inner_star_spans = segments
                .iter()
                .enumerate()
                .take(5)
                .any(|(i, segment)| segment.ends_with_star() && !(short && i == last));
        }
        self
    }

    /// The wide reading of a Resource pattern: every star that ends one of the first five parts may take colons
    /// too (see [`ArnGlob::for_resource`]). It matches at least what [`ArnGlob::matches`] does; the engine uses it
    /// where matching more denies more (a Deny's Resource, an Allow's NotResource).
    pub fn matches_wide(&self, arn: &str) -> bool {
        match &self.matcher {
            ArnMatcher::Parts(segments) if self.inner_star_spans => ArnGlob::matches_spanning(segments, arn),
            _ => self.matches(arn),
        }
    }

    /// [`ArnGlob::matches`] for a pattern whose segment-final stars may take colons. The ARN is cut at every colon;
    /// `starts` holds the pieces where the next pattern part may begin: right after the piece the previous part
    /// matched, or, after a part ending in `*`, after any later piece too. The sixth part (the resource) takes the
    /// rest of the ARN from where it begins, as in [`ArnGlob::matches`]. Each part is tried once per piece, so the
    /// work stays linear in the ARN for each part but the last.
    fn matches_spanning(segments: &[Glob], arn: &str) -> bool {
        // Byte offsets where each piece starts, and the end of the text as a last "start".
        let mut piece_starts: Vec<usize> = vec![0];
        piece_starts.extend(arn.match_indices(':').map(|(at, _)| at + 1));
        let pieces = piece_starts.len();
        let piece = |j: usize| -> &str {
            let start = piece_starts.get(j).copied().unwrap_or(arn.len());
            let end = piece_starts.get(j + 1).map_or(arn.len(), |next| next - 1);
            arn.get(start..end).unwrap_or_default()
        };
        // `starts[j]`: the current part may begin at piece `j`.
        let mut starts = vec![false; pieces];
        if let Some(first) = starts.first_mut() {
            *first = true;
        }
        for (i, segment) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            if i == 5 {
                // The resource part: the rest of the ARN from where it begins, further colons and all.
                let begins = (0..pieces).filter(|&j| starts.get(j) == Some(&true)).filter_map(|j| piece_starts.get(j));
                return segment.matches_a_suffix(arn, begins.copied());
            }
            let spans = segment.ends_with_star();
            let mut next = vec![false; pieces];
            let mut spanning_from = None;
            for j in 0..pieces {
                if starts.get(j) != Some(&true) || !segment.matches(piece(j)) {
                    continue;
                }
                if last {
                    // The pattern ends here: the ARN must end with this piece, unless the final star takes the rest.
                    if spans || j + 1 == pieces {
                        return true;
                    }
                    continue;
                }
                if spans {
                    spanning_from = Some(spanning_from.map_or(j + 1, |from: usize| from.min(j + 1)));
                } else if let Some(slot) = next.get_mut(j + 1) {
                    *slot = true;
                }
            }
            if let Some(from) = spanning_from {
                for slot in next.iter_mut().skip(from) {
                    *slot = true;
                }
            }
            starts = next;
        }
        false
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, arn: &str) -> bool {
        let segments = match &self.matcher {
            ArnMatcher::Prefixed { prefix, resource } => {
                let prefix = match prefix {
                    Prefix::OfText(n) => self.text.get(..*n).unwrap_or_default(),
                    Prefix::Owned(prefix) => prefix,
                };
                return arn.strip_prefix(prefix).is_some_and(|rest| resource.matches(rest));
            }
            ArnMatcher::Parts(segments) => segments,
        };
        if self.last_star_spans {
            // The first parts must match the ARN's own; the last one's final star takes the rest, colons included.
            let mut parts = arn.split(':');
            return segments.iter().all(|segment| parts.next().is_some_and(|part| segment.matches(part)));
        }
        if segments.len() == 1 {
            // `*` alone matches every ARN. Any other pattern without a colon has fewer than six parts and matches
            // none; only a policy variable's value can make one at run time (`${aws:PrincipalTag/x}*` with the
            // tag `arn`), and reading it as a plain wildcard would let it cross every colon of the ARN.
            return segments.first().is_some_and(|g| g.kind == Kind::Everything);
        }
        // Both sides are cut at their first five colons; every part must match its counterpart, and a pattern
        // with fewer parts than the ARN matches nothing (here a star never stands for a colon: an Arn operator's
        // pattern, or a Resource without a part-final star).
        let mut parts = arn.splitn(6, ':');
        for segment in segments {
            match parts.next() {
                Some(part) if segment.matches(part) => {}
                _ => return false,
            }
        }
        parts.next().is_none()
    }

    /// For a Resource pattern ([`ArnGlob::for_resource`]) with fewer than six parts whose last part does not end
    /// in `*`, that last part: the narrow reading matches no ARN of six parts, the wide one at most an ARN whose
    /// last colon-separated piece it matches.
    pub fn short_resource_last_part(&self) -> Option<&str> {
        match &self.matcher {
            ArnMatcher::Parts(segments) if segments.len() < 6 && !self.last_star_spans => {
                segments.last().map(Glob::as_str)
            }
            _ => None,
        }
    }

    /// How many of the six colon-separated parts of an ARN the pattern has.
    pub fn parts(&self) -> usize {
        match &self.matcher {
            ArnMatcher::Prefixed { .. } => 6,
            ArnMatcher::Parts(segments) => segments.len(),
        }
    }
}

/// `arn:partition:service:region:account:` when a pattern has six parts and its first five are plain text (the
/// usual case). The first five segments never hold a colon (the pattern was cut at them), so comparing them one by
/// one is the same as comparing the ARN's start with that prefix.
fn exact_prefix(segments: &[Glob]) -> Option<String> {
    match segments.get(..5) {
        Some(first_five) if segments.len() == 6 => first_five.iter().try_fold(String::new(), |mut prefix, segment| {
            let part = match &segment.kind {
                Kind::Exact(part) => part,
                Kind::ExactText => &segment.text,
                _ => return None,
            };
            prefix.push_str(part);
            prefix.push(':');
            Some(prefix)
        }),
        _ => None,
    }
}

/// The atoms of a pattern in which `*` and `?` are wildcards.
pub fn atoms_of(pattern: &str) -> Vec<Atom> {
    let mut atoms = Vec::new();
    let mut literal = String::new();
    for c in pattern.chars() {
        match c {
            '*' | '?' => {
                if !literal.is_empty() {
                    atoms.push(Atom::Literal(std::mem::take(&mut literal)));
                }
                atoms.push(if c == '*' { Atom::AnyRun } else { Atom::AnyChar });
            }
            _ => literal.push(c),
        }
    }
    if !literal.is_empty() {
        atoms.push(Atom::Literal(literal));
    }
    atoms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_folded_patterns_keep_their_text_and_match_lower_case() {
        for (pattern, wild) in [
            ("Execute-API:Invoke", false),
            ("execute-api:invoke", false),
            ("execute-api:Invoke", false),
            ("Execute-API:In*", true),
        ] {
            let glob = Glob::case_folded(pattern);
            assert_eq!(glob.as_str(), pattern);
            assert!(glob.matches("execute-api:invoke"), "{pattern}");
            assert!(!glob.matches("execute-api:manageconnections"), "{pattern}");
            assert_eq!(glob.matches("execute-api:in"), wild, "{pattern}");
        }
    }

    /// The textbook recursive matcher, as a reference.
    fn reference(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, _) => t.is_empty(),
            (Some('*'), _) => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
            (Some('?'), Some(_)) => reference(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => reference(&p[1..], &t[1..]),
            _ => false,
        }
    }

    #[test]
    fn agrees_with_the_reference_on_every_small_pattern() {
        let alphabet = ['a', 'b', '*', '?', 'é'];
        let texts = ["", "a", "b", "ab", "ba", "aab", "abab", "bbb", "é", "aéb", "ababa"];
        // Every pattern of up to four symbols.
        let mut patterns = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for p in &patterns {
                for c in alphabet {
                    next.push(format!("{p}{c}"));
                }
            }
            patterns.extend(next);
        }
        for p in &patterns {
            let glob = Glob::new(p);
            let pc: Vec<char> = p.chars().collect();
            for t in texts {
                let tc: Vec<char> = t.chars().collect();
                assert_eq!(glob.matches(t), reference(&pc, &tc), "pattern `{p}` text `{t}`");
            }
        }
    }

    #[test]
    fn an_arn_pattern_without_colons_matches_no_arn_unless_it_is_a_star() {
        // Before: a one-part pattern was a plain wildcard over the whole ARN, so `${aws:PrincipalTag/x}*` with the
        // tag `arn` matched every ARN, its star crossing all five colons.
        let from_variable = ArnGlob::from_atoms(String::new(), &[Atom::Literal("arn".into()), Atom::AnyRun]);
        assert!(!from_variable.matches("arn:aws:iam::111122223333:role/x"));
        assert!(!ArnGlob::from_atoms(String::new(), &[]).matches(""));
        assert!(ArnGlob::new("*").matches("arn:aws:iam::111122223333:role/x"));
        assert!(ArnGlob::new("**").matches("anything"));
    }

    #[test]
    fn compiling_plain_text_equals_compiling_its_atoms() {
        for p in [
            "*",
            "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*",
            "arn:aws:iam::*:user/x:y",
            "arn:*",
            "a:b",
            "",
            "arn:aws:s3:::b?c*:d",
        ] {
            assert_eq!(ArnGlob::new(p), ArnGlob::from_atoms(p.to_owned(), &atoms_of(p)), "{p}");
            assert_eq!(Glob::new(p), Glob::from_atoms(p.to_owned(), &atoms_of(p)), "{p}");
        }
    }

    #[test]
    fn literal_text_from_a_variable_keeps_its_star() {
        let glob = Glob::from_atoms("x".into(), &[Atom::Literal("a*".into()), Atom::AnyRun]);
        assert!(glob.matches("a*bc"));
        assert!(!glob.matches("abc"));
    }

    /// The dynamic-programming matcher: slow, plainly right, for patterns too long for [`reference`].
    fn table_reference(pattern: &str, text: &str) -> bool {
        let text: Vec<char> = text.chars().collect();
        let mut reach = vec![false; text.len() + 1];
        reach[0] = true;
        for p in pattern.chars() {
            let mut next = vec![false; text.len() + 1];
            for j in 0..=text.len() {
                next[j] = match p {
                    '*' => reach[j] || (j > 0 && next[j - 1]),
                    '?' => j > 0 && reach[j - 1],
                    c => j > 0 && reach[j - 1] && text[j - 1] == c,
                };
            }
            reach = next;
        }
        reach[text.len()]
    }

    #[test]
    fn pieces_with_a_question_mark_longer_than_a_word_match_as_the_reference_does() {
        // Pieces of 63 to 130 characters cross the 64-bit words of the Shift-And search.
        let mut patterns = Vec::new();
        for len in [63, 64, 65, 127, 128, 130] {
            let body: String = (0..len).map(|i| if i % 17 == 5 { '?' } else { ['a', 'b', 'é'][i % 3] }).collect();
            patterns.push(format!("*{body}*"));
            patterns.push(format!("x*?{body}*y"));
            patterns.push(format!("*{body}?*{body}*"));
        }
        let unit: String = (0..200).map(|i| ['a', 'b', 'é'][i % 3]).collect();
        let texts =
            [unit.clone(), format!("x{unit}{unit}y"), format!("{unit}z{unit}"), "ab".repeat(150), String::new()];
        for pattern in &patterns {
            let glob = Glob::new(pattern);
            for text in &texts {
                assert_eq!(glob.matches(text), table_reference(pattern, text), "`{pattern}` against `{text}`");
            }
        }
    }

    #[test]
    fn adversarial_patterns_stay_fast() {
        let pattern = format!("{}b", "*a".repeat(50));
        let text = "a".repeat(100_000);
        assert!(!Glob::new(&pattern).matches(&text));
        assert!(Glob::new(&pattern).matches(&format!("{text}b")));
        // A long piece holding a `?`, against a text made of its leading literal: each place to try used to cost
        // the piece's length.
        let pattern = format!("*{}?c*", "a".repeat(20_000));
        let text = "a".repeat(40_000);
        assert!(!Glob::new(&pattern).matches(&text));
        assert!(Glob::new(&pattern).matches(&format!("{text}c")));
        assert!(!Glob::new(&format!("*?{}c*", "a".repeat(20_000))).matches(&text));
    }

    #[test]
    fn arn_segments_do_not_let_a_star_cross_a_colon() {
        let g = ArnGlob::new("arn:aws:execute-api:*:111122223333:*/prod/*");
        assert!(g.matches("arn:aws:execute-api:us-east-1:111122223333:abc/prod/GET/pets"));
        assert!(!g.matches("arn:aws:execute-api:us-east-1:444455556666:abc/prod/GET/pets"));
        assert!(ArnGlob::new("arn:aws:iam::*:*").matches("arn:aws:iam::111122223333:user/alice"));
        assert!(!ArnGlob::new("arn:aws:iam::*").matches("arn:aws:iam::111122223333:user/alice"));
        assert!(!ArnGlob::new("arn:aws:*:us-east-1").matches("arn:aws:s3:::bucket"));
        assert!(ArnGlob::new("*").matches("arn:aws:s3:::bucket"));
        // The resource part keeps its colons.
        assert!(
            ArnGlob::new("arn:aws:lambda:*:*:function:pets*").matches("arn:aws:lambda:us-east-1:1:function:pets:live")
        );
        assert!(!ArnGlob::new("arn:aws:lambda:us-*:*:*").matches("arn:aws:lambda:eu-west-1:1:function:x"));
    }

    #[test]
    fn as_a_resource_a_part_final_star_may_take_colons() {
        let arn = "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/pets";
        // Both readings: a short pattern's final star takes the rest of the ARN.
        for pattern in
            ["arn:aws:execute-api:*", "arn:aws:execute-api:us-east-1:*", "arn:aws:execute-api:us-*", "arn:*", "a*"]
        {
            let glob = ArnGlob::new(pattern).for_resource();
            assert!(glob.matches(arn) && glob.matches_wide(arn), "{pattern}");
            // Not for an Arn operator, nor without `for_resource`.
            assert!(!ArnGlob::new(pattern).matches(arn), "{pattern}");
        }
        // Neither reading.
        for pattern in [
            "arn:aws:execute-api:eu-*",
            "arn:aws:s3:*",
            "arn:aws:execute-api:*:111122223333",
            "arn:aws:execute-api:us-east-1",
            // A star inside a part stays within it: `us*3` would need the region and the account.
            "arn:aws:execute-api:us*3:*",
            "arn:aws:execute-api:*:a1b2c3d4e5/test/*",
            "x*",
        ] {
            let glob = ArnGlob::new(pattern).for_resource();
            assert!(!glob.matches(arn) && !glob.matches_wide(arn), "{pattern}");
        }
        // Only the wide reading: a star ending an earlier part takes whole parts (here the region and the account).
        for pattern in ["arn:aws:execute-api:*:a1b2c3d4e5/*", "arn:aws:*:a1b2c3d4e5/prod/GET/pets", "arn:aws:*:*/pets"]
        {
            let glob = ArnGlob::new(pattern).for_resource();
            assert!(!glob.matches(arn) && glob.matches_wide(arn), "{pattern}");
        }
        // A resource part without a star covers a fixed length: the later start fits where the earliest does not.
        let fixed = ArnGlob::new("*::::*:???").for_resource();
        assert!(fixed.matches_wide("q::::r:s:t:u") && !fixed.matches("q::::r:s:t:u"));
        let colon_in_path = "arn:aws:execute-api:us-east-1:111122223333:zzzz9999zz/prod/GET/admin:a1b2c3d4e5/x";
        let six = ArnGlob::new("arn:aws:execute-api:us-east-1:*:a1b2c3d4e5/*").for_resource();
        assert!(!six.matches(colon_in_path) && six.matches_wide(colon_in_path));
        assert!(six.matches(arn) && six.matches_wide(arn));
        // A star that came from a policy variable's value is literal: it does not span.
        let literal_star = ArnGlob::from_atoms(
            String::from("arn:aws:execute-api:${*}"),
            &[Atom::Literal(String::from("arn:aws:execute-api:")), Atom::Literal(String::from("*"))],
        )
        .for_resource();
        assert!(!literal_star.matches(arn) && !literal_star.matches_wide(arn));
        let from_atoms = ArnGlob::from_atoms(String::new(), &[Atom::Literal("arn:aws:".into()), Atom::AnyRun]);
        assert!(from_atoms.for_resource().matches(arn));
    }

    #[test]
    fn the_wide_reading_stays_near_linear_on_colons() {
        // A resource part tried from every place the spanning star lets it begin: each try is cut short at the
        // first character, and the full match runs once (see `Glob::matches_a_suffix`).
        let path = ":".repeat(10_000);
        let arn = format!("arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/{path}");
        let glob = ArnGlob::new("arn:aws:execute-api:*:*:*x*y").for_resource();
        assert!(!glob.matches_wide(&arn));
        let glob = ArnGlob::new("arn:aws:execute-api:*:111122223333:*/prod/DELETE/*").for_resource();
        assert!(!glob.matches_wide(&arn));
    }

    #[test]
    fn a_plain_text_prefix_matches_as_the_segments_would() {
        // Patterns whose first five parts are plain text take the prefix path; the same patterns with a `?`
        // in the region (so no prefix) take the segment path. Both must agree on every ARN.
        let patterns = [
            "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/*",
            "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/",
            "arn:aws:s3:::bucket/*",
            "arn:aws:lambda:us-east-1:1:function:pets:*",
        ];
        let arns = [
            "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/pets",
            "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/GET/",
            "arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5",
            "arn:aws:execute-api:us-east-1:111122223333",
            "arn:aws:execute-api:us-east-1:111122223333:",
            "arn:aws:execute-api:us-east-2:111122223333:a1b2c3d4e5/prod/GET/pets",
            "arn:aws:execute-api:us-east-1:1111222233334:a1b2c3d4e5/x",
            "arn:aws:s3:::bucket/key:with:colons",
            "arn:aws:s3:::bucket",
            "arn:aws:lambda:us-east-1:1:function:pets:live",
            "arn:aws:lambda:us-east-1:1:function:pets",
        ];
        let prefixed = |glob: &ArnGlob| matches!(glob.matcher, ArnMatcher::Prefixed { .. });
        for pattern in patterns {
            let glob = ArnGlob::new(pattern);
            assert!(prefixed(&glob), "{pattern}");
            let segmented = ArnGlob {
                text: pattern.to_owned(),
                matcher: ArnMatcher::Parts(pattern.splitn(6, ':').map(Glob::new).collect()),
                last_star_spans: false,
                inner_star_spans: false,
            };
            for arn in arns {
                assert_eq!(glob.matches(arn), segmented.matches(arn), "{pattern} against {arn}");
            }
        }
        assert!(!prefixed(&ArnGlob::new("arn:aws:execute-api:*:111122223333:a1b2c3d4e5/*")));
        assert!(!prefixed(&ArnGlob::new("arn:aws:iam::111122223333")));
    }
}
