//! What each key of a findings file is, in plain English: one table read
//! by the JSON Schema (its titles and descriptions), by `init`'s starter
//! file (its comments) and by `hmip-letter edit` (its labels and hints).
//! A key explained anywhere is explained here.
//!
//! Keys are written as paths with `[]` for any item of a list
//! (`commentary[].heading`); the people `to` and `from` share `person.`.

/// One key, explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// The key path, with `[]` for any item of a list.
    pub key: &'static str,
    /// A short label, as a form names the field.
    pub label: &'static str,
    /// What the value is, in a sentence or two: the form's hint, the
    /// schema's description and the starter's comment.
    pub hint: &'static str,
    /// What only someone writing the YAML by hand needs to know, added to
    /// the starter's comment (and the schema's description).
    pub yaml: &'static str,
}

const fn about(key: &'static str, label: &'static str, hint: &'static str) -> About {
    About { key, label, hint, yaml: "" }
}

const fn by_hand(
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    yaml: &'static str,
) -> About {
    About { key, label, hint, yaml }
}

/// Every key of a findings file, in the order of the starter.
pub const GUIDE: &[About] = &[
    about("letter", "Letter", "Which letter: sqs (Short Quality Screening)."),
    about(
        "language",
        "Language",
        "The language of the letter: en-GB for English, or cy for a letter in Welsh.",
    ),
    about(
        "area",
        "Area inspected",
        "The area inspected, used in the title: \"... youth offending work in AREA\".",
    ),
    about(
        "area_in",
        "The area after \"in\"",
        "In a Welsh letter, how it says \"in AREA\" when the name mutates, for example",
    ),
    by_hand("published", "Publication date", "The date the letter is published.", "YYYY-MM-DD."),
    about(
        "date_style",
        "How dates are printed",
        "ordinal (\"16th July 2014\") or plain (\"16 July 2014\").",
    ),
    about(
        "status",
        "Status",
        "draft puts a DRAFT watermark on every page; final is for publishing.",
    ),
    about("to", "Who the letter is to", "The person the letter is addressed to, and their role."),
    about("from", "Who the letter is from", "The person who signs the letter, and their role."),
    about("person.name", "Name", "The person's name."),
    about("person.role", "Role", "Their role, as the letter gives it."),
    about("inspection", "The inspection", "When and what was inspected."),
    about("inspection.fieldwork", "Fieldwork", "The first and last day of fieldwork."),
    by_hand("inspection.fieldwork.from", "First day of fieldwork", "", "YYYY-MM-DD."),
    by_hand("inspection.fieldwork.to", "Last day of fieldwork", "", "YYYY-MM-DD."),
    about("inspection.cases", "Number of cases", "How many cases were examined, in figures."),
    about(
        "inspection.team",
        "Team inspected",
        "The team whose cases were examined, for example Barnet Youth Offending Team.",
    ),
    about(
        "inspection.abbreviation",
        "The team for short",
        "What the letter calls the team for short: YOT, YOS or YJS.",
    ),
    by_hand(
        "summary",
        "Summary",
        "The summary of the findings: one or more paragraphs.",
        "Start each with \"- >-\" and indent the text below it; line breaks inside a \
         paragraph are spaces.",
    ),
    about("summary[]", "Paragraph", ""),
    about(
        "commentary",
        "Commentary",
        "One area of work after another, numbered 1, 2, 3 in the letter, with paragraphs \
         1.1, 1.2 and so on.",
    ),
    about("commentary[].heading", "Heading", "The heading, for example Protecting the public."),
    about("commentary[].paragraphs", "Paragraphs", "The paragraphs, numbered 1.1, 1.2 and so on."),
    about("commentary[].paragraphs[]", "Paragraph", ""),
    by_hand(
        "operational_management",
        "Operational management",
        "The findings on operational management, in paragraphs.",
        "Delete the key to leave the section out.",
    ),
    about("operational_management[]", "Paragraph", ""),
    about("strengths", "Key strengths", "One or more items."),
    about("strengths[]", "Strength", ""),
    by_hand("improvements", "Areas requiring improvement", "Zero or more items.", "[] for none."),
    about("improvements[]", "Area for improvement", ""),
    by_hand(
        "lead_inspector",
        "The lead inspector",
        "The lead inspector, named in the closing paragraph.",
        "pronoun is he, she or they; delete it to repeat the name instead. Quote the phone \
         number.",
    ),
    about("lead_inspector.name", "Name", "The lead inspector's name."),
    about(
        "lead_inspector.pronoun",
        "Pronoun",
        "he, she or they, for the closing paragraph; without one the name is repeated.",
    ),
    about("lead_inspector.email", "Email address", "The lead inspector's email address."),
    about("lead_inspector.phone", "Phone number", "The lead inspector's phone number."),
    by_hand(
        "copy_to",
        "Copy list",
        "Who is sent a copy, role by role; with a copy list the letter's header says \
         \"See copy list at end\".",
        "Delete the key if there is none.",
    ),
    about("copy_to[].role", "Role", "The role, for example YJB link staff."),
    about("copy_to[].names", "Names", "The people in that role."),
    about("copy_to[].names[]", "Name", ""),
    by_hand(
        "footnotes",
        "Footnotes",
        "Footnote texts by name; write [^name] in a paragraph to place one.",
        "A footnote that is defined but never used is an error, so this list starts empty.",
    ),
    about("footnotes.*", "Footnote", ""),
    about("intro", "Opening paragraph", "Paragraphs that replace the generated opening paragraph."),
    about("context", "Context", "Paragraphs that replace the generated Context section."),
    about(
        "closing",
        "Closing",
        "Paragraphs that replace the generated thanks and lead-inspector paragraphs.",
    ),
    about("intro[]", "Paragraph", ""),
    about("context[]", "Paragraph", ""),
    about("closing[]", "Paragraph", ""),
    about("logo", "Logo", "An image for the letterhead, beside the findings file."),
    about(
        "logo.file",
        "Image file",
        "A PNG or SVG file, relative to the findings file and inside its folder.",
    ),
    about(
        "logo.alt",
        "What the image shows",
        "What the image shows, for readers who cannot see it.",
    ),
    about(
        "preflight",
        "Preflight",
        "What hmip-letter preflight is told about this letter; not printed in the letter.",
    ),
    about(
        "preflight.allow",
        "House-style rules switched off",
        "Each with the reason, for example long-sentence, The sentence quotes the court's \
         order in full. Rules about personal data cannot be switched off.",
    ),
];

