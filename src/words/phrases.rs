//! The table of phrases and the table of slots: every phrase a words file
//! must have, its shape and the slots it may use, each a name the compiler
//! knows. The composer names phrases by [`Phrase`], so a misspelt phrase
//! does not compile; a words file is checked against [`Phrase::ALL`] when
//! it is read; `docs/templates.md` is checked against it by a test.

/// What a phrase is: one text, paragraphs, a text per form (the lead
/// inspector's pronoun), or a list of short values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One line of text.
    One,
    /// A list of paragraphs.
    Paragraphs,
    /// A text for each of these forms.
    Forms(&'static [&'static str]),
    /// A list of short values.
    List,
}

/// The forms of the lead inspector's pronoun.
pub(crate) const PRONOUN_FORMS: &[&str] = &["he", "she", "they", "none"];

/// The table of slots: each is a name the compiler knows ([`Slot`]) and
/// the name a words file writes it by (`{area}`).
macro_rules! slots {
    ($($(#[$doc:meta])* $slot:ident = $name:literal,)*) => {
        /// A slot of a phrase, filled in from the findings or the
        /// organisation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) enum Slot {
            $($(#[$doc])* $slot,)*
        }

        impl Slot {
            /// Every slot.
            pub(crate) const ALL: &[Slot] = &[$(Slot::$slot,)*];

            /// The slot's name in a words file, without braces.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Slot::$slot => $name,)*
                }
            }
        }
    };
}

slots! {
    /// The area inspected.
    Area = "area",
    /// "in AREA", or the findings' `area_in`.
    InArea = "in_area",
    /// The publication date, as printed.
    Published = "published",
    /// The year of publication.
    Year = "year",
    /// The letter's title (in `draft_title`).
    Title = "title",
    /// A person's name (in `person`).
    Name = "name",
    /// A person's role (in `person`).
    Role = "role",
    /// The fieldwork dates, as printed.
    Fieldwork = "fieldwork",
    /// The inspectorate's name.
    OrgName = "org_name",
    /// The inspectorate's name for short.
    OrgShortName = "org_short_name",
    /// The inspectorate's website, as a link.
    Website = "website",
    /// How many cases were examined.
    Cases = "cases",
    /// The team inspected.
    Team = "team",
    /// The team for short.
    Abbreviation = "abbreviation",
    /// The lead inspector's name.
    LeadName = "lead_name",
    /// The lead inspector by pronoun (`lead_pronoun`).
    Lead = "lead",
    /// The lead inspector's email address, as a link.
    LeadEmail = "lead_email",
    /// `phone_clause` with the lead inspector's phone, or nothing.
    LeadPhone = "lead_phone",
    /// A phone number (in `phone_clause`).
    Phone = "phone",
    /// Who to ask for a paper copy.
    PublicationsName = "publications_name",
    /// Their email address, as a link.
    PublicationsEmail = "publications_email",
    /// Their phone number.
    PublicationsPhone = "publications_phone",
    /// The page number (in `page`).
    Page = "page",
    /// The number of pages (in `page`).
    Pages = "pages",
}

/// The table of phrases: each is a name the compiler knows ([`Phrase`]),
/// the name a words file writes it by, its shape, and the slots it may
/// use. A words file is checked against this table when it is read, the
/// composer names phrases by their [`Phrase`], and `docs/templates.md` is
/// checked against it by a test.
macro_rules! phrases {
    ($($phrase:ident = $name:literal, $shape:expr, [$($slot:ident),*];)*) => {
        /// A phrase of a words file.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) enum Phrase {
            $(
                #[doc = concat!("`", $name, "`")]
                $phrase,
            )*
        }

        impl Phrase {
            /// Every phrase, in the order of the table.
            pub(crate) const ALL: &[Phrase] = &[$(Phrase::$phrase,)*];

            /// The phrase's name in a words file.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Phrase::$phrase => $name,)*
                }
            }

            /// What the phrase is: one text, paragraphs, forms or a list.
            pub(crate) fn shape(self) -> Shape {
                match self {
                    $(Phrase::$phrase => $shape,)*
                }
            }

            /// The slots the phrase may use.
            pub(crate) fn slots(self) -> &'static [Slot] {
                match self {
                    $(Phrase::$phrase => &[$(Slot::$slot),*],)*
                }
            }
        }
    };
}

use Shape::{Forms, List, One, Paragraphs};

phrases! {
    Name = "name", One, [];
    EnglishName = "english_name", One, [];
    Tag = "tag", One, [];
    Months = "months", List, [];
    DateStyles = "date_styles", List, [];
    InArea = "in_area", One, [Area];
    Title = "title", One, [Area, InArea, Published, Year];
    ShortTitle = "short_title", One, [Area, InArea, Published, Year];
    Description = "description", One, [Area, InArea, Published, Year];
    Keywords = "keywords", List, [Area, InArea, Published, Year];
    DraftTitle = "draft_title", One, [Area, InArea, Published, Year, Title];
    To = "to", One, [];
    CopyTo = "copy_to", One, [];
    SeeCopyList = "see_copy_list", One, [];
    From = "from", One, [];
    PublicationDate = "publication_date", One, [];
    Person = "person", One, [Name, Role];
    NameSeparator = "name_separator", One, [];
    DefaultAbbreviation = "default_abbreviation", One, [];
    Intro = "intro", Paragraphs, [Fieldwork, OrgName, OrgShortName, Area, InArea];
    ContextHeading = "context_heading", One, [];
    Context = "context", Paragraphs,
        [OrgName, OrgShortName, Website, Cases, Team, Abbreviation, Area, InArea];
    SummaryHeading = "summary_heading", One, [];
    CommentaryHeading = "commentary_heading", One, [Area, InArea];
    OperationalManagementHeading = "operational_management_heading", One, [];
    StrengthsHeading = "strengths_heading", One, [];
    ImprovementsHeading = "improvements_heading", One, [];
    CopyListHeading = "copy_list_heading", One, [];
    Closing = "closing", Paragraphs,
        [Abbreviation, Team, LeadName, Lead, LeadEmail, LeadPhone, OrgShortName];
    LeadPronoun = "lead_pronoun", Forms(PRONOUN_FORMS), [LeadName];
    PhoneClause = "phone_clause", One, [Phone];
    PaperCopy = "paper_copy", One,
        [PublicationsName, PublicationsEmail, PublicationsPhone, OrgName, OrgShortName];
    Page = "page", One, [Page, Pages];
    DraftMark = "draft_mark", One, [];
    DraftBanner = "draft_banner", One, [];
    NotesHeading = "notes_heading", One, [];
    BackToText = "back_to_text", One, [];
}

impl Phrase {
    /// The phrase a words file names, if there is one.
    pub(crate) fn from_name(name: &str) -> Option<Phrase> {
        Phrase::ALL.iter().copied().find(|p| p.name() == name)
    }
}

impl Slot {
    /// The slot a words file names, if there is one.
    pub(crate) fn from_name(name: &str) -> Option<Slot> {
        Slot::ALL.iter().copied().find(|s| s.name() == name)
    }
}
