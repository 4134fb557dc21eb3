//! Dates for Date* operators, `aws:CurrentTime`, `aws:EpochTime` and request times: ISO 8601 (extended or basic
//! form, with `Z`, an offset or no zone, which reads as UTC) or epoch seconds, as milliseconds since 1970.

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// A cursor over ASCII digits and separators.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, n: usize) -> Option<i64> {
        let slice = self.bytes.get(self.pos..self.pos + n)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += n;
        Some(slice.iter().fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0')))
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.bytes.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

/// Epoch seconds (`1700000000`, optionally with a fraction) or an ISO 8601 date or date-time.
pub fn parse_instant(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') && text.bytes().next().is_some_and(|b| b.is_ascii_digit())
    {
        return parse_epoch(text);
    }
    parse_iso(text)
}

fn parse_epoch(text: &str) -> Option<i64> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if whole.len() > 12 || fraction.contains('.') {
        return None;
    }
    let seconds: i64 = whole.parse().ok()?;
    let mut millis = 0i64;
    for (i, b) in fraction.bytes().take(3).enumerate() {
        millis += i64::from(b - b'0') * [100, 10, 1].get(i).copied().unwrap_or(0);
    }
    Some(seconds * 1000 + millis)
}

fn parse_iso(text: &str) -> Option<i64> {
    let mut c = Cursor { bytes: text.as_bytes(), pos: 0 };
    let year = c.digits(4)?;
    let extended = c.eat(b'-');
    let month = c.digits(2)?;
    if extended && !c.eat(b'-') {
        return None;
    }
    let day = c.digits(2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let (mut hour, mut minute, mut second, mut millis) = (0, 0, 0, 0);
    if c.eat(b'T') || c.eat(b't') {
        hour = c.digits(2)?;
        if extended && !c.eat(b':') {
            return None;
        }
        minute = c.digits(2)?;
        let has_seconds = if extended { c.eat(b':') } else { c.peek().is_some_and(|b| b.is_ascii_digit()) };
        if has_seconds {
            second = c.digits(2)?;
            if c.eat(b'.') || c.eat(b',') {
                let mut scale = 100;
                let mut any = false;
                while let Some(d) = c.peek().filter(u8::is_ascii_digit) {
                    millis += i64::from(d - b'0') * scale;
                    scale /= 10;
                    c.pos += 1;
                    any = true;
                }
                if !any {
                    return None;
                }
            }
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
    }
    let mut offset_minutes = 0;
    if c.eat(b'Z') || c.eat(b'z') {
    } else if let Some(sign) = c.peek().filter(|b| *b == b'+' || *b == b'-') {
        c.pos += 1;
        let oh = c.digits(2)?;
        c.eat(b':');
        let om = if c.done() { 0 } else { c.digits(2)? };
        if oh > 23 || om > 59 {
            return None;
        }
        offset_minutes = (oh * 60 + om) * if sign == b'-' { -1 } else { 1 };
    }
    if !c.done() {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

fn parts(millis: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let seconds = millis.div_euclid(1000);
    let ms = millis.rem_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let rem = seconds.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    (y, mo, d, rem / 3600, (rem % 3600) / 60, rem % 60, ms)
}

/// `2026-11-22T10:00:00Z` (with `.mmm` when there are milliseconds): how `aws:CurrentTime` reads.
pub fn format_iso(millis: i64) -> String {
    let (y, mo, d, h, mi, s, ms) = parts(millis);
    if !(0..=9999).contains(&y) {
        return if ms == 0 {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        } else {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
        };
    }
    // By hand for the years every request has: this runs once per request read.
    let mut out = String::with_capacity(24);
    for (value, width, after) in [(y, 4, '-'), (mo, 2, '-'), (d, 2, 'T'), (h, 2, ':'), (mi, 2, ':'), (s, 2, '.')] {
        push_padded(&mut out, value, width);
        if after != '.' || ms != 0 {
            out.push(after);
        }
    }
    if ms != 0 {
        push_padded(&mut out, ms, 3);
    }
    out.push('Z');
    out
}

/// `value` (0 to 10^width - 1, width at most 4) in decimal, zero-padded to `width` digits.
fn push_padded(out: &mut String, value: i64, width: usize) {
    let mut digits = [b'0'; 4];
    let mut rest = value;
    for i in (0..width).rev() {
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + u8::try_from(rest.rem_euclid(10)).unwrap_or(0);
        }
        rest /= 10;
    }
    out.push_str(std::str::from_utf8(digits.get(..width).unwrap_or(b"")).unwrap_or(""));
}

/// `20261122T100000Z`: the form SigV4 messages use.
pub fn format_compact(millis: i64) -> String {
    let (y, mo, d, h, mi, s, _) = parts(millis);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_iso_writes_what_format_writes() {
        let by_format = |millis: i64| {
            let (y, mo, d, h, mi, s, ms) = parts(millis);
            if ms == 0 {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
            }
        };
        let mut millis: i64 = -70_000_000_000_000;
        while millis < 300_000_000_000_000 {
            assert_eq!(format_iso(millis), by_format(millis), "{millis}");
            millis += 7_919_999_937; // about three months and a prime number of milliseconds
        }
        for millis in [0, 1, 999, 1000, 1_795_341_600_000, 1_795_341_600_250, 253_402_300_799_999, -1] {
            assert_eq!(format_iso(millis), by_format(millis), "{millis}");
        }
    }

    #[test]
    fn reads_iso_forms_and_epoch_seconds_alike() {
        let t = parse_instant("2026-11-22T10:00:00Z");
        assert_eq!(t, Some(1_795_341_600_000));
        assert_eq!(parse_instant("2026-11-22T11:00:00+01:00"), t);
        assert_eq!(parse_instant("2026-11-22T10:00Z"), t);
        assert_eq!(parse_instant("20261122T100000Z"), t);
        assert_eq!(parse_instant("1795341600"), t);
        assert_eq!(parse_instant("2026-11-22"), Some(1_795_305_600_000));
        assert_eq!(parse_instant("2026-11-22T10:00:00.250Z"), t.map(|t| t + 250));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in ["", "tomorrow", "2026-13-01", "2026-02-30", "2026-11-22T25:00:00Z", "2026-11-22T10:00:00Q", "1.2.3"]
        {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
        assert_eq!(parse_instant("2024-02-29"), Some(1_709_164_800_000));
    }

    #[test]
    fn formats_round_trip() {
        for millis in [0, 1_795_341_600_000, 1_795_341_600_250, -86_400_000] {
            assert_eq!(parse_instant(&format_iso(millis)), Some(millis));
        }
        assert_eq!(format_compact(1_795_341_600_000), "20261122T100000Z");
    }
}
