//! Composing the letter: checked findings, the words of their language and
//! the organisation's details become one [`Letter`].
//!
//! This is where the letter's order is decided (opening, Context, Summary,
//! the numbered commentary, and so on) and where the shared words are
//! written in, with their slots filled from the findings. Each writer then
//! only lays the letter out. The findings arrive as `Findings<Text>`, which
//! only the checking walk of `fields.rs` makes, so every text here has been
//! checked and its markup read.

use std::sync::Arc;

use crate::dates::{format_date, format_range};
use crate::letter::{
    Block, Footnote, Furniture, Inline, Letter, Letterhead, Logo, Meta, Numbered, Row, Text,
};
use crate::model::{DateStyle, Findings, Organisation, Pronoun, Status};
use crate::words::{self, Slots, Words};

/// What a letter gets besides its findings: how it is published, and the
/// files it needs.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Forces the DRAFT mark, whatever the findings say.
    pub draft: bool,
    /// The logo's file, read when the findings were loaded.
    pub logo: Option<LogoFile>,
    /// The name the findings file is attached to the PDF under, if it is.
    pub attachment: Option<String>,
}

/// A logo's bytes and what kind of image it is.
#[derive(Debug, Clone)]
pub struct LogoFile {
    /// Where the Typst World serves it, e.g. `/logo.svg`.
    pub path: String,
    /// `image/png` or `image/svg+xml`.
    pub mime: &'static str,
    /// The image file's bytes.
    pub bytes: Arc<Vec<u8>>,
}

/// Composes the letter of checked findings in the words of their language.
pub fn compose(f: &Findings<Text>, words: &Words, org: &Organisation, extras: &Extras) -> Letter {
    let slots = slots(f, words, org);
    let title = words.text("title", &slots);
    let draft = extras.draft || f.status == Status::Draft;
    let meta = meta(f, words, org, extras, &slots, &title, draft);
    let letterhead = Letterhead {
        name: org.name.clone(),
        address: org.address.clone(),
        logo: extras.logo.as_ref().zip(f.logo.as_ref()).map(|(file, logo)| Logo {
            path: file.path.clone(),
            mime: file.mime,
            alt: logo.alt.to_plain(),
            bytes: file.bytes.clone(),
        }),
    };
    let body = body(f, words, &slots);
    let footnotes = footnotes(&body);
    Letter {
        meta,
        letterhead,
        header: header(f, words, &slots),
        title,
        body,
        footnotes,
        furniture: Furniture {
            page: words.page(),
            draft_mark: words.plain("draft_mark", &slots),
            draft_banner: words.plain("draft_banner", &slots),
            notes_heading: words.plain("notes_heading", &slots),
            back_to_text: words.plain("back_to_text", &slots),
        },
    }
}

/// The values of the words' slots.
fn slots(f: &Findings<Text>, words: &Words, org: &Organisation) -> Slots {
    let style = f.date_style.or(words.date_styles.first().copied()).unwrap_or(DateStyle::Plain);
    let fieldwork = &f.inspection.fieldwork;
    let lead = &f.lead_inspector;
    let mut slots = Slots::from([
        ("area", f.area.clone()),
        ("published", Text::plain(format_date(f.published.0, style, &words.months))),
        ("year", Text::plain(f.published.0.year().to_string())),
        (
            "fieldwork",
            Text::plain(format_range(fieldwork.from.0, fieldwork.to.0, style, &words.months)),
        ),
        ("cases", Text::plain(f.inspection.cases.to_string())),
        ("team", f.inspection.team.clone()),
        ("org_name", Text::plain(&org.name)),
        ("org_short_name", Text::plain(&org.short_name)),
        ("website", link(&org.website, Text::plain(&org.website))),
        ("lead_name", lead.name.clone()),
        ("lead_email", link(&format!("mailto:{}", lead.email.to_plain()), lead.email.clone())),
        ("publications_name", Text::plain(&org.publications.name)),
        (
            "publications_email",
            link(
                &format!("mailto:{}", org.publications.email),
                Text::plain(&org.publications.email),
            ),
        ),
        ("publications_phone", Text::plain(&org.publications.phone)),
    ]);
    let abbreviation = match &f.inspection.abbreviation {
        Some(abbreviation) => abbreviation.clone(),
        None => words.text("default_abbreviation", &slots),
    };
    slots.insert("abbreviation", abbreviation);
    let in_area = match &f.area_in {
        Some(area_in) => area_in.clone(),
        None => words.text("in_area", &slots),
    };
    slots.insert("in_area", in_area);
    let form = match lead.pronoun {
        Some(Pronoun::He) => "he",
        Some(Pronoun::She) => "she",
        Some(Pronoun::They) => "they",
        None => "none",
    };
    slots.insert("lead", words.form("lead_pronoun", form, &slots));
    let phone = match &lead.phone {
        Some(phone) => words.text("phone_clause", &Slots::from([("phone", phone.clone())])),
        None => Text::default(),
    };
    slots.insert("lead_phone", phone);
    slots
}

fn link(url: &str, content: Text) -> Text {
    Text {
        runs: vec![Inline::Link { url: url.to_string(), content: content.runs }],
        key: content.key,
    }
}

