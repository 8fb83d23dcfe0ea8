//! The files the pages load, all embedded: the GOV.UK Design System's own
//! CSS and JavaScript (govuk-frontend, vendored in `vendor/govuk-frontend`
//! with its MIT licence), and the editor's script and style sheet from the
//! templates (`edit/edit.js`, `edit/edit.css`, which `--templates`
//! overrides). Nothing is fetched from anywhere else.

use std::sync::LazyLock;

/// The version of govuk-frontend vendored, as its README names it.
pub(crate) const GOVUK_FRONTEND: &str = "6.6.0";

const CSS: &str = include_str!("../../../vendor/govuk-frontend/govuk-frontend.min.css");
const JS: &str = include_str!("../../../vendor/govuk-frontend/govuk-frontend.min.js");

/// The design system's style sheet without GOV.UK branding: its
/// `@font-face` rules (the GDS Transport font, for GOV.UK only) left out
/// and the font taken from its font lists, so text is in Arial or
/// Helvetica, as the design system says for services not on GOV.UK.
static STYLESHEET: LazyLock<String> = LazyLock::new(|| unbranded(CSS));

fn unbranded(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("@font-face{") {
        out.push_str(&rest[..at]);
        rest = rest[at..].find('}').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    // The font's own notice goes with the font.
    if let Some(start) = out.find("/*! Copyright (c) 2011 by Margaret Calvert")
        && let Some(end) = out[start..].find("*/")
    {
        out.replace_range(start..start + end + 2, "");
    }
    out.replace(
        "font-family:GDS Transport,arial,sans-serif",
        "font-family:arial,helvetica,sans-serif",
    )
    .replace("font-family:GDS Transport", "font-family:arial,helvetica,sans-serif")
}

/// An asset by the name the pages use: its bytes and content type.
pub(crate) fn asset(name: &str) -> Option<(&'static [u8], &'static str)> {
    match name {
        "govuk-frontend.min.css" => Some((STYLESHEET.as_bytes(), "text/css; charset=utf-8")),
        "govuk-frontend.min.js" => Some((JS.as_bytes(), "text/javascript; charset=utf-8")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_sheet_has_no_gov_uk_font_and_loads_nothing() {
        let css = asset("govuk-frontend.min.css").unwrap().0;
        let css = std::str::from_utf8(css).unwrap();
        assert!(!css.contains("GDS Transport"), "the GOV.UK font is left out");
        assert!(!css.contains("/assets/fonts/"), "no font file is asked for");
        assert!(!css.contains("@font-face") && !css.contains("Margaret Calvert"));
        assert!(css.contains("font-family:arial,helvetica,sans-serif"));
        assert!(css.contains(".govuk-task-list") && css.contains(".govuk-error-summary"));
        assert!(css.contains(&format!("--govuk-frontend-version:\"{GOVUK_FRONTEND}\"")));
        assert!(JS.starts_with(&format!("const version=\"{GOVUK_FRONTEND}\"")));
    }
}
