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

use super::text::{Flat, word_index};
use super::{Hit, Known};
use crate::preflight::rules::Compiled;

static NI_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    // Two letters (not D, F, I, Q, U, V; the second not O), six digits in
    // pairs or not, and A to D.
    Regex::new(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
        .expect("a valid pattern")
});

static NHS_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[1-9]\d{2}[ -]?\d{3}[ -]?\d{4}\b").expect("a valid pattern"));

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+44\s?(?:\(0\)\s?)?|\(0|\b0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
        .expect("a valid pattern")
});

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .expect("a valid pattern")
});

/// A UK postcode, e.g. `M3 3FX`, `SW1A 1AA`.
pub(super) static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b").expect("a valid pattern")
});

/// Dates written with figures: 12/03/2004, 12.3.04, 2004-03-12.
static FIGURE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b")
        .expect("a valid pattern")
});

/// The personal data in one text.
pub(super) fn find(flat: &Flat, compiled: &Compiled, known: &Known) -> Vec<Hit> {
    let text = flat.text.as_str();
    let mut hits = Vec::new();
    for m in NI_NUMBER.find_iter(text) {
        hits.push(Hit::new(
            "ni-number",
            "a National Insurance number must not be published",
            m.as_str(),
        ));
    }
    for m in NHS_NUMBER.find_iter(text).filter(|m| is_nhs_number(m.as_str())) {
        hits.push(Hit::new("nhs-number", "an NHS number must not be published", m.as_str()));
    }
    hits.extend(dates_of_birth(text, compiled, known));
    for m in PHONE.find_iter(text) {
        let digits = phone_digits(m.as_str());
        if (10..=11).contains(&digits.len()) && !known.phones.contains(&digits) {
            let message =
                "a phone number that is neither the lead inspector's nor the organisation's";
            hits.push(Hit::new("phone-number", message, m.as_str()));
        }
    }
    let addresses = EMAIL.find_iter(text).map(|m| m.as_str());
    let linked = flat.links.iter().filter_map(|l| l.url.get(7..).filter(|_| is_mailto(&l.url)));
    for address in addresses.chain(linked) {
        if !known.emails.contains(&address.to_lowercase()) {
            let message =
                "an email address that is neither the lead inspector's nor the organisation's";
            hits.push(Hit::new("email-address", message, address));
        }
    }
    for m in POSTCODE.find_iter(text) {
        if !known.postcodes.contains(&postcode_key(m.as_str())) {
            hits.push(Hit::new("postcode", "a postcode other than the letterhead's", m.as_str()));
        }
    }
    hits
}

fn is_mailto(url: &str) -> bool {
    url.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("mailto:"))
}

/// Dates near a word such as "born": in figures, or with a month's name.
fn dates_of_birth(text: &str, compiled: &Compiled, known: &Known) -> Vec<Hit> {
    let birth = &compiled.rules.personal_data.date_of_birth;
    let near: Vec<usize> =
        compiled.birth_words.find_iter(text).map(|m| word_index(text, m.start())).collect();
    if near.is_empty() {
        return Vec::new();
    }
    let named = known.month_dates.find_iter(text);
    let mut hits = Vec::new();
    for m in FIGURE_DATE.find_iter(text).chain(named) {
        let (first, last) = (word_index(text, m.start()), word_index(text, m.end()));
        let close = near.iter().any(|&w| w + birth.within >= first && w <= last + birth.within);
        if close {
            hits.push(Hit::new(
                "date-of-birth",
                "a date of birth must not be published",
                m.as_str(),
            ));
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

/// A phone number's digits as dialled in the UK: `+44 (0)161…` is `0161…`.
pub(super) fn phone_digits(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("44") {
        Some(rest) if text.trim_start().starts_with('+') => {
            format!("0{}", rest.strip_prefix('0').unwrap_or(rest))
        }
        _ => digits,
    }
}

/// A postcode without its space, in capitals, to compare by.
pub(super) fn postcode_key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
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
        for text in ["0161 240 5336", "(0161) 240 5336", "07771527326", "+44 7771 527326"] {
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
        assert!(!NI_NUMBER.is_match("QQ 12 34 56 C"), "QQ is not issued");
        assert!(!NI_NUMBER.is_match("AB 12 34 56 E"));
        assert!(POSTCODE.is_match("M3 3FX"));
        assert!(POSTCODE.is_match("SW1A 1AA"));
        assert!(!POSTCODE.is_match("YOT PSR"));
        assert_eq!(postcode_key("m3  3fx"), "M33FX");
        assert!(EMAIL.is_match("jo.bloggs@example.org"));
        assert!(FIGURE_DATE.is_match("12/03/2004"));
        assert!(!FIGURE_DATE.is_match("12 of 16"));
    }
}