fn meta(
    f: &Findings<Text>,
    words: &Words,
    org: &Organisation,
    extras: &Extras,
    slots: &Slots,
    title: &Text,
    draft: bool,
) -> Meta {
    let language = words.full_tag(&f.language);
    let (lang, region) = words::split_language(&language);
    let title = title.to_plain();
    let document_title = if draft {
        let mut slots = slots.clone();
        slots.insert("title", Text::plain(&title));
        words.plain("draft_title", &slots)
    } else {
        title.clone()
    };
    Meta {
        document_title,
        short_title: words.text("short_title", slots),
        description: words.plain("description", slots),
        keywords: words.paragraphs("keywords", slots).iter().map(Text::to_plain).collect(),
        author: org.name.clone(),
        kind: f.letter.clone(),
        language,
        lang,
        region,
        date: f.published.to_string(),
        published: slots.get("published").map(Text::to_plain).unwrap_or_default(),
        year: f.published.0.year(),
        draft,
        attachment: extras.attachment.clone(),
        title,
    }
}

/// "To:", "Copy to:", "From:", "Publication date:".
fn header(f: &Findings<Text>, words: &Words, slots: &Slots) -> Vec<Row> {
    let person = |name: &Text, role: &Text| {
        words.text("person", &Slots::from([("name", name.clone()), ("role", role.clone())]))
    };
    let mut rows =
        vec![Row { label: words.text("to", slots), value: person(&f.to.name, &f.to.role) }];
    if f.copy_to.is_some() {
        rows.push(Row {
            label: words.text("copy_to", slots),
            value: words.text("see_copy_list", slots),
        });
    }
    rows.push(Row { label: words.text("from", slots), value: person(&f.from.name, &f.from.role) });
    rows.push(Row {
        label: words.text("publication_date", slots),
        value: slots.get("published").cloned().unwrap_or_default(),
    });
    rows
}

/// The body, in the order of the letter.
fn body(f: &Findings<Text>, words: &Words, slots: &Slots) -> Vec<Block> {
    let section = |id, heading: &str, blocks| Block::Section {
        id,
        heading: words.text(heading, slots),
        blocks,
    };
    let paragraphs = |own: &Option<Vec<Text>>, standard: &str| Block::Paragraphs {
        paragraphs: own.clone().unwrap_or_else(|| words.paragraphs(standard, slots)),
    };
    let mut body = vec![
        paragraphs(&f.intro, "intro"),
        section("context", "context_heading", vec![paragraphs(&f.context, "context")]),
        section(
            "summary",
            "summary_heading",
            vec![Block::Paragraphs { paragraphs: f.summary.clone() }],
        ),
        section("commentary", "commentary_heading", commentary(f)),
    ];
    if let Some(paragraphs) = &f.operational_management {
        body.push(section(
            "operational_management",
            "operational_management_heading",
            vec![Block::Paragraphs { paragraphs: paragraphs.clone() }],
        ));
    }
    body.push(section(
        "strengths",
        "strengths_heading",
        vec![Block::List { items: f.strengths.clone() }],
    ));
    if !f.improvements.is_empty() {
        body.push(section(
            "improvements",
            "improvements_heading",
            vec![Block::List { items: f.improvements.clone() }],
        ));
    }
    body.push(paragraphs(&f.closing, "closing"));
    if let Some(rows) = &f.copy_to {
        let separator = words.text("name_separator", slots);
        let rows = rows
            .iter()
            .map(|row| {
                let mut names = Text::default();
                for (i, name) in row.names.iter().enumerate() {
                    if i > 0 {
                        names.extend(separator.clone());
                    }
                    names.extend(name.clone());
                }
                Row { label: row.role.clone(), value: names }
            })
            .collect();
        body.push(section("copy_to", "copy_list_heading", vec![Block::CopyList { rows }]));
    }
    body.push(Block::SmallPrint { text: words.text("paper_copy", slots) });
    body
}

/// The numbered areas: "1. Heading", paragraphs 1.1, 1.2...
fn commentary(f: &Findings<Text>) -> Vec<Block> {
    f.commentary
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let number = i + 1;
            Block::Area {
                number,
                label: format!("{number}."),
                heading: part.heading.clone(),
                paragraphs: part
                    .paragraphs
                    .iter()
                    .enumerate()
                    .map(|(j, text)| Numbered {
                        label: format!("{number}.{}.", j + 1),
                        text: text.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The footnotes in the order of their numbers, from their first marks.
fn footnotes(body: &[Block]) -> Vec<Footnote> {
    let mut out = Vec::new();
    for text in crate::letter::texts_of(body) {
        collect_notes(&text.runs, &mut out);
    }
    out.sort_by_key(|n: &Footnote| n.number);
    out
}

fn collect_notes(runs: &[Inline], out: &mut Vec<Footnote>) {
    for run in runs {
        match run {
            Inline::Note { number, body: Some(body) } => {
                out.push(Footnote { number: *number, text: Text { runs: body.clone(), key: None } })
            }
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => collect_notes(content, out),
            _ => {}
        }
    }
}
