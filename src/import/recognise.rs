//! Recognising a letter's parts by the words the tool itself writes.
//!
//! The title says which language the letter is in (each words file's
//! `title` is tried) and where it was; the header rows are the words
//! file's labels; each section starts at its heading; the opening, Context
//! and closing paragraphs are the words file's paragraphs with their slots
//! captured (`patterns.rs`), and where they are not, the letter's own
//! paragraphs are kept as the findings' `intro`, `context` or `closing`.
//! Every block of the letter is either placed or reported, with its page
//! and line.

use std::collections::BTreeMap;

use regex::Regex;

use super::blocks::{self, Block, Kind};
use super::draft::{AreaDraft, CopyDraft, Draft, LeadDraft, PersonDraft, Scalar, Val};
use super::inline;
use super::lines::{Line, Place, squeeze};
use super::patterns::{self, Found, Patterns};
use crate::dates::{parse_date, parse_range};
use crate::error::Diagnostic;
use crate::letter::Text;
use crate::model::{DateStyle, IsoDate, Organisation};
use crate::words::{Phrase, Slot, Words};

/// What the reader of the letter knows beside its lines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hints {
    /// The PDF's keywords, which name the area as written.
    pub(crate) keywords: Vec<String>,
    /// The alternative texts of its pictures: a logo's.
    pub(crate) figures: Vec<String>,
    /// Whether the lines are a text export, which breaks the rotated draft
    /// mark into pieces ("R", "AF") on lines of their own.
    pub(crate) text_export: bool,
}

/// What a recognised letter gives: the draft findings, and the problems
/// found (what is missing, what could not be placed), each located.
pub(crate) struct Recognised {
    pub(crate) draft: Draft,
    pub(crate) problems: Vec<(Option<Place>, String)>,
}

/// Recognises a letter, or says why it is not one.
pub(crate) fn recognise(
    source: &str,
    lines: &[Line],
    all: &BTreeMap<String, Words>,
    organisation: &Organisation,
    hints: &Hints,
) -> Result<Recognised, Diagnostic> {
    // Which language: the first line that is some language's title.
    let (words, title_line) = all
        .values()
        .find_map(|words| {
            let patterns = Patterns::new(words);
            let found = title_of(lines, &patterns)?;
            Some((words, found))
        })
        .ok_or_else(|| {
            let titles: Vec<String> = all
                .values()
                .filter_map(|w| {
                    w.patterns(Phrase::Title, &|s, _| format!("{{{}}}", s.name())).first().cloned()
                })
                .collect();
            Diagnostic::error(format!(
                "{source} is not a Short Quality Screening letter: no line reads as its title"
            ))
            .hint(format!(
                "a letter's title reads like \"{}\"",
                titles
                    .first()
                    .map(|t| t.replace(r"\s+", " ").replace('\\', ""))
                    .unwrap_or_default()
            ))
        })?;
    let mut r = Reader::new(source, words, organisation);
    r.mark_pieces = hints.text_export;
    r.read(lines, title_line, hints);
    Ok(Recognised { draft: r.draft, problems: r.problems })
}

/// The passages of a letter as a reader reads them, furniture left out:
/// where each starts and its words. Lines before any title are kept.
pub(crate) fn passages(
    lines: &[Line],
    all: &BTreeMap<String, Words>,
    organisation: &Organisation,
) -> Vec<(String, String)> {
    let found =
        all.values().find_map(|words| Some((words, title_of(lines, &Patterns::new(words))?)));
    let Some((words, _)) = found.or_else(|| all.values().next().map(|w| (w, 0))) else {
        return Vec::new();
    };
    let reader = Reader::new("", words, organisation);
    let seen = std::cell::Cell::new(false);
    let mut furniture = reader.furniture(&seen);
    let heading = reader.heading_test();
    let blocks = blocks::blocks(lines, &mut *furniture, &heading);
    // A printed web page's notes read as the footnotes they are.
    #[allow(clippy::unwrap_used)] // a constant pattern
    let numbered_note = patterns::regex(r"^(\d+)\. ").unwrap();
    blocks
        .iter()
        .filter_map(|b| reader.note_block(b))
        .map(|b| {
            let words = match &b.kind {
                Kind::Para if b.small && numbered_note.is_match(&b.plain()) => {
                    numbered_note.replace(&b.plain(), "$1 ").into_owned()
                }
                Kind::Row(label) => format!("{} {}", squeeze(&label.to_plain()), b.plain()),
                Kind::Numbered(n) => format!("{n} {}", b.plain()),
                // A footnote's mark, apart from its words however close
                // the reader found them.
                Kind::Item | Kind::Para => match b.text.runs.split_first() {
                    Some((crate::letter::Inline::Note { number, .. }, rest)) => {
                        let rest = Text { runs: rest.to_vec(), key: None };
                        format!("{number} {}", squeeze(&rest.to_plain()))
                    }
                    _ => b.plain(),
                },
            };
            (b.at.to_string(), words)
        })
        .collect()
}

/// The index of the line that starts the title, if a line (or two, as
/// a long title wraps) reads as the title.
fn title_of(lines: &[Line], patterns: &Patterns) -> Option<usize> {
    (0..lines.len()).find(|&i| {
        let one = lines[i].plain();
        if one.is_empty() {
            return false;
        }
        if patterns.is(Phrase::Title, &one) {
            return true;
        }
        lines.get(i + 1).is_some_and(|next| {
            !next.is_blank() && patterns.is(Phrase::Title, &format!("{one} {}", next.plain()))
        })
    })
}

