//! Composing the letter: checked findings, the words of their language and
//! the organisation's details become one [`Letter`].
//!
//! This is where the letter's order is decided (opening, Context, Summary,
//! the numbered commentary, and so on) and where the shared words are
//! written in, with their slots filled from the findings. Each writer then
//! only lays the letter out. The findings arrive as `Findings<Text>`, which
//! only the checking walk of `fields.rs` makes, so every text here has been
//! checked and its markup read.

use crate::dates::{format_date, format_range};
use crate::error::Diagnostic;
use crate::letter::{
    Block, Footnote, Furniture, Inline, Letter, Letterhead, Logo, Meta, Numbered, Row, Text,
};
use crate::load::LogoFile;
use crate::model::{DateStyle, Findings, Organisation, Pronoun, Status};
use crate::words::{self, Phrase, Slot, Slots, Words};

/// What a letter gets besides its findings: how it is published, and the
/// files it needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extras {
    /// Forces the DRAFT mark, whatever the findings say.
    pub(crate) draft: bool,
    /// The logo's file, read when the findings were loaded.
    pub(crate) logo: Option<LogoFile>,
    /// The name the findings file is attached to the PDF under, if it is.
    pub(crate) attachment: Option<String>,
}

/// Composes the letter of checked findings in the words of their language.
/// The words file was checked when it was read; what can still fail is a
/// phrase using a slot the composer gives no value, a bug named here.
pub(crate) fn compose(
    f: &Findings<Text>,
    words: &Words,
    org: &Organisation,
    extras: &Extras,
) -> Result<Letter, Diagnostic> {
    let slots = slots(f, words, org)?;
    let title = words.text(Phrase::Title, &slots)?;
    let draft = extras.draft || f.status == Status::Draft;
    let meta = meta(f, words, org, extras, &slots, &title, draft)?;
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
    let body = body(f, words, &slots)?;
    let footnotes = footnotes(&body);
    Ok(Letter {
        meta,
        letterhead,
        header: header(f, words, &slots)?,
        title,
        body,
        footnotes,
        furniture: Furniture {
            page: words.page(),
            draft_mark: words.plain(Phrase::DraftMark, &slots)?,
            draft_banner: words.plain(Phrase::DraftBanner, &slots)?,
            notes_heading: words.plain(Phrase::NotesHeading, &slots)?,
            back_to_text: words.plain(Phrase::BackToText, &slots)?,
        },
    })
}

/// The values of the words' slots.
fn slots(f: &Findings<Text>, words: &Words, org: &Organisation) -> Result<Slots, Diagnostic> {
    let style = f.date_style.or(words.date_styles.first().copied()).unwrap_or(DateStyle::Plain);
    let fieldwork = &f.inspection.fieldwork;
    let lead = &f.lead_inspector;
    let mut slots = Slots::from([
        (Slot::Area, f.area.clone()),
        (Slot::Published, Text::plain(format_date(f.published.0, style, &words.months))),
        (Slot::Year, Text::plain(f.published.0.year().to_string())),
        (
            Slot::Fieldwork,
            Text::plain(format_range(fieldwork.from.0, fieldwork.to.0, style, &words.months)),
        ),
        (Slot::Cases, Text::plain(f.inspection.cases.to_string())),
        (Slot::Team, f.inspection.team.clone()),
        (Slot::OrgName, Text::plain(&org.name)),
        (Slot::OrgShortName, Text::plain(&org.short_name)),
        (Slot::Website, link(&org.website, Text::plain(&org.website))),
        (Slot::LeadName, lead.name.clone()),
        (Slot::LeadEmail, link(&format!("mailto:{}", lead.email.to_plain()), lead.email.clone())),
        (Slot::PublicationsName, Text::plain(&org.publications.name)),
        (
            Slot::PublicationsEmail,
            link(
                &format!("mailto:{}", org.publications.email),
                Text::plain(&org.publications.email),
            ),
        ),
        (Slot::PublicationsPhone, Text::plain(&org.publications.phone)),
    ]);
    let abbreviation = match &f.inspection.abbreviation {
        Some(abbreviation) => abbreviation.clone(),
        None => words.text(Phrase::DefaultAbbreviation, &slots)?,
    };
    slots.insert(Slot::Abbreviation, abbreviation);
    let in_area = match &f.area_in {
        Some(area_in) => area_in.clone(),
        None => words.text(Phrase::InArea, &slots)?,
    };
    slots.insert(Slot::InArea, in_area);
    let form = match lead.pronoun {
        Some(Pronoun::He) => "he",
        Some(Pronoun::She) => "she",
        Some(Pronoun::They) => "they",
        None => "none",
    };
    slots.insert(Slot::Lead, words.form(Phrase::LeadPronoun, form, &slots)?);
    let phone = match &lead.phone {
        Some(phone) => {
            words.text(Phrase::PhoneClause, &Slots::from([(Slot::Phone, phone.clone())]))?
        }
        None => Text::default(),
    };
    slots.insert(Slot::LeadPhone, phone);
    Ok(slots)
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
) -> Result<Meta, Diagnostic> {
    let language = words.full_tag(&f.language);
    let (lang, region) = words::split_language(&language);
    let title = title.to_plain();
    let document_title = if draft {
        let mut slots = slots.clone();
        slots.insert(Slot::Title, Text::plain(&title));
        words.plain(Phrase::DraftTitle, &slots)?
    } else {
        title.clone()
    };
    Ok(Meta {
        document_title,
        short_title: words.text(Phrase::ShortTitle, slots)?,
        description: words.plain(Phrase::Description, slots)?,
        keywords: words.paragraphs(Phrase::Keywords, slots)?.iter().map(Text::to_plain).collect(),
        author: org.name.clone(),
        kind: f.letter.clone(),
        language,
        lang,
        region,
        date: f.published.to_string(),
        published: slots.get(&Slot::Published).map(Text::to_plain).unwrap_or_default(),
        year: f.published.0.year(),
        draft,
        attachment: extras.attachment.clone(),
        area: f.area.to_plain(),
        title,
    })
}