/// The guide's entry for a key path of a file (`commentary[2].heading`,
/// `to.name`, `footnotes.rate`), if it has one.
pub fn about_key(path: &str) -> Option<&'static About> {
    let general = general(path);
    GUIDE.iter().find(|a| a.key == general).or_else(|| {
        // A footnote's name is the user's: `footnotes.*`.
        let (parent, _) = general.rsplit_once('.')?;
        let star = format!("{parent}.*");
        GUIDE.iter().find(|a| a.key == star)
    })
}

/// `commentary[2].paragraphs[0]` → `commentary[].paragraphs[]`;
/// `to.name` → `person.name`.
pub fn general(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    for person in ["to.", "from."] {
        if let Some(rest) = out.strip_prefix(person) {
            return format!("person.{rest}");
        }
    }
    out
}

/// What a key is, as one sentence for the schema or a comment: the hint,
/// and what writing it by hand needs.
pub fn description(about: &About) -> String {
    match (about.hint.is_empty(), about.yaml.is_empty()) {
        (false, false) => format!("{} {}", about.hint, about.yaml),
        (false, true) => about.hint.to_string(),
        (true, false) => format!("{}, {}", about.label, about.yaml),
        (true, true) => format!("{}.", about.label),
    }
}

/// The comment lines `# ...` that explain a key in a YAML file, wrapped at
/// `width` columns.
pub fn comment(about: &About, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::from("#");
    for word in description(about).split(' ') {
        if line.len() > 1 && line.len() + 1 + word.len() > width {
            lines.push(std::mem::replace(&mut line, String::from("#")));
        }
        line.push(' ');
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// A starter file with each `#: key` line replaced by the guide's comment
/// for the key. A line naming a key the guide does not have is kept.
pub fn expand(template: &str) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    for line in template.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let pad = &line[..line.len() - trimmed.len()];
        let key = trimmed.trim_end().strip_prefix("#: ");
        match key.and_then(|k| GUIDE.iter().find(|a| a.key == k)) {
            Some(about) => {
                for comment in self::comment(about, 78 - pad.len().min(40)) {
                    out.push_str(pad);
                    out.push_str(&comment);
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_the_schema_is_explained_once() {
        let mut keys: Vec<&str> = GUIDE.iter().map(|a| a.key).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a key is in the guide twice");
        for a in GUIDE {
            assert!(!a.label.is_empty(), "{}", a.key);
            assert!(!description(a).is_empty());
        }
    }

    #[test]
    fn paths_of_a_file_find_their_entry() {
        assert_eq!(about_key("commentary[2].paragraphs[0]").unwrap().label, "Paragraph");
        assert_eq!(about_key("from.role").unwrap().key, "person.role");
        assert_eq!(about_key("footnotes.rate").unwrap().label, "Footnote");
        assert_eq!(about_key("inspection.fieldwork.to").unwrap().label, "Last day of fieldwork");
        assert!(about_key("nowhere").is_none());
    }

    #[test]
    fn comments_are_wrapped_and_say_the_whole_description() {
        let about = about_key("summary").unwrap();
        let lines = comment(about, 78);
        assert!(lines.len() > 1 && lines.iter().all(|l| l.len() <= 78 && l.starts_with("# ")));
        let joined: Vec<&str> = lines.iter().map(|l| &l[2..]).collect();
        assert_eq!(joined.join(" "), description(about));
        let area = comment(about_key("area").unwrap(), 78).join("\n");
        assert_eq!(
            expand("a\n#: area\narea: x\n#: nothing\n"),
            format!("a\n{area}\narea: x\n#: nothing\n")
        );
        assert!(expand("i:\n  #: inspection.cases\n  cases: 1\n").contains("\n  # How many cases"));
    }
}
