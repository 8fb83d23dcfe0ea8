//! What a batch and its worker processes say to each other: one JSON object
//! a line, letters to the worker on its standard input, replies on its
//! standard output.
//!
//! Diagnostics cross whole: each carries the text of the file it points
//! into (sent once per reply however many diagnostics share it), so the
//! batch prints a worker's errors exactly as it would print its own, with
//! line, column and the source snippet. Paths travel as text, or as raw
//! bytes when they are not UTF-8, so any file name a batch can be given
//! reaches the worker unchanged.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Related, Severity, SourceFile};

/// Which letter a worker renders next: the job's place in the batch and
/// its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Assignment {
    pub index: usize,
    #[serde(with = "path_text")]
    pub input: PathBuf,
    #[serde(with = "path_text")]
    pub output: PathBuf,
}

/// The line that tells a worker the batch has nothing more for it: it
/// finishes the letters it holds and exits. Input that ends without it
/// means the batch is gone (killed, or crashed), and the worker exits at
/// once: nobody would hear of its letters.
pub(super) const END: &str = "\"end\"";

/// What a worker says.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Reply {
    /// Templates and fonts are loaded: send letters.
    Ready,
    /// The templates or fonts could not be loaded, so no letter can be
    /// rendered; the worker exits.
    SetupFailed(Report),
    /// A letter is done: written (the report holds its warnings) or not
    /// (the report says why).
    Done { index: usize, written: bool, report: Report },
}

/// Diagnostics, with the files they point into listed once.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Report {
    files: Vec<File>,
    diagnostics: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    name: String,
    text: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    error: bool,
    message: String,
    /// Index into the report's files.
    file: Option<usize>,
    range: Option<(usize, usize)>,
    key: Option<String>,
    hints: Vec<String>,
    code: Option<String>,
    #[serde(default)]
    masked: bool,
    related: Vec<Place>,
}

/// Another place a diagnostic is about, its file an index as above.
#[derive(Debug, Serialize, Deserialize)]
struct Place {
    file: usize,
    range: Option<(usize, usize)>,
    key: Option<String>,
    label: String,
}

impl Report {
    /// The index of a file in the report, adding it the first time.
    fn file(&mut self, sent: &mut Vec<*const SourceFile>, file: &Arc<SourceFile>) -> usize {
        let pointer = Arc::as_ptr(file);
        sent.iter().position(|p| *p == pointer).unwrap_or_else(|| {
            sent.push(pointer);
            self.files.push(File { name: file.name.clone(), text: file.text.clone() });
            sent.len() - 1
        })
    }

    /// The diagnostics as they go over the wire. Every field is named, so a
    /// new one does not compile until it crosses too.
    pub(super) fn new(diagnostics: &[Diagnostic]) -> Self {
        let mut report = Report::default();
        let mut sent: Vec<*const SourceFile> = Vec::new();
        for d in diagnostics {
            let Diagnostic { severity, message, file, range, key, hints, code, related, masked } =
                d;
            let file = file.as_ref().map(|file| report.file(&mut sent, file));
            let related = related
                .iter()
                .map(|place| {
                    let Related { file, range, key, label } = place;
                    Place {
                        file: report.file(&mut sent, file),
                        range: range.as_ref().map(|r| (r.start, r.end)),
                        key: key.clone(),
                        label: label.clone(),
                    }
                })
                .collect();
            report.diagnostics.push(Entry {
                error: match severity {
                    Severity::Error => true,
                    Severity::Warning => false,
                },
                message: message.clone(),
                file,
                range: range.as_ref().map(|r| (r.start, r.end)),
                key: key.clone(),
                hints: hints.clone(),
                code: code.clone(),
                related,
                masked: *masked,
            });
        }
        report
    }