struct Reader<'a> {
    source: String,
    words: &'a Words,
    base: &'a Organisation,
    patterns: Patterns<'a>,
    draft: Draft,
    problems: Vec<(Option<Place>, String)>,
    draft_seen: bool,
    notes: Vec<(usize, Text)>,
    /// Whether a line of a few capitals of the draft mark is a piece of it
    /// (in a text export) rather than the letter's text.
    mark_pieces: bool,
}

impl<'a> Reader<'a> {
    fn new(source: &str, words: &'a Words, base: &'a Organisation) -> Self {
        let todo = |what: &str| Val::todo(what);
        let draft = Draft {
            source: source.to_string(),
            language: Val::word(words.tag.clone(), None),
            area: todo("the area inspected"),
            area_in: None,
            published: todo("the publication date, YYYY-MM-DD"),
            date_style: Val::word(
                words.date_styles.first().copied().unwrap_or(DateStyle::Plain).name(),
                None,
            ),
            status: Val::word("final", None),
            to: PersonDraft {
                name: todo("the name of the person the letter is to"),
                role: todo("their role"),
            },
            from: PersonDraft {
                name: todo("the name of the person the letter is from"),
                role: todo("their role"),
            },
            fieldwork: (
                todo("the first day of fieldwork, YYYY-MM-DD"),
                todo("the last day of fieldwork, YYYY-MM-DD"),
            ),
            cases: todo("the number of cases examined"),
            team: todo("the team inspected"),
            abbreviation: Val::word(
                words.plain(Phrase::DefaultAbbreviation, &Default::default()).unwrap_or_default(),
                None,
            ),
            summary: Vec::new(),
            commentary: Vec::new(),
            operational_management: None,
            strengths: Vec::new(),
            improvements: Vec::new(),
            lead: LeadDraft {
                name: todo("the lead inspector's name"),
                pronoun: None,
                email: todo("the lead inspector's email address"),
                phone: None,
            },
            copy_to: None,
            footnotes: Vec::new(),
            intro: None,
            context: None,
            closing: None,
            unplaced: Vec::new(),
            logo_alt: None,
        };
        Self {
            source: source.to_string(),
            words,
            base,
            patterns: Patterns::new(words),
            draft,
            problems: Vec::new(),
            draft_seen: false,
            notes: Vec::new(),
            mark_pieces: true,
        }
    }

    fn problem(&mut self, at: Option<Place>, message: impl Into<String>) {
        self.problems.push((at, message.into()));
    }

    fn unplaced(&mut self, block: &Block) {
        let text = match &block.kind {
            Kind::Row(label) => format!("{} {}", label.to_plain(), block.plain()),
            Kind::Numbered(n) => format!("{n} {}", block.plain()),
            _ => block.plain(),
        };
        self.problem(Some(block.at), format!("could not place \"{}\"", short(&text)));
        self.draft.unplaced.push((block.at, text));
    }

    /// The markup of a block's text, noted when its words would read as
    /// markup.
    fn text_of(&mut self, block: &Block) -> Val {
        let (markup, ok) = inline::write(&block.text.runs, &|n| format!("note{n}"));
        for run in &block.text.runs {
            collect_notes(run, &mut self.notes);
        }
        let val = Val::text(markup, block.at);
        if ok {
            val
        } else {
            val.noted("these words would read as markup (*, _, [ ], < >); check they print as the letter does")
        }
    }

