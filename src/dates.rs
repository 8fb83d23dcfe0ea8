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
}
