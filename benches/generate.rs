//! A generator of varied, valid findings files for benchmarks: different
//! areas, dates, numbers of sections and paragraphs, footnotes, copy lists,
//! date styles, and inline markup. Deterministic: letter `i` is always the
//! same text.

// Shared by the benches, a test and an example, each using a part of it.
#![allow(unreachable_pub)]

/// A small deterministic random number generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A generator whose numbers depend on `seed` alone.
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from 0 up to, not including, `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const AREAS: &[&str] = &[
    "Barnet",
    "Bath & North East Somerset",
    "Gwynedd & Ynys Môn",
    "Torbay",
    "Wrexham",
    "Leeds",
    "Cornwall",
    "Merthyr Tydfil",
    "Tower Hamlets",
    "North Yorkshire",
    "Kirklees",
    "Swansea",
    "Camden",
    "Plymouth",
    "Ceredigion",
    "Bristol",
    "Salford",
    "Newham",
    "Powys",
    "Dudley",
];
const HEADINGS: &[&str] = &[
    "Reducing the likelihood of reoffending",
    "Protecting the public",
    "Protecting the child or young person",
    "Ensuring that the sentence is served",
    "Governance and partnerships",
];
const OPENINGS: &[&str] = &[
    "The initial assessment of the likelihood of reoffending was sufficient",
    "Planning to manage the risk of harm was sufficient",
    "Reviews of safeguarding and vulnerability took place",
    "Case managers engaged the child or young person",
    "Management oversight was effective",
    "Pre-sentence reports offered the court a range of proposals",
    "Plans took account of diversity and barriers to engagement",
];
const FOLLOWS: &[&str] = &[
    "Most assessments were very thorough and drew on information from partners.",
    "In the other cases, significant changes in circumstances had not prompted a review.",
    "An inspector commented that *\"the work with the family was exemplary\"*.",
    "Staff described the recording system as slow, and managers agreed.",
    "This had improved since our last inspection, when we found several gaps.",
    "Where it was not, the assessment had missed the child's previous behaviour.",
    "The **high risk and gangs** panel was an effective way of sharing information.",
    "Guidance is on the [YJB website](https://www.gov.uk/government/organisations/youth-justice-board-for-england-and-wales).",
];
const NAMES: &[&str] = &[
    "Kate Malleson",
    "Andrew Travers",
    "Siân Ŵyn",
    "Llŷr Gruffydd",
    "Chris Miller",
    "Ken Battye",
    "Lisa Harvey",
    "Paula Williams",
    "Debbie Jones",
    "Fergus Currie",
    "Paul Eveleigh",
    "Amira Khan",
];
const MONTHS: &[&str] = &["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"];

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The findings file of letter `i`.
pub fn findings(i: usize) -> String {
    let mut rng = Rng::new(i as u64);
    let area = format!("{} {}", rng.pick(AREAS), i);
    let year = 2014 + rng.below(6);
    let month = rng.pick(MONTHS);
    let cases = 10 + rng.below(20);
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("area: {}", quoted(&area)));
    line(format!("published: {year}-{month}-20"));
    if rng.below(2) == 0 {
        line("date_style: plain".into());
    }
    line(format!("to: {{name: {}, role: Chair of the Management Board}}", quoted(rng.pick(NAMES))));
    line("from: {name: Julie Fox, role: HM Assistant Chief Inspector}".into());
    line("inspection:".into());
    line(format!("  fieldwork: {{from: {year}-{month}-02, to: {year}-{month}-04}}"));
    line(format!("  cases: {cases}"));
    line(format!("  team: {}", quoted(&format!("{area} Youth Offending Team"))));
    let footnote = rng.below(3) == 0;
    let sentence = |rng: &mut Rng, note: bool| {
        let n = 1 + rng.below(cases);
        let mut text = format!("{} in {n} of the {cases} cases.", rng.pick(OPENINGS));
        for _ in 0..1 + rng.below(4) {
            text.push(' ');
            text.push_str(rng.pick(FOLLOWS));
        }
        if note {
            text.push_str("[^rate]");
        }
        quoted(&text)
    };
    line("summary:".into());
    for k in 0..1 + rng.below(2) {
        line(format!("  - {}", sentence(&mut rng, footnote && k == 0)));
    }
    line("commentary:".into());
    for heading in HEADINGS.iter().take(3 + rng.below(3)) {
        line(format!("  - heading: {heading}"));
        line("    paragraphs:".into());
        for _ in 0..2 + rng.below(6) {
            line(format!("      - {}", sentence(&mut rng, false)));
        }
    }
    if rng.below(3) > 0 {
        line("operational_management:".into());
        for _ in 0..1 + rng.below(3) {
            line(format!("  - {}", sentence(&mut rng, false)));
        }
    }
    line("strengths:".into());
    for _ in 0..2 + rng.below(3) {
        line(format!("  - {}", quoted(rng.pick(FOLLOWS))));
    }
    let improvements: Vec<String> = (0..rng.below(3)).map(|_| quoted(rng.pick(FOLLOWS))).collect();
    line(format!("improvements: [{}]", improvements.join(", ")));
    line("lead_inspector: {name: Mark Boother, pronoun: he, email: mark.boother@example.org, phone: \"07771 527326\"}".into());
    if rng.below(4) > 0 {
        line("copy_to:".into());
        for k in 0..3 + rng.below(10) {
            line(format!("  - role: {}", quoted(&format!("Partner role {k}"))));
            line(format!("    names: [{}]", quoted(NAMES[(i + k) % NAMES.len()])));
        }
    }
    if footnote {
        line("footnotes:".into());
        line("  rate: The reoffending rate that was available during the fieldwork.".into());
    }
    out
}
