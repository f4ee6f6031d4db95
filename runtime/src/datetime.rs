//! A point in time and its three Smithy wire formats: `date-time` (RFC 3339), `http-date`
//! (IMF-fixdate) and `epoch-seconds`.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::ParseError;

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A point in time: seconds since the Unix epoch (UTC, no leap seconds) and nanoseconds.
///
/// In JSON bodies ([`crate::json`]) it is written as epoch seconds unless the model declares another
/// format, and read from any of the three formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    seconds: i64,
    nanos: u32,
}

impl DateTime {
    /// Whole seconds since the epoch.
    pub fn from_secs(seconds: i64) -> Self {
        DateTime { seconds, nanos: 0 }
    }

    /// Seconds since the epoch plus nanoseconds (`nanos` of a second or more carry into the seconds).
    pub fn from_secs_and_nanos(seconds: i64, nanos: u32) -> Self {
        DateTime { seconds: seconds + i64::from(nanos / NANOS_PER_SEC), nanos: nanos % NANOS_PER_SEC }
    }

    /// Seconds since the epoch (rounded down: -0.5 s is `secs() == -1`, `subsec_nanos() == 500_000_000`).
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`DateTime::secs`], below 1 000 000 000.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// The current time.
    pub fn now() -> Self {
        SystemTime::now().into()
    }

    /// RFC 3339 in UTC with a `Z`, e.g. `2019-12-16T23:48:18.52Z`: fractional seconds only when
    /// present, to the microsecond (as the AWS SDKs send them), without trailing zeros.
    pub fn to_date_time(&self) -> String {
        let c = Civil::from_secs(self.seconds);
        let mut out =
            format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
        let micros = self.nanos / 1000;
        if micros > 0 {
            out.push_str(format!(".{micros:06}").trim_end_matches('0'));
        }
        out.push('Z');
        out
    }

    /// Parses RFC 3339: `2019-12-16T23:48:18Z`, with any number of fractional digits (beyond 9
    /// they are dropped), a `Z` or a `+hh:mm` / `-hh:mm` offset; `t` and `z` may be lower case.
    pub fn parse_date_time(s: &str) -> Result<Self, ParseError> {
        let err = |reason| ParseError::new("an RFC 3339 date-time", s, reason);
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(err("expected YYYY-MM-DDThh:mm:ss"));
        }
        let year = digits(&b[0..4]).ok_or_else(|| err("bad year"))?;
        let month = digits(&b[5..7]).ok_or_else(|| err("bad month"))?;
        let day = digits(&b[8..10]).ok_or_else(|| err("bad day"))?;
        let hour = digits(&b[11..13]).ok_or_else(|| err("bad hour"))?;
        let minute = digits(&b[14..16]).ok_or_else(|| err("bad minute"))?;
        let second = digits(&b[17..19]).ok_or_else(|| err("bad second"))?;
        let (nanos, rest) = fraction(&b[19..]).map_err(err)?;
        let offset = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let h = digits(&[*h1, *h2]).ok_or_else(|| err("bad offset"))?;
                let m = digits(&[*m1, *m2]).ok_or_else(|| err("bad offset"))?;
                if h > 23 || m > 59 {
                    return Err(err("bad offset"));
                }
                let secs = i64::from(h * 3600 + m * 60);
                if *sign == b'+' {
                    secs
                } else {
                    -secs
                }
            }
            _ => return Err(err("expected 'Z' or an offset after the time")),
        };
        let secs = civil_to_secs(year, month, day, hour, minute, second).ok_or_else(|| err("out of range"))?;
        Ok(DateTime { seconds: secs - offset, nanos })
    }

    /// IMF-fixdate (the HTTP date format), e.g. `Mon, 16 Dec 2019 23:48:18 GMT`; sub-second
    /// precision is dropped, as HTTP dates have none.
    pub fn to_http_date(&self) -> String {
        let c = Civil::from_secs(self.seconds);
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            WEEKDAYS[c.weekday as usize],
            c.day,
            MONTHS[c.month as usize - 1],
            c.year,
            c.hour,
            c.minute,
            c.second
        )
    }

    /// Parses IMF-fixdate, e.g. `Mon, 16 Dec 2019 23:48:18 GMT`, also with fractional seconds
    /// (`23:48:18.123`) as some services send. The weekday is not checked against the date.
    pub fn parse_http_date(s: &str) -> Result<Self, ParseError> {
        let err = |reason| ParseError::new("an HTTP date", s, reason);
        let b = s.trim().as_bytes();
        if b.len() < 29 || b[3] != b',' || b[4] != b' ' || b[7] != b' ' || b[11] != b' ' || b[16] != b' ' {
            return Err(err("expected `Www, DD Mon YYYY hh:mm:ss GMT`"));
        }
        if !WEEKDAYS.iter().any(|w| w.as_bytes() == &b[0..3]) {
            return Err(err("bad weekday"));
        }
        let day = digits(&b[5..7]).ok_or_else(|| err("bad day"))?;
        let month = MONTHS.iter().position(|m| m.as_bytes() == &b[8..11]).ok_or_else(|| err("bad month"))? as u32 + 1;
        let year = digits(&b[12..16]).ok_or_else(|| err("bad year"))?;
        if b[19] != b':' || b[22] != b':' {
            return Err(err("bad time"));
        }
        let hour = digits(&b[17..19]).ok_or_else(|| err("bad hour"))?;
        let minute = digits(&b[20..22]).ok_or_else(|| err("bad minute"))?;
        let second = digits(&b[23..25]).ok_or_else(|| err("bad second"))?;
        let (nanos, rest) = fraction(&b[25..]).map_err(err)?;
        if rest != b" GMT" {
            return Err(err("expected ` GMT` at the end"));
        }
        let secs = civil_to_secs(year, month, day, hour, minute, second).ok_or_else(|| err("out of range"))?;
        Ok(DateTime { seconds: secs, nanos })
    }

    /// Epoch seconds as JSON number text: `1576540098`, or `1576540098.52` with fractional seconds
    /// (exact, without trailing zeros).
    pub fn to_epoch_seconds(&self) -> String {
        if self.nanos == 0 {
            return self.seconds.to_string();
        }
        // secs + nanos/1e9 as a decimal: for negative times with a fraction, -(|secs| - 1).(1e9 - nanos).
        let (sign, whole, frac) = if self.seconds < 0 {
            ("-", (self.seconds + 1).unsigned_abs(), NANOS_PER_SEC - self.nanos)
        } else {
            ("", self.seconds as u64, self.nanos)
        };
        let frac = format!("{frac:09}");
        format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
    }

    /// Parses epoch seconds: an integer or decimal number (`1576540098`, `-1.5`, `1.576540098E9`).
    pub fn parse_epoch_seconds(s: &str) -> Result<Self, ParseError> {
        let err = |reason| ParseError::new("epoch seconds", s, reason);
        let t = s.trim();
        let (negative, unsigned) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let plain =
            !int.is_empty() && int.bytes().all(|c| c.is_ascii_digit()) && frac.bytes().all(|c| c.is_ascii_digit());
        if !plain {
            // Exponent notation and the like: go through f64.
            let f: f64 = t.parse().map_err(|_| err("not a number"))?;
            return DateTime::from_f64(f).ok_or_else(|| err("out of range"));
        }
        let whole: i64 = int.parse().map_err(|_| err("out of range"))?;
        let nanos = fraction_nanos(frac.as_bytes());
        Ok(match (negative, nanos) {
            (false, _) => DateTime { seconds: whole, nanos },
            (true, 0) => DateTime { seconds: -whole, nanos: 0 },
            (true, n) => DateTime { seconds: -whole - 1, nanos: NANOS_PER_SEC - n },
        })
    }

    /// Epoch seconds as a float, rounded to the microsecond (what an `f64` of today's epoch holds).
    pub(crate) fn from_f64(f: f64) -> Option<Self> {
        if !f.is_finite() || f.abs() > 1e16 {
            return None;
        }
        let mut seconds = f.floor();
        let mut micros = ((f - seconds) * 1e6).round();
        if micros >= 1e6 {
            seconds += 1.0;
            micros = 0.0;
        }
        Some(DateTime { seconds: seconds as i64, nanos: micros as u32 * 1000 })
    }

    pub(crate) fn as_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.nanos) / 1e9
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`, the SigV4 `X-Amz-Date`.
    pub(crate) fn to_amz_date(self) -> String {
        let c = Civil::from_secs(self.seconds);
        if !(0..=9999).contains(&c.year) {
            return format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second);
        }
        // Digit by digit rather than with `format!`: it is part of every signature.
        let mut out = String::with_capacity(16);
        let digits = |out: &mut String, n: i64, width: u32| {
            for i in (0..width).rev() {
                out.push(char::from(b'0' + (n / 10i64.pow(i) % 10) as u8));
            }
        };
        digits(&mut out, c.year, 4);
        digits(&mut out, c.month.into(), 2);
        digits(&mut out, c.day.into(), 2);
        out.push('T');
        digits(&mut out, c.hour.into(), 2);
        digits(&mut out, c.minute.into(), 2);
        digits(&mut out, c.second.into(), 2);
        out.push('Z');
        out
    }
}

/// The epoch: what a client reads for a required timestamp the service left out (Smithy's error
/// correction).
impl Default for DateTime {
    fn default() -> Self {
        DateTime::from_secs(0)
    }
}

impl fmt::Display for DateTime {
    /// Formats as [`DateTime::to_date_time`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_date_time())
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime::from_secs_and_nanos(d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                match d.subsec_nanos() {
                    0 => DateTime::from_secs(-(d.as_secs() as i64)),
                    n => DateTime { seconds: -(d.as_secs() as i64) - 1, nanos: NANOS_PER_SEC - n },
                }
            }
        }
    }
}

/// A broken-down UTC time.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// 0 = Sunday.
    weekday: u32,
}

impl Civil {
    fn from_secs(secs: i64) -> Civil {
        let days = secs.div_euclid(SECS_PER_DAY);
        let rem = secs.rem_euclid(SECS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem / 60 % 60,
            second: rem % 60,
            // 1970-01-01 was a Thursday.
            weekday: (days + 4).rem_euclid(7) as u32,
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn civil_to_secs(year: u32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Option<i64> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    // A leap second (:60) is read as the first second of the next minute.
    if !(1..=12).contains(&month)
        || day == 0
        || day > month_days[month as usize - 1]
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    Some(days * SECS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second))
}

/// ASCII digits as a number; `None` if any byte is not a digit.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

/// An optional `.digits` fraction at the start of `b`: its nanoseconds, and what follows it.
fn fraction(b: &[u8]) -> Result<(u32, &[u8]), &'static str> {
    let [b'.', tail @ ..] = b else { return Ok((0, b)) };
    let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return Err("no digits after '.'");
    }
    Ok((fraction_nanos(&tail[..n]), &tail[n..]))
}

/// Fractional-second digits (after the '.') as nanoseconds; digits beyond the ninth are dropped.
fn fraction_nanos(b: &[u8]) -> u32 {
    let mut nanos = 0;
    for i in 0..9 {
        nanos = nanos * 10 + b.get(i).map_or(0, |c| u32::from(c - b'0'));
    }
    nanos
}

impl DateTime {
    /// Any of the three wire formats: an http-date or date-time string, or epoch seconds as text.
    pub fn parse_any(v: &str) -> Result<DateTime, ParseError> {
        let first = v.trim_start().as_bytes().first().copied().unwrap_or(b' ');
        if first.is_ascii_alphabetic() {
            DateTime::parse_http_date(v)
        } else if v.len() >= 20 && v.as_bytes()[4] == b'-' {
            DateTime::parse_date_time(v)
        } else {
            DateTime::parse_epoch_seconds(v)
        }
    }
}

/// [`DateTime::parse_any`]: how a header value is read.
impl std::str::FromStr for DateTime {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        DateTime::parse_any(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_and_known_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for days in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn date_time_format_and_parse() {
        // 2019-12-16T23:48:18Z, as in the Smithy protocol tests.
        let t = DateTime::from_secs(1_576_540_098);
        assert_eq!(t.to_date_time(), "2019-12-16T23:48:18Z");
        assert_eq!(DateTime::parse_date_time("2019-12-16T23:48:18Z").unwrap(), t);
        let frac = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        assert_eq!(frac.to_date_time(), "2019-12-16T23:48:18.52Z");
        assert_eq!(DateTime::parse_date_time("2019-12-16T23:48:18.52Z").unwrap(), frac);
        assert_eq!(DateTime::parse_date_time(&frac.to_date_time()).unwrap(), frac);
        // Microsecond precision on output; nanoseconds and extra digits on input.
        let nanos = DateTime::from_secs_and_nanos(0, 123_456_789);
        assert_eq!(nanos.to_date_time(), "1970-01-01T00:00:00.123456Z");
        assert_eq!(DateTime::parse_date_time("1970-01-01T00:00:00.1234567891Z").unwrap(), nanos);
        // Offsets, lower case, leap day, before the epoch.
        assert_eq!(DateTime::parse_date_time("2019-12-17T01:48:18+02:00").unwrap(), t);
        assert_eq!(DateTime::parse_date_time("2019-12-16t19:18:18-04:30").unwrap(), t);
        assert_eq!(DateTime::parse_date_time("2019-12-16t23:48:18z").unwrap(), t);
        assert_eq!(DateTime::parse_date_time("2020-02-29T00:00:00Z").unwrap().to_date_time(), "2020-02-29T00:00:00Z");
        let before = DateTime::parse_date_time("1969-12-31T23:59:59.5Z").unwrap();
        assert_eq!((before.secs(), before.subsec_nanos()), (-1, 500_000_000));
        assert_eq!(before.to_date_time(), "1969-12-31T23:59:59.5Z");
        for bad in [
            "2019-12-16",
            "2019-12-16 23:48:18Z",
            "2019-13-16T23:48:18Z",
            "2019-02-29T23:48:18Z",
            "2019-12-16T24:48:18Z",
            "2019-12-16T23:48:18",
            "2019-12-16T23:48:18.Z",
            "2019-12-16T23:48:18+0200",
            "2019-12-16T23:48:1xZ",
        ] {
            assert!(DateTime::parse_date_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn http_date_format_and_parse() {
        let t = DateTime::from_secs(1_576_540_098);
        assert_eq!(t.to_http_date(), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(DateTime::parse_http_date("Mon, 16 Dec 2019 23:48:18 GMT").unwrap(), t);
        assert_eq!(DateTime::from_secs(784_111_777).to_http_date(), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(DateTime::from_secs(0).to_http_date(), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            DateTime::parse_http_date("Mon, 16 Dec 2019 23:48:18.123 GMT").unwrap(),
            DateTime::from_secs_and_nanos(1_576_540_098, 123_000_000)
        );
        // Sub-second precision is dropped on output.
        assert_eq!(DateTime::from_secs_and_nanos(1_576_540_098, 5).to_http_date(), "Mon, 16 Dec 2019 23:48:18 GMT");
        for bad in ["Mon, 16 Dec 2019 23:48:18", "Mon 16 Dec 2019 23:48:18 GMT", "Mon, 16 Dex 2019 23:48:18 GMT", ""] {
            assert!(DateTime::parse_http_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn epoch_seconds_format_and_parse() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        assert_eq!(t.to_epoch_seconds(), "1576540098.52");
        assert_eq!(DateTime::parse_epoch_seconds("1576540098.52").unwrap(), t);
        assert_eq!(DateTime::from_secs(1_576_540_098).to_epoch_seconds(), "1576540098");
        assert_eq!(DateTime::parse_epoch_seconds("1576540098").unwrap(), DateTime::from_secs(1_576_540_098));
        let neg = DateTime::parse_epoch_seconds("-1.5").unwrap();
        assert_eq!((neg.secs(), neg.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(neg.to_epoch_seconds(), "-1.5");
        assert_eq!(DateTime::from_secs_and_nanos(-1, 250_000_000).to_epoch_seconds(), "-0.75");
        assert_eq!(DateTime::parse_epoch_seconds("-0.75").unwrap(), DateTime::from_secs_and_nanos(-1, 250_000_000));
        assert_eq!(DateTime::parse_epoch_seconds("1.57654009852E9").unwrap(), t);
        assert_eq!(DateTime::from_secs_and_nanos(1, 1).to_epoch_seconds(), "1.000000001");
        assert!(DateTime::parse_epoch_seconds("abc").is_err());
        assert!(DateTime::parse_epoch_seconds("").is_err());
    }

    #[test]
    fn now_and_system_time() {
        let now = DateTime::now();
        assert!(now.secs() > 1_700_000_000);
        let t = DateTime::from(UNIX_EPOCH - std::time::Duration::from_millis(1500));
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(DateTime::from_secs_and_nanos(1, 2_500_000_000), DateTime::from_secs_and_nanos(3, 500_000_000));
        assert!(DateTime::from_secs(1) < DateTime::from_secs_and_nanos(1, 1));
        assert_eq!(DateTime::from_secs(1_440_938_160).to_amz_date(), "20150830T123600Z");
    }

    #[test]
    fn from_str_takes_any_format() {
        assert_eq!("Mon, 16 Dec 2019 23:48:18 GMT".parse(), Ok(DateTime::from_secs(1_576_540_098)));
        assert!("soon".parse::<DateTime>().is_err());
    }

    #[test]
    fn parse_any_format() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        for text in ["2019-12-16T23:48:18.52Z", "1576540098.52"] {
            assert_eq!(DateTime::parse_any(text), Ok(t), "{text}");
        }
        assert_eq!(DateTime::parse_any("Mon, 16 Dec 2019 23:48:18 GMT"), Ok(DateTime::from_secs(1_576_540_098)));
        assert_eq!(DateTime::parse_any("-5"), Ok(DateTime::from_secs(-5)));
        assert!(DateTime::parse_any("yesterday").is_err());
    }
}
