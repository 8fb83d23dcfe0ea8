//! Dates as the letters print them: "16th July 2014" and "23rd-25th June 2014"
//! (the ordinal style of the 2014 letters) or "11 May 2016" and "4-7 April 2016"
//! (the plain style of later years, and of Welsh letters: "16 Gorffennaf 2014").
//! The month names come from the words of the letter's language.

use time::Date;

use crate::model::DateStyle;

/// Formats one date, e.g. "16th July 2014". `months` names the months,
/// January first.
pub(crate) fn format_date(date: Date, style: DateStyle, months: &[String]) -> String {
    format!("{} {} {}", day(date, style), month(date, months), date.year())
}

fn month(date: Date, months: &[String]) -> String {
    let index = usize::from(u8::from(date.month())) - 1;
    months.get(index).cloned().unwrap_or_else(|| date.month().to_string())
}

/// Formats an inclusive range of dates, leaving out what the two ends share:
/// "23rd-25th June 2014", "30th June-2nd July 2014",
/// "30th December 2014-2nd January 2015", or one date when they are equal.
pub(crate) fn format_range(from: Date, to: Date, style: DateStyle, months: &[String]) -> String {
    if from == to {
        format_date(from, style, months)
    } else if from.year() != to.year() {
        format!("{}-{}", format_date(from, style, months), format_date(to, style, months))
    } else if from.month() != to.month() {
        format!(
            "{} {}-{} {} {}",
            day(from, style),
            month(from, months),
            day(to, style),
            month(to, months),
            to.year()
        )
    } else {
        format!("{}-{} {} {}", day(from, style), day(to, style), month(to, months), to.year())
    }
}

fn day(date: Date, style: DateStyle) -> String {
    let n = date.day();
    match style {
        DateStyle::Plain => n.to_string(),
        DateStyle::Ordinal => format!("{n}{}", ordinal_suffix(n)),
    }
}

/// "st", "nd", "rd" or "th": 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd.
fn ordinal_suffix(n: u8) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// Reads a date as `format_date` prints it in some style: the date and the
/// style that prints it so. A date is only read back if printing it again
/// gives the same words, so no reading differs from what the tool writes.
pub(crate) fn parse_date(text: &str, months: &[String]) -> Option<(Date, DateStyle)> {
    let (day, month, year) = parts(text, months)?;
    let date = Date::from_calendar_date(year?, month?, day).ok()?;
    [DateStyle::Ordinal, DateStyle::Plain]
        .into_iter()
        .find(|&style| format_date(date, style, months) == text)
        .map(|style| (date, style))
}

/// Reads a range as `format_range` prints it: the first and last day and
/// the style, or none.
pub(crate) fn parse_range(text: &str, months: &[String]) -> Option<(Date, Date, DateStyle)> {
    if let Some((date, style)) = parse_date(text, months) {
        return Some((date, date, style));
    }
    // The hyphen between the two ends: the one the last date follows.
    text.match_indices('-').find_map(|(i, _)| {
        let (left, right) = (&text[..i], &text[i + 1..]);
        let (to, _) = parse_date(right, months)?;
        let (day, month, year) = parts(left, months)?;
        let from =
            Date::from_calendar_date(year.unwrap_or(to.year()), month.unwrap_or(to.month()), day)
                .ok()?;
        [DateStyle::Ordinal, DateStyle::Plain]
            .into_iter()
            .find(|&style| from < to && format_range(from, to, style, months) == text)
            .map(|style| (from, to, style))
    })
}