    fn read(&mut self, lines: &[Line], title_line: usize, hints: &Hints) {
        let seen = std::cell::Cell::new(false);
        let mut is_furniture = self.furniture(&seen);
        // Blocks before the title, the title, and after it.
        let mut pre: Vec<Line> = Vec::new();
        let mut rest: Vec<Line> = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if i < title_line {
                pre.push(line.clone());
            } else {
                rest.push(line.clone());
            }
        }
        let heading = self.heading_test();
        let head = blocks::blocks_spaced(&pre, lines, &mut *is_furniture, &|_| false);
        let body = blocks::blocks_spaced(&rest, lines, &mut *is_furniture, &heading);
        drop(is_furniture);
        self.draft_seen = seen.get();
        if self.draft_seen {
            self.draft.status = Val::word("draft", None);
        }
        self.header(&head);
        let Some((title, body)) = body.split_first() else { return };
        let (title, body) = self.title(title, body, hints);
        self.body(&body);
        self.footnotes();
        if let Some(alt) = hints.figures.first() {
            self.draft.logo_alt = Some(alt.clone());
            self.problem(
                Some(title.at),
                format!("the letter has a logo (\"{alt}\"), which the import cannot take back: add `logo:` with its file"),
            );
        }
    }

    /// The test of a line that the tool writes on every page: the page
    /// number, the running header, the draft mark (recorded in `draft`)
    /// and, at the top of page 1, the letterhead.
    fn furniture<'s>(
        &self,
        draft: &'s std::cell::Cell<bool>,
    ) -> Box<dyn FnMut(&Line) -> bool + 's> {
        let patterns = self.furniture_patterns();
        let letterhead = self.letterhead_lines();
        let draft_mark =
            self.words.plain(Phrase::DraftMark, &Default::default()).unwrap_or_default();
        // The web page says so in a banner, which a browser's PDF prints.
        let banner =
            self.words.plain(Phrase::DraftBanner, &Default::default()).map(|b| squeeze(&b)).ok();
        let mut in_letterhead = true;
        let mark_pieces = self.mark_pieces;
        Box::new(move |line: &Line| {
            let plain = line.plain();
            if banner.as_deref().is_some_and(|b| !b.is_empty() && plain == b) {
                draft.set(true);
                return true;
            }
            // The draft mark, whole, or in the pieces a text export of the
            // rotated word leaves.
            let letters: String = plain.chars().filter(|c| !c.is_whitespace()).collect();
            if !letters.is_empty()
                && (plain == draft_mark
                    || (mark_pieces
                        && line.cells.len() == 1
                        && letters.len() < draft_mark.len()
                        && draft_mark.contains(&letters)
                        && letters.chars().all(char::is_uppercase)))
            {
                draft.set(true);
                return true;
            }
            if patterns.iter().any(|r| r.is_match(&plain)) {
                return true;
            }
            if line.at.page == 1 && in_letterhead {
                if letterhead.contains(&plain) {
                    return true;
                }
                in_letterhead = false;
            }
            false
        })
    }

    /// The test of a line that is a heading the tool writes (a section's,
    /// or a commentary area's "N. Heading"): a block of its own.
    fn heading_test(&self) -> impl Fn(&str) -> bool + use<> {
        let any = |s: Slot, n: usize| format!("(?P<{}_{n}>.+?)", s.name());
        let mut patterns: Vec<Regex> = Vec::new();
        for phrase in [
            Phrase::ContextHeading,
            Phrase::SummaryHeading,
            Phrase::CommentaryHeading,
            Phrase::OperationalManagementHeading,
            Phrase::StrengthsHeading,
            Phrase::ImprovementsHeading,
            Phrase::CopyListHeading,
        ] {
            for p in self.words.patterns(phrase, &any) {
                if let Some(r) = patterns::regex(&format!("^(?:{p})$")) {
                    patterns.push(r);
                }
            }
        }
        if let Some(r) = patterns::regex(r"^\d+\.\s+\S") {
            patterns.push(r);
        }
        move |text: &str| {
            let text = squeeze(text);
            patterns.iter().any(|r| r.is_match(&text))
        }
    }

    /// Page furniture as patterns: "Page N of M" and the running header.
    fn furniture_patterns(&self) -> Vec<Regex> {
        let mut out = Vec::new();
        let any = |_: Slot, _: usize| ".+?".to_string();
        for phrase in [Phrase::Page, Phrase::ShortTitle] {
            for p in self.words.patterns(phrase, &|s, n| match s {
                Slot::Page | Slot::Pages => r"\d+".to_string(),
                other => any(other, n),
            }) {
                if let Some(r) = patterns::regex(&format!("^(?:{p})$")) {
                    out.push(r);
                }
            }
        }
        out
    }

    /// The lines of the letterhead: the inspectorate's names and address in
    /// every form the words give.
    fn letterhead_lines(&self) -> Vec<String> {
        let mut out = vec![squeeze(&self.base.name)];
        out.extend(self.base.address.iter().map(|l| squeeze(l)));
        for year in 2000..=2100 {
            if let Some(date) =
                time::Date::from_calendar_date(year, time::Month::January, 1).ok().map(IsoDate)
            {
                let org = self.words.organisation(self.base, date);
                out.push(squeeze(&org.name));
                out.extend(org.address.iter().map(|l| squeeze(l)));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn header(&mut self, head: &[Block]) {
        let label = |phrase: Phrase| {
            self.words.plain(phrase, &Default::default()).map(|l| squeeze(&l)).unwrap_or_default()
        };
        let (to, copy, from, date) = (
            label(Phrase::To),
            label(Phrase::CopyTo),
            label(Phrase::From),
            label(Phrase::PublicationDate),
        );
        let mut rows: Vec<(String, Block)> = Vec::new();
        let labels = [&to, &copy, &from, &date];
        // A plain export writes the labels' column first, then the values'.
        let label_run = head
            .iter()
            .take_while(|b| b.kind == Kind::Para && labels.contains(&&b.plain()))
            .count();
        let mut i = 0;
        if label_run > 1 {
            let values = self.header_values(&head[label_run..], label_run, &copy, &date);
            for (label, value) in head[..label_run].iter().zip(values) {
                rows.push((label.plain(), value));
            }
            i = head.len();
        }
        while i < head.len() {
            let block = &head[i];
            match &block.kind {
                Kind::Row(l) => rows.push((squeeze(&l.to_plain()), block.clone())),
                Kind::Para if [&to, &copy, &from, &date].contains(&&block.plain()) => {
                    // A label on a line of its own, its value on the next.
                    if let Some(value) = head.get(i + 1) {
                        rows.push((block.plain(), value.clone()));
                        i += 1;
                    }
                }
                Kind::Para
                    if [&to, &copy, &from, &date]
                        .iter()
                        .any(|l| block.plain().starts_with(&format!("{l} "))) =>
                {
                    let plain = block.plain();
                    let l = [&to, &copy, &from, &date]
                        .into_iter()
                        .find(|l| plain.starts_with(&format!("{l} ")))
                        .cloned()
                        .unwrap_or_default();
                    let mut value = block.clone();
                    value.text = Text::plain(plain[l.len()..].trim());
                    rows.push((l, value));
                }
                _ => self.unplaced(block),
            }
            i += 1;
        }
        for (l, value) in rows {
            let plain = value.plain();
            if l == to || l == from {
                let person = self.person(&value);
                if l == to {
                    self.draft.to = person;
                } else {
                    self.draft.from = person;
                }
            } else if l == copy {
                if !self.patterns.is(Phrase::SeeCopyList, &plain) {
                    self.problem(Some(value.at), format!("the copy-to row says \"{plain}\""));
                }
            } else if l == date {
                match parse_date(&plain, &self.words.months) {
                    Some((date, style)) => {
                        self.draft.published = Val::word(IsoDate(date).to_string(), Some(value.at));
                        self.draft.date_style = Val::word(style.name(), Some(value.at));
                        self.patterns.known.insert(Slot::Published, plain.clone());
                    }
                    None => {
                        self.problem(
                            Some(value.at),
                            format!("the publication date \"{plain}\" is not a date as the letter prints one"),
                        );
                    }
                }
            } else {
                self.unplaced(&value);
            }
        }
        if self.draft.published.is_todo() {
            self.problem(None, "the letter has no publication date");
        }
        let published = match &self.draft.published.value {
            Scalar::Word(date) => IsoDate::parse(date).ok(),
            _ => None,
        };
        let org =
            published.map_or_else(|| self.base.clone(), |d| self.words.organisation(self.base, d));
        self.patterns.known.insert(Slot::OrgName, org.name.clone());
        self.patterns.known.insert(Slot::OrgShortName, org.short_name.clone());
        self.patterns.known.insert(Slot::Website, org.website.clone());
        self.patterns.known.insert(Slot::PublicationsName, org.publications.name.clone());
        self.patterns.known.insert(Slot::PublicationsEmail, org.publications.email.clone());
        self.patterns.known.insert(Slot::PublicationsPhone, org.publications.phone.clone());
    }

    /// The values of a column of header labels, in their order: the copy
    /// row and the date by their words, a line that is neither a person
    /// ("name, role") nor those the rest of the value before it.
    fn header_values(&self, blocks: &[Block], labels: usize, copy: &str, date: &str) -> Vec<Block> {
        let _ = (copy, date);
        let mut values: Vec<Block> = Vec::new();
        for block in blocks {
            let plain = block.plain();
            let own = plain.contains(", ")
                || self.patterns.is(Phrase::SeeCopyList, &plain)
                || parse_date(&plain, &self.words.months).is_some()
                || values.is_empty();
            match values.last_mut() {
                Some(last) if !own => super::lines::join(&mut last.text, block.text.clone()),
                _ => values.push(block.clone()),
            }
        }
        values.truncate(labels);
        values
    }

    fn person(&mut self, value: &Block) -> PersonDraft {
        let plain = value.plain();
        match self.patterns.one(Phrase::Person, &plain) {
            Some(found) => PersonDraft {
                name: Val::text(found.get(&Slot::Name).cloned().unwrap_or_default(), value.at),
                role: Val::text(found.get(&Slot::Role).cloned().unwrap_or_default(), value.at),
            },
            None => {
                self.problem(Some(value.at), format!("\"{plain}\" is not a name and a role"));
                PersonDraft {
                    name: Val::text(plain.clone(), value.at)
                        .noted("the name and role could not be told apart"),
                    role: Val::todo("their role"),
                }
            }
        }
    }

    /// The title, wrapped or not, and the blocks after it.
    fn title(&mut self, title: &Block, body: &[Block], hints: &Hints) -> (Block, Vec<Block>) {
        let mut title = title.clone();
        let mut body = body.to_vec();
        let mut found = self.patterns.one(Phrase::Title, &title.plain());
        // A title wrapped over two lines, which a text export may give as
        // two paragraphs: the second line is the title's when the title
        // does not read without it, or when the commentary's heading names
        // the area as the two lines do.
        if let Some(next) = body.first() {
            let joined = format!("{} {}", title.plain(), next.plain());
            let whole = self.patterns.one(Phrase::Title, &joined);
            let named_so = |found: &Found| {
                let Some(in_area) = found.get(&Slot::InArea) else { return false };
                let mut patterns = Patterns::new(self.words);
                patterns.known.insert(Slot::InArea, in_area.clone());
                body.iter().any(|b| patterns.is(Phrase::CommentaryHeading, &b.plain()))
            };
            if whole.as_ref().is_some_and(|w| found.is_none() || named_so(w)) {
                found = whole;
                title.text = Text::plain(joined);
                body.remove(0);
            }
        }
        let found = found.unwrap_or_default();
        let in_area = found.get(&Slot::InArea).cloned();
        let area = found.get(&Slot::Area).cloned();
        let from_in_area = in_area.as_ref().and_then(|i| {
            self.patterns.one(Phrase::InArea, i).and_then(|f| f.get(&Slot::Area).cloned())
        });
        let keyword_area = self.keyword_area(hints);
        let at = title.at;
        match (area.or(from_in_area), in_area) {
            (Some(area), _) => {
                self.draft.area = Val::text(area.clone(), at);
                self.patterns.known.insert(Slot::Area, area);
            }
            (None, Some(in_area)) => {
                // The letter names the area only in another form (Welsh
                // mutates it after "yn"): the area's own name is in the
                // PDF's keywords, or is a guess.
                self.draft.area_in = Some(Val::text(in_area.clone(), at));
                match keyword_area {
                    Some(area) => {
                        self.draft.area = Val::text(area.clone(), at);
                        self.patterns.known.insert(Slot::Area, area);
                    }
                    // Without keywords (a PDF another program printed),
                    // a mutation that only one initial makes is undone.
                    None => match unmutated(self.words, &in_area) {
                        Some(area) => {
                            self.draft.area = Val::text(area.clone(), at);
                            self.patterns.known.insert(Slot::Area, area);
                        }
                        None => {
                            let guess =
                                in_area.split_once(' ').map_or(in_area.as_str(), |(_, a)| a);
                            self.draft.area = Val::text(guess.to_string(), at).noted(format!(
                                "the letter names the area only as \"{in_area}\"; write its own name here"
                            ));
                        }
                    },
                }
                self.patterns.known.insert(Slot::InArea, in_area);
            }
            (None, None) => self.problem(Some(at), "the title does not name the area"),
        }
        (title, body)
    }

    /// The area as the PDF's first keyword names it, if the keywords are
    /// the words file's.
    fn keyword_area(&self, hints: &Hints) -> Option<String> {
        let patterns =
            self.words.patterns(Phrase::Keywords, &|s, n| format!("(?P<{}_{n}>.+?)", s.name()));
        // All the keywords, however they are separated (LibreOffice saves
        // them with spaces, not commas).
        let all = format!("^(?:{})$", patterns.join(r"(?:\s*,\s*|\s+)"));
        if let Some(regex) = patterns::regex(&all)
            && let Some(area) =
                regex.captures(&hints.keywords.join(", ")).and_then(|c| c.name("area_0"))
        {
            return Some(area.as_str().to_string());
        }
        for (pattern, keyword) in patterns.iter().zip(&hints.keywords) {
            let regex = patterns::regex(&format!("^(?:{pattern})$"))?;
            if let Some(area) = regex.captures(keyword).and_then(|c| c.name("area_0")) {
                return Some(area.as_str().to_string());
            }
        }
        None
    }

    fn heading_is(&self, block: &Block, phrase: Phrase) -> bool {
        block.kind == Kind::Para && self.patterns.is(phrase, &block.plain())
    }

    fn body(&mut self, body: &[Block]) {
        let headings = [
            Phrase::ContextHeading,
            Phrase::SummaryHeading,
            Phrase::CommentaryHeading,
            Phrase::OperationalManagementHeading,
            Phrase::StrengthsHeading,
            Phrase::ImprovementsHeading,
            Phrase::CopyListHeading,
        ];
        // The blocks of each part, by the heading that starts it (none: the
        // opening before Context).
        let mut parts: Vec<(Option<Phrase>, Vec<Block>)> = vec![(None, Vec::new())];
        for block in body {
            if let Some(h) = headings.iter().find(|h| self.heading_is(block, **h)) {
                parts.push((Some(*h), Vec::new()));
                continue;
            }
            if let Some(last) = parts.last_mut() {
                last.1.push(block.clone());
            }
        }
        let mut seen_strengths = false;
        for (heading, blocks) in parts {
            match heading {
                None => self.intro(&blocks),
                Some(Phrase::ContextHeading) => self.context(&blocks),
                Some(Phrase::SummaryHeading) => {
                    let paragraphs = self.paragraphs(&blocks);
                    self.draft.summary = paragraphs;
                }
                Some(Phrase::CommentaryHeading) => self.commentary(&blocks),
                Some(Phrase::OperationalManagementHeading) => {
                    let paragraphs = self.paragraphs(&blocks);
                    self.draft.operational_management = Some(paragraphs);
                }
                Some(Phrase::StrengthsHeading) | Some(Phrase::ImprovementsHeading) => {
                    let strengths = heading == Some(Phrase::StrengthsHeading);
                    seen_strengths |= strengths;
                    let items: Vec<&Block> =
                        blocks.iter().take_while(|b| b.kind == Kind::Item).collect();
                    let vals: Vec<Val> = items.iter().map(|b| self.text_of(b)).collect();
                    if strengths {
                        self.draft.strengths = vals;
                    } else {
                        self.draft.improvements = vals;
                    }
                    let after: Vec<Block> = blocks[items.len()..].to_vec();
                    self.closing(&after);
                }
                Some(Phrase::CopyListHeading) => self.copy_list(&blocks),
                Some(_) => {}
            }
        }
        let _ = seen_strengths;
        if self.draft.summary.is_empty() {
            self.draft.summary.push(Val::todo("the summary of the findings"));
            self.problem(None, "the letter has no summary");
        }
        if self.draft.strengths.is_empty() {
            self.draft.strengths.push(Val::todo("a key strength"));
            self.problem(None, "the letter has no key strengths");
        }
        if self.draft.commentary.is_empty() {
            self.draft.commentary.push(AreaDraft {
                heading: Val::todo("the heading of an area of work"),
                paragraphs: vec![Val::todo("its first paragraph")],
            });
            self.problem(None, "the letter has no commentary");
        }
    }

    fn paragraphs(&mut self, blocks: &[Block]) -> Vec<Val> {
        let mut out = Vec::new();
        for block in blocks {
            if block.kind == Kind::Para && !block.small {
                out.push(self.text_of(block));
            } else if block.small {
                self.small(block);
            } else {
                self.unplaced(block);
            }
        }
        out
    }

    /// A block of small type as a note: `None` for the heading of the
    /// notes at the end of a printed web page, and a note without the link
    /// back to its mark that each of those ends with.
    fn note_block(&self, block: &Block) -> Option<Block> {
        let plain = block.plain();
        let phrase = |phrase: Phrase| {
            self.words.plain(phrase, &Default::default()).ok().map(|p| squeeze(&p))
        };
        if block.small && phrase(Phrase::NotesHeading).is_some_and(|h| h == plain) {
            return None;
        }
        let mut b = block.clone();
        if let Some(back) = phrase(Phrase::BackToText)
            && block.small
            && !back.is_empty()
            && plain.ends_with(&back)
        {
            b.text = strip_suffix(&b.text, &back);
        }
        Some(b)
    }

    /// Small type outside the small print: a footnote, "N text".
    fn small(&mut self, block: &Block) {
        let Some(block) = &self.note_block(block) else { return };
        // The mark the PDF reader saw, or the figures a text export gives
        // ("1", or "1." as a printed web page numbers its notes).
        let (number, text) = match block.text.runs.first() {
            Some(crate::letter::Inline::Note { number, .. }) => {
                let rest = Text { runs: block.text.runs[1..].to_vec(), key: None };
                (Some(*number), super::lines::tidy(&rest))
            }
            _ => {
                let plain = block.plain();
                let digits: String = plain.chars().take_while(char::is_ascii_digit).collect();
                let mark = match plain[digits.len()..].starts_with(". ") {
                    true => digits.len() + 1,
                    false => digits.len(),
                };
                (digits.parse::<usize>().ok(), strip_number(&block.text, mark))
            }
        };
        match number {
            Some(n) if n == self.draft.footnotes.len() + 1 => {
                let mut b = block.clone();
                b.text = text;
                let val = self.text_of(&b);
                self.draft.footnotes.push((format!("note{n}"), val));
            }
            _ => self.unplaced(block),
        }
    }

    fn intro(&mut self, blocks: &[Block]) {
        let (paras, others): (Vec<&Block>, Vec<&Block>) =
            blocks.iter().partition(|b| b.kind == Kind::Para && !b.small);
        for other in others {
            self.unplaced(other);
        }
        let texts: Vec<String> = paras.iter().map(|b| b.plain()).collect();
        let at = paras.first().map(|b| b.at);
        let found = self.patterns.paragraphs(Phrase::Intro, &texts);
        match found {
            Some(found) => self.fieldwork(found.get(&Slot::Fieldwork), at, false),
            None => {
                let own: Vec<Val> = paras.iter().map(|b| self.text_of(b)).collect();
                // The opening is the letter's own; the fieldwork dates may
                // still be in it.
                let range = find_range(&texts.join(" "), &self.words.months);
                self.fieldwork(range.as_ref(), at, true);
                self.draft.intro = Some(own);
            }
        }
    }

    fn fieldwork(&mut self, text: Option<&String>, at: Option<Place>, guessed: bool) {
        let Some(text) = text else {
            self.problem(at, "the letter does not give the fieldwork dates");
            return;
        };
        match parse_range(text, &self.words.months) {
            Some((from, to, _)) => {
                let mut a = Val::word(IsoDate(from).to_string(), at);
                let mut b = Val::word(IsoDate(to).to_string(), at);
                if guessed {
                    let note = format!("read from \"{text}\" in the letter's own opening");
                    a = a.noted(note.clone());
                    b = b.noted(note);
                }
                self.draft.fieldwork = (a, b);
                self.patterns.known.insert(Slot::Fieldwork, text.clone());
            }
            None => self.problem(
                at,
                format!("\"{text}\" is not a fieldwork range as the letter prints one"),
            ),
        }
    }

    fn context(&mut self, blocks: &[Block]) {
        let paras: Vec<&Block> =
            blocks.iter().filter(|b| b.kind == Kind::Para && !b.small).collect();
        for other in blocks.iter().filter(|b| b.kind != Kind::Para || b.small) {
            self.unplaced(other);
        }
        let texts: Vec<String> = paras.iter().map(|b| b.plain()).collect();
        let at = paras.first().map(|b| b.at);
        let found = self.patterns.paragraphs(Phrase::Context, &texts);
        match found {
            Some(found) => self.inspection(&found, at),
            None => {
                let own: Vec<Val> = paras.iter().map(|b| self.text_of(b)).collect();
                self.draft.context = Some(own);
                self.problem(
                    at,
                    "the Context section is the letter's own, so it does not give the number of cases and the team in the standard words",
                );
            }
        }
    }

    fn inspection(&mut self, found: &Found, at: Option<Place>) {
        if let Some(cases) = found.get(&Slot::Cases) {
            self.draft.cases = Val::word(cases.clone(), at);
        }
        if let Some(team) = found.get(&Slot::Team) {
            self.draft.team = Val { value: Scalar::Text(team.clone()), at, note: None };
            self.patterns.known.insert(Slot::Team, team.clone());
        }
        if let Some(abbreviation) = found.get(&Slot::Abbreviation) {
            self.set_abbreviation(abbreviation, at);
        }
    }

    fn set_abbreviation(&mut self, abbreviation: &str, at: Option<Place>) {
        self.draft.abbreviation =
            Val { value: Scalar::Text(abbreviation.to_string()), at, note: None };
        self.patterns.known.insert(Slot::Abbreviation, abbreviation.to_string());
    }

    fn commentary(&mut self, blocks: &[Block]) {
        #[allow(clippy::unwrap_used)] // a constant pattern
        let heading = patterns::regex(r"^(\d+)\.\s+(.+)$").unwrap();
        for block in blocks {
            let plain = block.plain();
            let next = self.draft.commentary.len() + 1;
            match &block.kind {
                Kind::Para if !block.small => {
                    if let Some(found) = heading.captures(&plain)
                        && found[1].parse::<usize>().ok() == Some(next)
                    {
                        let mut b = block.clone();
                        b.text = strip_number(&unbold(&block.text), found[1].len() + 1);
                        let heading = self.text_of(&b);
                        self.draft.commentary.push(AreaDraft { heading, paragraphs: Vec::new() });
                    } else {
                        self.unplaced(block);
                    }
                }
                Kind::Numbered(label) => {
                    let Some(area) = self.draft.commentary.len().checked_sub(1) else {
                        self.unplaced(block);
                        continue;
                    };
                    let val = self.text_of(block);
                    let count = self.draft.commentary[area].paragraphs.len();
                    let expected = format!("{}.{}.", area + 1, count + 1);
                    let val = if *label == expected {
                        val
                    } else {
                        val.noted(format!(
                            "numbered {label} in the letter; the tool numbers it {expected}"
                        ))
                    };
                    self.draft.commentary[area].paragraphs.push(val);
                }
                _ if block.small => self.small(block),
                _ => self.unplaced(block),
            }
        }
        for area in &mut self.draft.commentary {
            if area.paragraphs.is_empty() {
                area.paragraphs.push(Val::todo("the first paragraph of this area"));
            }
        }
    }

    fn closing(&mut self, blocks: &[Block]) {
        let mut paras = Vec::new();
        for block in blocks {
            if block.kind == Kind::Para && !block.small {
                paras.push(block.clone());
            } else if block.small {
                if !self.small_print(block) {
                    self.small(block);
                }
            } else {
                self.unplaced(block);
            }
        }
        if paras.is_empty() {
            return;
        }
        // The small print may be in body type where size is not seen.
        if let Some(last) = paras.last()
            && self.is_small_print(last)
        {
            paras.pop();
        }
        let texts: Vec<String> = paras.iter().map(|b| b.plain()).collect();
        let at = paras.first().map(|b| b.at);
        let found = self.patterns.paragraphs(Phrase::Closing, &texts);
        match found {
            Some(found) => self.lead(&found, at),
            None => {
                let own: Vec<Val> = paras.iter().map(|b| self.text_of(b)).collect();
                self.draft.closing = Some(own);
                let email = find_email(&texts.join(" "));
                match email {
                    Some(email) => {
                        self.draft.lead.email = Val { value: Scalar::Text(email), at, note: None }
                            .noted("found in the letter's own closing");
                    }
                    None => self
                        .problem(at, "the letter does not give the lead inspector's email address"),
                }
                self.problem(
                    at,
                    "the letter's closing is its own and does not name the lead inspector",
                );
            }
        }
    }

    fn lead(&mut self, found: &Found, at: Option<Place>) {
        if let Some(abbreviation) = found.get(&Slot::Abbreviation) {
            self.set_abbreviation(abbreviation, at);
        }
        if let Some(name) = found.get(&Slot::LeadName) {
            self.draft.lead.name = Val { value: Scalar::Text(name.clone()), at, note: None };
            self.patterns.known.insert(Slot::LeadName, name.clone());
        }
        if let Some(email) = found.get(&Slot::LeadEmail) {
            self.draft.lead.email = Val { value: Scalar::Text(email.clone()), at, note: None };
        }
        if let Some(lead) = found.get(&Slot::Lead) {
            match self.patterns.form(Phrase::LeadPronoun, lead).as_deref() {
                Some("none") => self.draft.lead.pronoun = None,
                Some(form) => self.draft.lead.pronoun = Some(Val::word(form, at)),
                None => self.problem(at, format!("\"{lead}\" is not a pronoun of the words file")),
            }
        }
        self.draft.lead.phone = found.get(&Slot::Phone).map(|phone| Val {
            value: Scalar::Quoted(phone.clone()),
            at,
            note: None,
        });
    }

    fn is_small_print(&self, block: &Block) -> bool {
        self.patterns.is(Phrase::PaperCopy, &block.plain())
    }

    /// The note about paper copies: the tool writes it; anything else is
    /// reported.
    fn small_print(&mut self, block: &Block) -> bool {
        self.is_small_print(block)
    }

    fn copy_list(&mut self, blocks: &[Block]) {
        let separator =
            self.words.plain(Phrase::NameSeparator, &Default::default()).unwrap_or_default();
        let mut rows = Vec::new();
        // A plain export gives the roles' column, then the names'.
        let paras: Vec<&Block> = blocks
            .iter()
            .filter(|b| b.kind == Kind::Para && !b.small && !self.is_small_print(b))
            .collect();
        let columns = blocks.iter().all(|b| !matches!(b.kind, Kind::Row(_))) && !paras.is_empty();
        if columns {
            self.problem(
                paras.first().map(|b| b.at),
                "the copy list came as two columns (a plain text export), paired here in order: check each row",
            );
        }
        let blocks: Vec<Block> = if columns && paras.len().is_multiple_of(2) {
            let half = paras.len() / 2;
            let mut paired: Vec<Block> = (0..half)
                .map(|i| Block {
                    kind: Kind::Row(paras[i].text.clone()),
                    ..paras[half + i].clone()
                })
                .collect();
            paired.extend(
                blocks
                    .iter()
                    .filter(|b| b.kind != Kind::Para || b.small || self.is_small_print(b))
                    .cloned(),
            );
            paired
        } else {
            blocks.to_vec()
        };
        for block in &blocks {
            match &block.kind {
                Kind::Row(label) => {
                    let role = {
                        let b = Block { text: label.clone(), ..block.clone() };
                        self.text_of(&b)
                    };
                    let value = block.plain();
                    let names: Vec<Val> = if separator.is_empty() {
                        vec![Val::text(value, block.at)]
                    } else {
                        value
                            .split(separator.as_str())
                            .map(|n| Val::text(n.trim(), block.at))
                            .collect()
                    };
                    let role = if columns {
                        role.noted("paired with its names by order from the text's two columns")
                    } else {
                        role
                    };
                    rows.push(CopyDraft { role, names });
                }
                _ if self.is_small_print(block) => {}
                _ if block.small => self.small(block),
                _ => self.unplaced(block),
            }
        }
        self.draft.copy_to = Some(rows);
    }

    fn footnotes(&mut self) {
        let used: Vec<usize> = self.notes.iter().map(|(n, _)| *n).collect();
        let defined = self.draft.footnotes.len();
        for n in 1..=defined {
            if !used.contains(&n) {
                self.problem(None, format!("footnote {n} is never marked in the text"));
            }
        }
        if let Some(n) = used.iter().find(|n| **n > defined) {
            self.problem(
                None,
                format!("the text marks footnote {n}, which the letter does not give"),
            );
        }
        let _ = &self.source;
    }
}

fn collect_notes(run: &crate::letter::Inline, out: &mut Vec<(usize, Text)>) {
    use crate::letter::Inline;
    match run {
        Inline::Note { number, .. } => out.push((*number, Text::default())),
        Inline::Emphasis { content }
        | Inline::Strong { content }
        | Inline::Link { content, .. } => {
            for r in content {
                collect_notes(r, out);
            }
        }
        Inline::Text { .. } => {}
    }
}

/// A heading without the bold the layout sets it in.
fn unbold(text: &Text) -> Text {
    use crate::letter::Inline;
    let mut out = Text::default();
    for run in &text.runs {
        match run {
            Inline::Strong { content } => {
                for r in content {
                    out.push(r.clone());
                }
            }
            other => out.push(other.clone()),
        }
    }
    out
}

/// A text without its first `bytes` bytes ("1." of a heading, "1" of a
/// footnote).
fn strip_number(text: &Text, bytes: usize) -> Text {
    let mut runs = text.runs.clone();
    if let Some(crate::letter::Inline::Text { text: first }) = runs.first_mut() {
        let cut = bytes.min(first.len());
        *first = first[cut..].trim_start().to_string();
    }
    super::lines::tidy(&Text { runs, key: None })
}

/// The area's own name from its Welsh form after "yn", where the nasal
/// mutation has only one source: "yng Nghaerdydd" is Caerdydd, "ym Mhowys"
/// Powys, "yn Nhorfaen" Torfaen, "yng Ngwynedd" Gwynedd (the reverse of
/// `check`'s `nasal_mutation`). "ym M…" and "yn N…" may be mutated or not,
/// and are left to the person.
fn unmutated(words: &Words, in_area: &str) -> Option<String> {
    if words.language != "cy" {
        return None;
    }
    let (yn, name) = in_area.split_once(' ')?;
    let initial = [("yng", "Ngh", "C"), ("ym", "Mh", "P"), ("yn", "Nh", "T"), ("yng", "Ng", "G")];
    initial.iter().find_map(|(before, mutated, own)| {
        let rest = name.strip_prefix(mutated).filter(|_| yn == *before)?;
        rest.starts_with(|c: char| c.is_lowercase()).then(|| format!("{own}{rest}"))
    })
}

/// The text without the words `suffix` at its end (in its last run of
/// words), if it ends so.
fn strip_suffix(text: &Text, suffix: &str) -> Text {
    let mut runs = text.runs.clone();
    if let Some(crate::letter::Inline::Text { text: last }) = runs.last_mut()
        && let Some(rest) = squeeze(last).strip_suffix(suffix)
    {
        *last = rest.to_string();
    }
    super::lines::tidy(&Text { runs, key: None })
}

/// The first fieldwork range in some text.
fn find_range(text: &str, months: &[String]) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    for len in (1..=6).rev() {
        for start in 0..words.len().saturating_sub(len - 1) {
            let candidate = words[start..start + len].join(" ");
            let candidate = candidate.trim_end_matches(['.', ',', ';', ':', ')']).to_string();
            if candidate.contains('-') && parse_range(&candidate, months).is_some() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The first email address in some text.
fn find_email(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '(' || c == ')')
        .map(|w| w.trim_end_matches(['.', ',', ';', ':']))
        .find(|w| w.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.')))
        .map(str::to_string)
}

/// At most 60 characters of a text, for a message.
fn short(text: &str) -> String {
    if text.chars().count() <= 60 {
        return text.to_string();
    }
    let cut: String = text.chars().take(57).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_emails_are_found_in_running_text() {
        let months: Vec<String> =
            (1..=12u8).map(|m| time::Month::try_from(m).unwrap().to_string()).collect();
        assert_eq!(
            find_range(
                "inspection of Torbay YOT, conducted from 26-28 October 2015 at the",
                &months
            )
            .as_deref(),
            Some("26-28 October 2015")
        );
        assert_eq!(
            find_email("write to <sam.taylor@hmiprobation.gsi.gov.uk>.").as_deref(),
            Some("sam.taylor@hmiprobation.gsi.gov.uk")
        );
    }
}
