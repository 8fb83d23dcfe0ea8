//! The factual accuracy response table: one row per point of a returned
//! draft, with the place, the text as the draft had it, the comment or the
//! proposed change, who made it, and an empty column for the
//! inspectorate's response. As CSV (for a spreadsheet), JSON (for
//! scripts), an accessible web page, or a Word document.
//!
//! Every writer escapes what it writes for its own format: a reviewer's
//! words are data, whatever they hold.

use crate::docx::package::{self, Parts, Properties, Reference};
use crate::docx::returned::{Point, Said};
use crate::error::Diagnostic;
use crate::format::{html, word};

/// The columns, in order.
pub const COLUMNS: [&str; 5] =
    ["Place", "Draft text", "Comment or proposed change", "Who", "Inspectorate response"];

/// The place as the table prints it, a guess said to be one.
fn place(point: &Point) -> String {
    if point.place.guess {
        format!("{} (a guess: its bookmark is gone)", point.place.label)
    } else {
        point.place.label.clone()
    }
}

/// "Name, 2026-01-02" or the name alone.
fn who(point: &Point) -> String {
    match point.date.as_deref().and_then(|d| d.get(..10)) {
        Some(day) if !point.who.is_empty() => format!("{}, {day}", point.who),
        _ => point.who.clone(),
    }
}

/// The comment with the words it is on, or the change.
fn said(point: &Point) -> String {
    match (&point.said, point.anchor()) {
        (Said::Comment { text, .. }, Some(anchor)) => format!("On \"{anchor}\": {text}"),
        (said, _) => said.words(),
    }
}

/// The table as CSV (RFC 4180), with a header row.
pub fn csv(points: &[Point]) -> String {
    let field = |text: &str| {
        // A cell a spreadsheet would read as a formula is quoted as text.
        let text = if text.starts_with(['=', '+', '-', '@']) {
            format!("'{text}")
        } else {
            text.to_string()
        };
        format!("\"{}\"", text.replace('"', "\"\""))
    };
    let mut out = COLUMNS.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for point in points {
        let row = [place(point), point.draft.clone(), said(point), who(point), String::new()];
        out.push_str(&row.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// The table as JSON: the points, and the columns to fill.
pub fn json(points: &[Point]) -> String {
    let value = serde_json::json!({ "points": points, "columns": COLUMNS });
    format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default())
}

/// The change for the web page: deleted and inserted words marked as such.
fn said_html(point: &Point) -> String {
    match &point.said {
        Said::Comment { text, .. } => {
            let on = match point.anchor() {
                None => String::new(),
                Some(anchor) => format!("<p class=\"on\">On “{}”:</p>", html::escape(anchor)),
            };
            let paragraphs: String =
                text.lines().map(|line| format!("<p>{}</p>", html::escape(line))).collect();
            format!("{on}{paragraphs}")
        }
        Said::Change { deleted, inserted } => {
            let mut out = String::from("<p>");
            if !deleted.is_empty() {
                out.push_str(&format!("<del>{}</del> ", html::escape(deleted)));
            }
            if !inserted.is_empty() {
                out.push_str(&format!("<ins>{}</ins>", html::escape(inserted)));
            }
            out.push_str("</p>");
            out
        }
    }
}

/// The table as one self-contained, accessible web page: a caption, column
/// headers with their scope, each row headed by its place.
pub fn html(points: &[Point], title: &str) -> String {
    let mut rows = String::new();
    for point in points {
        rows.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td></td></tr>\n",
            html::escape(&place(point)),
            html::escape(&point.draft),
            said_html(point),
            html::escape(&who(point)),
        ));
    }
    let head: String =
        COLUMNS.iter().map(|c| format!("<th scope=\"col\">{}</th>", html::escape(c))).collect();
    let count = match points.len() {
        0 => "No comments or changes to answer.".to_string(),
        1 => "1 comment or change to answer.".to_string(),
        n => format!("{n} comments and changes to answer."),
    };
    format!(
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Factual accuracy response: {title}</title>\n<style>\n\
         html {{ color: #0b0c0c; background: #fff; font-family: Arial, \"Liberation Sans\", Helvetica, sans-serif; line-height: 1.5; }}\n\
         body {{ margin: 0 auto; padding: 1.5em 1em 3em; max-width: 90em; }}\n\
         table {{ border-collapse: collapse; width: 100%; }}\n\
         caption {{ text-align: left; font-weight: bold; margin-bottom: 0.5em; }}\n\
         th, td {{ border: 1px solid #505a5f; padding: 0.4em 0.6em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }}\n\
         thead th {{ background: #f3f2f1; }}\n\
         td p, th p {{ margin: 0 0 0.4em; }}\n\
         .on {{ font-style: italic; }}\n\
         del {{ color: #942514; }}\n\
         ins {{ color: #005a30; }}\n\
         @media (max-width: 40em) {{ table, thead, tbody, tr, th, td {{ display: block; }} thead {{ position: absolute; left: -9999px; }} }}\n\
         </style>\n</head>\n<body>\n<main>\n<h1>Factual accuracy response</h1>\n\
         <p>The comments and proposed changes in {title}, each at its place in the letter. {count}</p>\n\
         <table>\n<caption>Points to answer, in the order of the letter</caption>\n\
         <thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</main>\n</body>\n</html>\n",
        title = html::escape(title),
    )
}

/// The table as a Word document, landscape, with a header row that
/// repeats on every page and the styles of the reference document.
pub(crate) fn docx(
    points: &[Point],
    title: &str,
    reference: &Reference,
) -> Result<Vec<u8>, Diagnostic> {
    let cell = |width: u32, text: &str, header: bool| {
        let runs = word::inline(&crate::letter::Text::plain(text).runs);
        let style = "TableValue";
        let bold = if header { "<w:rPr><w:b/></w:rPr>" } else { "" };
        let runs = if header { runs.replace("<w:r>", &format!("<w:r>{bold}")) } else { runs };
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>\
             <w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{runs}</w:p></w:tc>"
        )
    };
    let widths = [2000u32, 4200, 4200, 1800, 2900];
    let border = "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>\
                  <w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>\
                  <w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders>";
    let mut table = format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/>{border}\
         <w:tblLook w:val=\"00A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
    );
    for width in widths {
        table.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    table.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for (width, column) in widths.iter().zip(COLUMNS) {
        table.push_str(&cell(*width, column, true));
    }
    table.push_str("</w:tr>");
    for point in points {
        table.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        let row = [place(point), point.draft.clone(), said(point), who(point), String::new()];
        for (width, text) in widths.iter().zip(&row) {
            table.push_str(&cell(*width, text, false));
        }
        table.push_str("</w:tr>");
    }
    table.push_str("</w:tbl>");
    let heading = format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>{}</w:p>",
        word::inline(
            &crate::letter::Text::plain(format!("Factual accuracy response: {title}")).runs
        )
    );
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>\
         {heading}{table}<w:p/>\
         <w:sectPr><w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>\
         <w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>\
         </w:body></w:document>"
    );
    let parts = Parts {
        document,
        properties: Properties {
            title: format!("Factual accuracy response: {title}"),
            language: "en-GB".into(),
            author: String::new(),
            subject: "The comments and proposed changes of a factual accuracy check".into(),
            keywords: Vec::new(),
            date: "1980-01-01".into(),
        },
        ..Parts::default()
    };
    package::assemble(&parts, reference)
}
