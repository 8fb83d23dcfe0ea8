//! `hmip-letter import`: published letters read back into findings files.

use std::path::{Path, PathBuf};

use hmip_letter::error::Error;
use hmip_letter::import::MAX_LETTER_BYTES;
use hmip_letter::output::{self, Output};
use hmip_letter::{Diagnostic, Options, Pipeline, SourceFile};

use super::Sink;
use crate::cli::{ImportArgs, usage_error};

/// Imports each letter; `Ok(false)` if any has an error (or, with
/// `--check`, reads differently once rendered).
pub(crate) fn run(args: ImportArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let format = args.reading.diagnostics();
    let letters = letters(&args.inputs);
    let several = letters.len() > 1 || args.inputs.iter().any(|p| p.is_dir());
    if several && args.output == Some(Output::Stdout) {
        return Err(usage_error("`-o -` takes one letter; with several, -o names a folder"));
    }
    if letters.is_empty() {
        return Err(usage_error("no letters (.pdf, .docx, .txt) in the folders given"));
    }
    let Some(pipeline) = super::reported(Pipeline::new(&args.reading.setup()), format, sink) else {
        return Ok(false);
    };
    let targets: Vec<Output> =
        letters.iter().map(|l| target(l, args.output.as_ref(), several)).collect();
    let mut ready =
        if args.check { Vec::new() } else { imported_at_once(&pipeline, &letters, &targets) };
    ready.resize_with(letters.len(), || None);
    let mut all_ok = true;
    for ((letter, target), ready) in letters.iter().zip(&targets).zip(ready) {
        let ok = match import_one(&pipeline, letter, target, &args, ready, sink) {
            Ok(ok) => ok,
            Err(error) => {
                sink.diagnostics(&error.diagnostics(), format);
                false
            }
        };
        all_ok &= ok;
        // `--check` typesets each letter: keep what the last 2 used of
        // Typst's caches, as a batch does.
        if args.check {
            hmip_letter::forget_unused_for(2);
        }
    }
    Ok(all_ok)
}

/// Each letter of several read and imported on the machine's cores, in
/// order; nothing is written or printed here.
fn imported_at_once(
    pipeline: &Pipeline,
    letters: &[PathBuf],
    targets: &[Output],
) -> Vec<Option<Result<hmip_letter::import::Imported, Error>>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(letters.len());
    if threads < 2 {
        return Vec::new();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut out: Vec<Option<Result<hmip_letter::import::Imported, Error>>> =
        (0..letters.len()).map(|_| None).collect();
    let done = std::sync::Mutex::new(&mut out);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(letter) = letters.get(i) else { break };
                    let name = letter.display().to_string();
                    let output_name = output_name(&targets[i]);
                    // Nothing here is typeset: no Typst caches to trim.
                    let result =
                        read(letter).and_then(|b| pipeline.import(&name, &b, &output_name));
                    if let Ok(mut done) = done.lock() {
                        done[i] = Some(result);
                    }
                }
            });
        }
    });
    out
}

/// The letters named, folders read for their `.pdf`, `.docx` and `.txt`
/// files.
fn letters(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
                    p.is_file()
                        && matches!(ext.to_ascii_lowercase().as_str(), "pdf" | "docx" | "txt")
                })
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    out
}

/// Where a letter's findings go.
fn target(letter: &Path, output: Option<&Output>, several: bool) -> Output {
    let name = letter.with_extension("yaml");
    match output {
        None => Output::Path(name),
        Some(Output::Stdout) => Output::Stdout,
        Some(Output::Path(dir)) if several => {
            Output::Path(dir.join(name.file_name().unwrap_or(name.as_os_str())))
        }
        Some(Output::Path(path)) => Output::Path(path.clone()),
    }
}