/// "16th July 2014" → (16, July, 2014); "16th" → (16, none, none);
/// "30 June" → (30, June, none).
fn parts(text: &str, months: &[String]) -> Option<(u8, Option<time::Month>, Option<i32>)> {
    let mut words = text.split(' ');
    let day = words.next()?;
    let digits = day.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day: u8 = digits.parse().ok()?;
    let month = match words.next() {
        None => None,
        Some(name) => {
            let index = months.iter().position(|m| m == name)?;
            Some(time::Month::try_from(u8::try_from(index + 1).ok()?).ok()?)
        }
    };
    let year = match words.next() {
        None => None,
        Some(year) if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => {
            Some(year.parse().ok()?)
        }
        Some(_) => return None,
    };
    if words.next().is_some() {
        return None;
    }
    Some((day, month, year))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn months() -> Vec<String> {
        (1..=12u8).map(|m| time::Month::try_from(m).unwrap().to_string()).collect()
    }

    fn format_date(date: Date, style: DateStyle) -> String {
        super::format_date(date, style, &months())
    }

    fn format_range(from: Date, to: Date, style: DateStyle) -> String {
        super::format_range(from, to, style, &months())
    }

    #[test]
    fn ordinal_dates() {
        assert_eq!(format_date(date!(2014 - 07 - 16), DateStyle::Ordinal), "16th July 2014");
        assert_eq!(format_date(date!(2014 - 07 - 01), DateStyle::Ordinal), "1st July 2014");
        assert_eq!(format_date(date!(2014 - 07 - 02), DateStyle::Ordinal), "2nd July 2014");
        assert_eq!(format_date(date!(2014 - 07 - 03), DateStyle::Ordinal), "3rd July 2014");
        assert_eq!(format_date(date!(2014 - 07 - 11), DateStyle::Ordinal), "11th July 2014");
        assert_eq!(format_date(date!(2014 - 07 - 12), DateStyle::Ordinal), "12th July 2014");
        assert_eq!(format_date(date!(2014 - 07 - 13), DateStyle::Ordinal), "13th July 2014");
        assert_eq!(format_date(date!(2014 - 07 - 21), DateStyle::Ordinal), "21st July 2014");
        assert_eq!(format_date(date!(2014 - 07 - 22), DateStyle::Ordinal), "22nd July 2014");
        assert_eq!(format_date(date!(2014 - 07 - 23), DateStyle::Ordinal), "23rd July 2014");
        assert_eq!(format_date(date!(2014 - 07 - 31), DateStyle::Ordinal), "31st July 2014");
    }

    #[test]
    fn plain_dates() {
        assert_eq!(format_date(date!(2016 - 05 - 11), DateStyle::Plain), "11 May 2016");
        assert_eq!(format_date(date!(2016 - 05 - 01), DateStyle::Plain), "1 May 2016");
    }

    #[test]
    fn month_names_are_the_languages() {
        let welsh: Vec<String> = [
            "Ionawr",
            "Chwefror",
            "Mawrth",
            "Ebrill",
            "Mai",
            "Mehefin",
            "Gorffennaf",
            "Awst",
            "Medi",
            "Hydref",
            "Tachwedd",
            "Rhagfyr",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            super::format_date(date!(2014 - 07 - 16), DateStyle::Plain, &welsh),
            "16 Gorffennaf 2014"
        );
        assert_eq!(
            super::format_range(
                date!(2014 - 06 - 23),
                date!(2014 - 06 - 25),
                DateStyle::Plain,
                &welsh
            ),
            "23-25 Mehefin 2014"
        );
    }

    #[test]
    fn ranges_share_what_they_can() {
        let o = DateStyle::Ordinal;
        let p = DateStyle::Plain;
        assert_eq!(
            format_range(date!(2014 - 06 - 23), date!(2014 - 06 - 25), o),
            "23rd-25th June 2014"
        );
        assert_eq!(format_range(date!(2016 - 04 - 04), date!(2016 - 04 - 07), p), "4-7 April 2016");
        assert_eq!(
            format_range(date!(2014 - 06 - 30), date!(2014 - 07 - 02), o),
            "30th June-2nd July 2014"
        );
        assert_eq!(
            format_range(date!(2014 - 12 - 30), date!(2015 - 01 - 02), p),
            "30 December 2014-2 January 2015"
        );
        assert_eq!(format_range(date!(2014 - 06 - 23), date!(2014 - 06 - 23), o), "23rd June 2014");
    }

    #[test]
    fn dates_read_back_as_printed() {
        let m = months();
        let o = DateStyle::Ordinal;
        let p = DateStyle::Plain;
        assert_eq!(parse_date("16th July 2014", &m), Some((date!(2014 - 07 - 16), o)));
        assert_eq!(parse_date("11 May 2016", &m), Some((date!(2016 - 05 - 11), p)));
        assert_eq!(parse_date("16nd July 2014", &m), None);
        assert_eq!(parse_date("31 June 2014", &m), None);
        assert_eq!(
            parse_range("23rd-25th June 2014", &m),
            Some((date!(2014 - 06 - 23), date!(2014 - 06 - 25), o))
        );
        assert_eq!(
            parse_range("30 December 2014-2 January 2015", &m),
            Some((date!(2014 - 12 - 30), date!(2015 - 01 - 02), p))
        );
        assert_eq!(
            parse_range("30th June-2nd July 2014", &m),
            Some((date!(2014 - 06 - 30), date!(2014 - 07 - 02), o))
        );
        assert_eq!(parse_range("25-23 June 2014", &m), None);
        assert_eq!(parse_range("sometime in June", &m), None);
    }
}