    /// The diagnostics again, sharing one `SourceFile` per file as the
    /// worker's did.
    pub(super) fn into_diagnostics(self) -> Vec<Diagnostic> {
        let files: Vec<Arc<SourceFile>> =
            self.files.into_iter().map(|f| SourceFile::new(f.name, f.text)).collect();
        self.diagnostics
            .into_iter()
            .map(|e| {
                let severity = if e.error { Severity::Error } else { Severity::Warning };
                Diagnostic {
                    severity,
                    message: e.message,
                    file: e.file.and_then(|i| files.get(i).cloned()),
                    range: e.range.map(|(start, end)| start..end),
                    key: e.key,
                    hints: e.hints,
                    code: e.code,
                    masked: e.masked,
                    related: e
                        .related
                        .into_iter()
                        .filter_map(|place| {
                            Some(Related {
                                file: files.get(place.file)?.clone(),
                                range: place.range.map(|(start, end)| start..end),
                                key: place.key,
                                label: place.label,
                            })
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

/// One message as a line of JSON. Our types have string keys and no maps,
/// so they serialise; if one ever did not, the message is not sent and
/// the send fails, as it does when the other side has gone.
pub(super) fn encode(message: &impl Serialize) -> std::io::Result<Vec<u8>> {
    let mut line = serde_json::to_vec(message)?;
    line.push(b'\n');
    Ok(line)
}

/// A path as JSON: its text, or its bytes when it is not UTF-8.
mod path_text {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Text(String),
        Bytes(Vec<u8>),
    }

    pub(super) fn serialize<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        match path.to_str() {
            Some(text) => Repr::Text(text.to_string()),
            None => Repr::Bytes(path.as_os_str().as_encoded_bytes().to_vec()),
        }
        .serialize(s)
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        Ok(match Repr::deserialize(d)? {
            Repr::Text(text) => PathBuf::from(text),
            Repr::Bytes(bytes) => from_bytes(bytes),
        })
    }

    #[cfg(unix)]
    fn from_bytes(bytes: Vec<u8>) -> PathBuf {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(bytes))
    }

    #[cfg(not(unix))]
    fn from_bytes(bytes: Vec<u8>) -> PathBuf {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_cross_whole_with_each_file_once() {
        let file = SourceFile::new("a.yaml", "area: 1\ncases: x\n");
        let sent = vec![
            Diagnostic::error("expected text").at(&file, Some(6..7)).key("area").hint("quote it"),
            Diagnostic::warning("odd").at(&file, Some(15..16)).code("odd-rule"),
            Diagnostic::error("cannot write out/a.pdf: permission denied"),
            Diagnostic::error("1.1: 14 cases in English, 12 in Welsh").at(&file, Some(0..4)).also(
                Related {
                    file: SourceFile::new("en.yaml", "cases: 14\n"),
                    range: Some(7..9),
                    key: Some("inspection.cases".into()),
                    label: "English".into(),
                },
            ),
        ];
        let line =
            encode(&Reply::Done { index: 3, written: false, report: Report::new(&sent) }).unwrap();
        let text = String::from_utf8(line.clone()).unwrap();
        assert_eq!(text.matches("area: 1").count(), 1, "the file is sent once: {text}");
        assert!(text.ends_with('\n') && text.lines().count() == 1);
        let Ok(Reply::Done { index: 3, written: false, report }) = serde_json::from_slice(&line)
        else {
            panic!("{text}")
        };
        let received = report.into_diagnostics();
        assert_eq!(received, sent);
        let (a, b) = (received[0].file.as_ref().unwrap(), received[1].file.as_ref().unwrap());
        assert!(Arc::ptr_eq(a, b), "one file, shared");
    }

    #[test]
    fn any_path_crosses_unchanged() {
        let mut paths = vec![PathBuf::from("in/a b\n\"c\".yaml"), PathBuf::from("Ynys Môn.yaml")];
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStringExt;
            paths.push(PathBuf::from(std::ffi::OsString::from_vec(b"bad-\xff.yaml".to_vec())));
        }
        for path in paths {
            let letter = Assignment { index: 7, input: path.clone(), output: path.join("x.pdf") };
            let line = encode(&letter).unwrap();
            assert_eq!(serde_json::from_slice::<Assignment>(&line).unwrap(), letter);
        }
    }
}
