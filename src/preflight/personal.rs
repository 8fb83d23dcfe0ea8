//! Personal data: what must never be published in a letter about children.
//!
//! National Insurance and NHS numbers, dates of birth, and phone numbers,
//! email addresses and postcodes that are not the letter's own contacts.
//! Each pattern is strict enough that ordinary prose does not match it: an
//! NHS number must pass its check digit, a phone number must be a UK number
//! of ten or eleven digits, a date counts as a date of birth only near a
//! word such as "born". The messages never repeat the data, so a CI log
//! does not publish what the letter must not.

use std::sync::LazyLock;

use regex::Regex;

use std::ops::Range;

use super::text::{Flat, Folded, Words};
use super::{Hit, Known};
use crate::preflight::rules::Compiled;

/// Two letters, six digits in pairs or not, and a suffix letter A to D.
/// The letters are checked apart ([`ni_prefix`]): a prefix HMRC never
/// issues (`QQ 12 34 56 C`, its own example) is reported too, since a typo
/// of a real number looks the same.
static NI_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([A-Z]{2}) ?-?\d{2} ?-?\d{2} ?-?\d{2}(?: ?-?([A-D]))?\b")
        .expect("a valid pattern")
});

static NHS_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[1-9]\d{2} ?-? ?\d{3} ?-? ?\d{4}\b").expect("a valid pattern"));

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:\+|\b00)44[ .-]?(?:\(0\)[ .-]?)?|\(0|\b0)\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}\b",
    )
    .expect("a valid pattern")
});

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .expect("a valid pattern")
});

/// A UK postcode, e.g. `M3 3FX`, `SW1A 1AA`, `sw1a 1aa`: its letters all
/// capitals or all small ([`one_case`]), so that `Q4 2nd` is not one.
pub(super) static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[A-Z]{1,2}\d[A-Z\d]? ?-? ?\d[ABD-HJLNP-UW-Z]{2}\b").expect("a valid pattern")
});

/// Dates written with figures: 12/03/2004, 12.3.04, 2004-03-12.
static FIGURE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b")
        .expect("a valid pattern")
});

/// The personal data in one text, however it is typed: the patterns read
/// the text [`Folded`] (any Unicode space or dash between groups,
/// invisible characters left out) and case-blind, and each hit is the
/// letter's own words.
pub(super) fn find(flat: &Flat, compiled: &Compiled, known: &Known) -> Vec<Hit> {
    let folded = Folded::of(&flat.text);
    let text = folded.text.as_str();
    let mut hits = Vec::new();
    let mut hit = |rule, message: &str, range: Range<usize>| {
        hits.push(Hit::new(rule, message, &flat.text[folded.original(range)]));
    };
    for caps in NI_NUMBER.captures_iter(text) {
        let (Some(all), Some(prefix)) = (caps.get(0), caps.get(1)) else { continue };
        // Without its suffix, "is 12 34 56" is prose: only capitals count.
        let capitals = prefix.as_str().chars().all(|c| c.is_ascii_uppercase());
        if caps.get(2).is_none() && !capitals {
            continue;
        }
        let message = match ni_prefix(prefix.as_str()) {
            Prefix::Issued => "a National Insurance number must not be published",
            Prefix::Unusual => {
                "a National Insurance number must not be published (its prefix is unusual, \
                 but a mistyped number is still personal data)"
            }
        };
        hit("ni-number", message, all.range());
    }
    for m in NHS_NUMBER.find_iter(text).filter(|m| is_nhs_number(m.as_str())) {
        hit("nhs-number", "an NHS number must not be published", m.range());
    }
    for range in dates_of_birth(text, compiled, known) {
        hit("date-of-birth", "a date of birth must not be published", range);
    }
    for m in PHONE.find_iter(text) {
        let digits = phone_digits(m.as_str());
        if (10..=11).contains(&digits.len()) && !known.phones.contains(&digits) {
            let message =
                "a phone number that is neither the lead inspector's nor the organisation's";
            hit("phone-number", message, m.range());
        }
    }
    for m in EMAIL.find_iter(text) {
        if !known.emails.contains(&m.as_str().to_lowercase()) {
            let message =
                "an email address that is neither the lead inspector's nor the organisation's";
            hit("email-address", message, m.range());
        }
    }
    for m in POSTCODE.find_iter(text).filter(|m| one_case(m.as_str())) {
        if !known.postcodes.contains(&postcode_key(m.as_str())) {
            hit("postcode", "a postcode other than the letterhead's", m.range());
        }
    }
    // An address only in a link's target (`[write to us](mailto:…)`).
    let linked = flat.links.iter().filter_map(|l| l.url.get(7..).filter(|_| is_mailto(&l.url)));
    for address in linked {
        if !known.emails.contains(&address.to_lowercase()) {
            let message =
                "an email address that is neither the lead inspector's nor the organisation's";
            hits.push(Hit::new("email-address", message, address));
        }
    }
    hits
}

/// Whether an NI number's two letters are ones HMRC issues.
#[derive(Debug, PartialEq, Eq)]
enum Prefix {
    Issued,
    Unusual,
}