fn import_one(
    pipeline: &Pipeline,
    letter: &Path,
    target: &Output,
    args: &ImportArgs,
    ready: Option<Result<hmip_letter::import::Imported, Error>>,
    sink: &mut dyn Sink,
) -> Result<bool, Error> {
    let format = args.reading.diagnostics();
    let bytes = if ready.is_some() { Vec::new() } else { read(letter)? };
    let name = letter.display().to_string();
    let output_name = output_name(target);
    if let Output::Path(path) = target {
        output::refuse_inputs(std::slice::from_ref(path), &[letter.to_path_buf()])?;
        if !args.check && !args.force && path.exists() {
            return Err(Diagnostic::error(format!("{} already exists", path.display()))
                .hint("choose another name with -o FILE, or add --force to replace it")
                .into());
        }
    }
    let imported = match ready {
        Some(done) => done?,
        None => pipeline.import(&name, &bytes, &output_name)?,
    };
    sink.diagnostics(&imported.problems, format);
    let errors = imported.problems.iter().filter(|d| d.is_error()).count();
    let comments =
        imported.yaml.lines().filter(|l| l.trim_start().starts_with("# import:")).count();
    if args.check {
        return compare(pipeline, &name, &bytes, &imported.yaml, &output_name, sink);
    }
    match target {
        Output::Stdout => output::write_stdout(imported.yaml.as_bytes())?,
        Output::Path(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
            }
            if args.force {
                output::write_atomic(path, imported.yaml.as_bytes())?;
            } else {
                output::write_new(path, imported.yaml.as_bytes())?;
            }
            let what = match (errors, comments) {
                (0, 0) => "nothing missing".to_string(),
                (0, 1) => "nothing missing; 1 `# import:` comment to look at".to_string(),
                (0, n) => format!("nothing missing; {n} `# import:` comments to look at"),
                (1, _) => "1 thing the letter lacks is a TODO in it".to_string(),
                (e, _) => format!("{e} things the letter lacks are TODOs in it"),
            };
            sink.status(&format!("wrote {}: {what}", path.display()));
        }
    }
    Ok(errors == 0)
}

/// The name the imported findings are checked under: where they go.
fn output_name(target: &Output) -> String {
    match target {
        Output::Path(path) => path.display().to_string(),
        Output::Stdout => "<stdout>".to_string(),
    }
}

fn read(letter: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(letter)
        .and_then(|f| f.take(MAX_LETTER_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::read(letter, e))?;
    Ok(bytes)
}

/// Renders the imported findings in memory and compares its words with the
/// letter's, passage by passage.
fn compare(
    pipeline: &Pipeline,
    name: &str,
    bytes: &[u8],
    yaml: &str,
    output_name: &str,
    sink: &mut dyn Sink,
) -> Result<bool, Error> {
    let loaded = pipeline.load(SourceFile::new(output_name, yaml), None)?;
    let rendered = pipeline.export(&loaded, &Options::default())?;
    let original = pipeline.letter_passages(name, bytes)?;
    let again = pipeline.letter_passages("the render", rendered.bytes())?;
    let a: Vec<&str> = original.passages.iter().map(|(_, w)| w.as_str()).collect();
    let b: Vec<&str> = again.passages.iter().map(|(_, w)| w.as_str()).collect();
    let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b);
    let mut differences = 0;
    let mut out = String::new();
    for op in diff {
        use similar::DiffOp;
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete { old_index, old_len, .. } => {
                for (at, words) in &original.passages[old_index..old_index + old_len] {
                    differences += 1;
                    out.push_str(&format!("{name} ({at}), not in the render:\n    [-{words}-]\n"));
                }
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                for (at, words) in &again.passages[new_index..new_index + new_len] {
                    differences += 1;
                    out.push_str(&format!(
                        "the render ({at}), not in {name}:\n    {{+{words}+}}\n"
                    ));
                }
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                for (at, words) in &original.passages[old_index..old_index + old_len] {
                    differences += 1;
                    out.push_str(&format!("{name} ({at}):\n    [-{words}-]\n"));
                }
                for (at, words) in &again.passages[new_index..new_index + new_len] {
                    out.push_str(&format!("the render ({at}):\n    {{+{words}+}}\n"));
                }
            }
        }
    }
    output::write_stdout(out.as_bytes())?;
    if differences == 0 {
        sink.status(&format!(
            "{name}: the imported findings render to the same words ({} passages)",
            a.len()
        ));
    } else {
        let passages = if differences == 1 { "1 passage reads" } else { "passages read" };
        let count = if differences == 1 { String::new() } else { format!("{differences} ") };
        sink.status(&format!("{name}: {count}{passages} differently"));
    }
    Ok(differences == 0)
}
