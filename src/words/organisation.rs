//! The inspectorate's details in a language, by date: the `organisation:`
//! part of a words file.
//!
//! `organisation.yaml` holds the inspectorate's name, website, address and
//! publications contact. What of them changes with the language (the name,
//! the name for short, the publications contact) lives beside that
//! language's words, so a publications team finds and overrides both in one
//! place (`--templates DIR`, as `DIR/words/LANG.yaml`). Names also change
//! with time: the Welsh name followed the monarch, from "Arolygiaeth Prawf
//! EM" (Ei Mawrhydi) to "Arolygiaeth Prawf EF" (Ei Fawrhydi). So the part is
//! a list of forms in date order, each changing what it names from its date
//! on, and a letter takes the details of its publication date.

use std::sync::Arc;

use serde::Deserialize;

use crate::error::{Diagnostic, SourceFile};
use crate::model::{IsoDate, Organisation};
use crate::yaml::{self, KeyIndex};

/// What a language changes of the inspectorate's details from a date on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Form {
    /// The first publication date the form applies to; the first form may
    /// leave it out and applies from the start.
    #[serde(default)]
    from: Option<IsoDate>,
    name: Option<String>,
    short_name: Option<String>,
    website: Option<String>,
    address: Option<Vec<String>>,
    publications: Option<ContactForm>,
}

/// What a form changes of the publications contact.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactForm {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

/// A words file as far as this part is concerned: the rest is phrases.
#[derive(Deserialize)]
struct Part {
    #[serde(default)]
    organisation: Vec<Form>,
}

const HINT: &str = "`organisation:` lists the inspectorate's details in this language, \
    each form from a date on (`from: YYYY-MM-DD`), as in the built-in words/cy.yaml";

/// The problems of forms that parsed: a later form without a date, or
/// forms out of date order.
pub(super) fn check_forms(
    forms: &[Form],
    file: &Arc<SourceFile>,
    index: &KeyIndex,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut previous: Option<IsoDate> = None;
    for (i, form) in forms.iter().enumerate() {
        let at = |message: String, key: String| {
            Diagnostic::error(message).at(file, index.range_of(&key)).key(key).hint(HINT)
        };
        match (form.from, previous) {
            (None, _) if i > 0 => problems.push(at(
                "this form needs `from:`, the first publication date it applies to".into(),
                format!("organisation[{i}]"),
            )),
            (Some(from), Some(before)) if from <= before => problems.push(at(
                format!("the forms must be in date order: {from} is not after {before}"),
                format!("organisation[{i}].from"),
            )),
            _ => {}
        }
        previous = form.from.or(previous);
    }
    problems
}

/// Reads the `organisation:` part of a words file on its own, with every
/// problem in it located. `Words::read` reads the part with the phrases,
/// and only calls this when that fails, for a message that names the key
/// or value that is wrong.
pub(super) fn read(file: &Arc<SourceFile>) -> Result<Vec<Form>, Vec<Diagnostic>> {
    let (part, index) = yaml::parse::<Part>(file).map_err(|f| vec![f.first.hint(HINT)])?;
    let problems = check_forms(&part.organisation, file, &index);
    if problems.is_empty() { Ok(part.organisation) } else { Err(problems) }
}

/// The inspectorate's details on `date`: `base` with every form that
/// applies by then laid over it, in order.
pub(super) fn on(forms: &[Form], base: &Organisation, date: IsoDate) -> Organisation {
    let mut org = base.clone();
    for form in forms.iter().take_while(|f| f.from.is_none_or(|from| from <= date)) {
        let set = |field: &mut String, value: &Option<String>| {
            if let Some(value) = value {
                field.clone_from(value);
            }
        };
        set(&mut org.name, &form.name);
        set(&mut org.short_name, &form.short_name);
        set(&mut org.website, &form.website);
        if let Some(address) = &form.address {
            org.address.clone_from(address);
        }
        if let Some(contact) = &form.publications {
            set(&mut org.publications.name, &contact.name);
            set(&mut org.publications.email, &contact.email);
            set(&mut org.publications.phone, &contact.phone);
        }
    }
    org
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Contact;

    fn base() -> Organisation {
        Organisation {
            name: "HM Inspectorate of Probation".into(),
            short_name: "HMI Probation".into(),
            website: "https://example.org/".into(),
            address: vec!["Manchester".into()],
            publications: Contact {
                name: "Publications".into(),
                email: "p@example.org".into(),
                phone: "0161".into(),
            },
        }
    }

    fn date(text: &str) -> IsoDate {
        IsoDate::parse(text).unwrap()
    }

    #[test]
    fn a_letter_takes_the_name_of_its_publication_date() {
        let file = SourceFile::new(
            "cy.yaml",
            "name: Cymraeg\norganisation:\n  - name: Arolygiaeth Prawf EM\n    \
             publications: {name: Cyhoeddiadau}\n  - from: 2022-09-08\n    name: Arolygiaeth Prawf EF\n",
        );
        let forms = read(&file).unwrap();
        let before = on(&forms, &base(), date("2022-09-07"));
        assert_eq!(before.name, "Arolygiaeth Prawf EM");
        assert_eq!(before.publications.name, "Cyhoeddiadau");
        assert_eq!(before.short_name, "HMI Probation", "what no form names stays");
        assert_eq!(on(&forms, &base(), date("2022-09-08")).name, "Arolygiaeth Prawf EF");
        assert_eq!(on(&[], &base(), date("2022-09-08")).name, "HM Inspectorate of Probation");
    }

    #[test]
    fn forms_out_of_order_or_without_a_date_are_refused() {
        let file = SourceFile::new(
            "cy.yaml",
            "organisation:\n  - {from: 2022-09-08, name: B}\n  - {from: 2020-01-01, name: A}\n  - {name: C}\n",
        );
        let errors = read(&file).unwrap_err();
        let messages: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert!(messages[0].contains("2020-01-01 is not after 2022-09-08"), "{messages:?}");
        assert!(messages[1].contains("needs `from:`"), "{messages:?}");
        assert!(messages[1].contains("cy.yaml:4:"), "{messages:?}");
    }

    #[test]
    fn an_unknown_key_is_located() {
        let file = SourceFile::new("cy.yaml", "organisation:\n  - nmae: X\n");
        let errors = read(&file).unwrap_err();
        assert!(errors[0].message.contains("nmae"), "{}", errors[0]);
        assert!(errors[0].to_string().starts_with("cy.yaml:2:"), "{}", errors[0]);
    }
}