/// "To:", "Copy to:", "From:", "Publication date:".
fn header(f: &Findings<Text>, words: &Words, slots: &Slots) -> Result<Vec<Row>, Diagnostic> {
    let person = |name: &Text, role: &Text| {
        let slots = Slots::from([(Slot::Name, name.clone()), (Slot::Role, role.clone())]);
        words.text(Phrase::Person, &slots)
    };
    let row = |label: Phrase, value: Text| Ok(Row { label: words.text(label, slots)?, value });
    let mut rows = vec![row(Phrase::To, person(&f.to.name, &f.to.role)?)?];
    if f.copy_to.is_some() {
        rows.push(row(Phrase::CopyTo, words.text(Phrase::SeeCopyList, slots)?)?);
    }
    rows.push(row(Phrase::From, person(&f.from.name, &f.from.role)?)?);
    let published = slots.get(&Slot::Published).cloned().unwrap_or_default();
    rows.push(row(Phrase::PublicationDate, published)?);
    Ok(rows)
}

/// The body, in the order of the letter.
fn body(f: &Findings<Text>, words: &Words, slots: &Slots) -> Result<Vec<Block>, Diagnostic> {
    let section = |id, heading: Phrase, blocks| -> Result<Block, Diagnostic> {
        Ok(Block::Section { id, heading: words.text(heading, slots)?, blocks })
    };
    let paragraphs = |own: &Option<Vec<Text>>, standard: Phrase| -> Result<Block, Diagnostic> {
        let paragraphs = match own {
            Some(own) => own.clone(),
            None => words.paragraphs(standard, slots)?,
        };
        Ok(Block::Paragraphs { paragraphs })
    };
    let mut body = vec![
        paragraphs(&f.intro, Phrase::Intro)?,
        section("context", Phrase::ContextHeading, vec![paragraphs(&f.context, Phrase::Context)?])?,
        section(
            "summary",
            Phrase::SummaryHeading,
            vec![Block::Paragraphs { paragraphs: f.summary.clone() }],
        )?,
        section("commentary", Phrase::CommentaryHeading, commentary(f))?,
    ];
    if let Some(paragraphs) = &f.operational_management {
        body.push(section(
            "operational_management",
            Phrase::OperationalManagementHeading,
            vec![Block::Paragraphs { paragraphs: paragraphs.clone() }],
        )?);
    }
    body.push(section(
        "strengths",
        Phrase::StrengthsHeading,
        vec![Block::List { items: f.strengths.clone() }],
    )?);
    if !f.improvements.is_empty() {
        body.push(section(
            "improvements",
            Phrase::ImprovementsHeading,
            vec![Block::List { items: f.improvements.clone() }],
        )?);
    }
    body.push(paragraphs(&f.closing, Phrase::Closing)?);
    if let Some(rows) = &f.copy_to {
        let separator = words.text(Phrase::NameSeparator, slots)?;
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
        body.push(section("copy_to", Phrase::CopyListHeading, vec![Block::CopyList { rows }])?);
    }
    body.push(Block::SmallPrint { text: words.text(Phrase::PaperCopy, slots)? });
    Ok(body)
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
