//! `hmip-letter init`: a starter findings file, every key explained.

use std::path::PathBuf;

use hmip_letter::Diagnostic;
use hmip_letter::error::Error;
use hmip_letter::output;
use hmip_letter::templates::Templates;

use super::Sink;
use crate::cli::InitArgs;

/// Writes the starter file, never over one that exists unless `--force`.
pub(crate) fn run(args: InitArgs, sink: &mut dyn Sink) -> bool {
    let text = match Templates::embedded().starter(args.area.as_deref()) {
        Ok(text) => text,
        Err(error) => return super::report_result(Err(error), sink),
    };
    let path = args.output.clone().unwrap_or_else(|| match &args.area {
        Some(area) => PathBuf::from(format!("{}.yaml", slug(area))),
        None => PathBuf::from("findings.yaml"),
    });
    let written = if args.force {
        output::write_atomic(&path, text.as_bytes())
    } else if path.exists() {
        let d = Diagnostic::error(format!("{} already exists", path.display()))
            .hint("choose another name with -o FILE, or add --force to replace it");
        Err(Error::from(d))
    } else {
        output::write_new(&path, text.as_bytes())
    };
    let ok = super::report_result(written, sink);
    if ok {
        let path = path.display();
        sink.status(&format!(
            "wrote {path}: replace every TODO, then run `hmip-letter check {path}`"
        ));
    }
    ok
}

/// "Bath & North East Somerset" → "bath-north-east-somerset", "Ynys Môn"
/// → "ynys-mon": plain ASCII, so the name survives email, zip files and
/// Windows. Accents are taken off their letters; other letters outside
/// ASCII are dropped.
fn slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let ascii: String =
        text.nfkd().filter(|c| c.is_ascii()).map(|c| c.to_ascii_lowercase()).collect();
    let words: Vec<&str> =
        ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() { "findings".into() } else { words.join("-") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_of_areas() {
        assert_eq!(slug("Bath & North East Somerset"), "bath-north-east-somerset");
        assert_eq!(slug("Ynys Môn"), "ynys-mon");
        assert_eq!(
            slug("Rhondda Cynon Taf / Rhondda Cynon Tâf"),
            "rhondda-cynon-taf-rhondda-cynon-taf"
        );
        assert_eq!(slug("Ŵyddgrug"), "wyddgrug");
        assert_eq!(slug("Αθήνα"), "findings");
        assert_eq!(slug("&&"), "findings");
    }
}