/// HMRC never issues D, F, I, Q, U or V as either letter, O as the second,
/// nor the prefixes BG, GB, KN, NK, NT, TN and ZZ.
fn ni_prefix(prefix: &str) -> Prefix {
    let prefix = prefix.to_ascii_uppercase();
    let mut letters = prefix.chars();
    let (Some(first), Some(second)) = (letters.next(), letters.next()) else {
        return Prefix::Unusual;
    };
    let never = "DFIQUV";
    let unusual = never.contains(first)
        || never.contains(second)
        || second == 'O'
        || ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&prefix.as_str());
    if unusual { Prefix::Unusual } else { Prefix::Issued }
}

/// Whether the letters of a text are all capitals or all small.
fn one_case(text: &str) -> bool {
    let letters = || text.chars().filter(char::is_ascii_alphabetic);
    letters().all(|c| c.is_ascii_uppercase()) || letters().all(|c| c.is_ascii_lowercase())
}

fn is_mailto(url: &str) -> bool {
    url.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("mailto:"))
}

/// Dates near a word such as "born": in figures, or with a month's name.
/// Linear in the text: its words are counted once, and each date looks
/// for the nearest trigger word by binary search.
fn dates_of_birth(text: &str, compiled: &Compiled, known: &Known) -> Vec<Range<usize>> {
    let birth = &compiled.rules.personal_data.date_of_birth;
    let words = Words::of(text);
    let near: Vec<usize> =
        compiled.birth_words.find_iter(text).map(|m| words.before(m.start())).collect();
    if near.is_empty() {
        return Vec::new();
    }
    let named = known.month_dates.find_iter(text);
    let mut hits = Vec::new();
    for m in FIGURE_DATE.find_iter(text).chain(named) {
        let (first, last) = (words.before(m.start()), words.before(m.end()));
        // The first trigger word at or after `first - within`: the date is
        // close if it is no further than `last + within`.
        let from = near.partition_point(|&w| w + birth.within < first);
        if near.get(from).is_some_and(|&w| w <= last + birth.within) {
            hits.push(m.range());
        }
    }
    hits
}

/// An NHS number's check digit: modulus 11 of the first nine, weighted
/// 10 down to 2.
fn is_nhs_number(text: &str) -> bool {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9].iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    let check = 11 - sum % 11;
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == digits[9]
}

/// A phone number's digits as dialled in the UK: `+44 (0)161…` and
/// `0044 161…` are `0161…`.
pub(super) fn phone_digits(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let international = text.trim_start().starts_with('+');
    let rest = match digits.strip_prefix("0044") {
        Some(rest) => Some(rest),
        None => digits.strip_prefix("44").filter(|_| international),
    };
    match rest {
        Some(rest) => format!("0{}", rest.strip_prefix('0').unwrap_or(rest)),
        None => digits,
    }
}

/// A postcode without its space or dash, in capitals, to compare by.
pub(super) fn postcode_key(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_pass_their_check_digit() {
        assert!(is_nhs_number("943 476 5919"));
        assert!(is_nhs_number("9434765919"));
        assert!(!is_nhs_number("943 476 5918"));
        assert!(!is_nhs_number("2014 2015"));
    }

    #[test]
    fn phone_numbers_are_compared_as_dialled() {
        assert_eq!(phone_digits("+44 (0)161 240 5336"), "01612405336");
        assert_eq!(phone_digits("+44 7771 527326"), "07771527326");
        assert_eq!(phone_digits("0161 240 5336"), "01612405336");
        assert_eq!(phone_digits("0044 7700 900123"), "07700900123");
        assert_eq!(phone_digits("07700.900.123"), "07700900123");
        for text in [
            "0161 240 5336",
            "(0161) 240 5336",
            "07771527326",
            "+44 7771 527326",
            "0044 7700 900123",
            "07700.900.123",
        ] {
            assert!(PHONE.is_match(text), "{text}");
        }
        for text in ["in 2014 2015", "12 of 16", "31%"] {
            assert!(!PHONE.is_match(text), "{text}");
        }
    }

    #[test]
    fn patterns_of_the_other_numbers() {
        assert!(NI_NUMBER.is_match("AB 12 34 56 C"));
        assert!(NI_NUMBER.is_match("AB123456C"));
        assert!(NI_NUMBER.is_match("ab 12 34 56 c"));
        assert!(NI_NUMBER.is_match("AB-12-34-56-C"));
        assert!(NI_NUMBER.is_match("AB 12 34 56"));
        assert_eq!(ni_prefix("QQ"), Prefix::Unusual, "QQ is not issued");
        assert_eq!(ni_prefix("ab"), Prefix::Issued);
        let wrong_suffix = NI_NUMBER.find("AB 12 34 56 E").map(|m| m.as_str());
        assert_eq!(wrong_suffix, Some("AB 12 34 56"), "still six digits after two letters");
        assert!(!one_case("Q4 2nd"));
        assert!(POSTCODE.is_match("M3 3FX"));
        assert!(POSTCODE.is_match("SW1A 1AA"));
        assert!(!POSTCODE.is_match("YOT PSR"));
        assert_eq!(postcode_key("m3  3fx"), "M33FX");
        assert!(EMAIL.is_match("jo.bloggs@example.org"));
        assert!(FIGURE_DATE.is_match("12/03/2004"));
        assert!(!FIGURE_DATE.is_match("12 of 16"));
    }
}
