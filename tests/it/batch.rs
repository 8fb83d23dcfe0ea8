//! Many letters at once, and the PDF that follows the findings file.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use crate::watch::Watching;

#[test]
fn a_batch_renders_every_good_letter_and_reports_the_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir(&inputs).unwrap();
    for name in ["barnet-2014.yaml", "bath-2016.yaml", "gwynedd-2015.yaml", "torbay-2015.yaml"] {
        fs::copy(fixture(name), inputs.join(name)).unwrap();
    }
    fs::copy(fixture("invalid/wrong-type.yaml"), inputs.join("wrong-type.yaml")).unwrap();
    fs::write(inputs.join("notes.txt"), "not a findings file").unwrap();

    let out = run(dir.path(), &["render", "in", "-o", "out"], None);
    assert_eq!(out.status.code(), Some(1), "one letter failed");
    let err = stderr(&out);
    assert!(err.contains("in/wrong-type.yaml:12:10"), "the failure is located: {err}");
    assert!(err.contains("expected a whole number, found \"twenty\""), "{err}");
    let summary = err.lines().last().unwrap();
    assert!(summary.starts_with("rendered 4 letters, 1 failed, "), "{summary}");
    assert_eq!(
        files_in(&dir.path().join("out")),
        ["barnet-2014.pdf", "bath-2016.pdf", "gwynedd-2015.pdf", "torbay-2015.pdf"]
    );
    // The same letters as one at a time, byte for byte.
    let single = run(dir.path(), &["render", "in/bath-2016.yaml", "-o", "single.pdf"], None);
    assert!(single.status.success());
    assert!(
        fs::read(dir.path().join("single.pdf")).unwrap()
            == fs::read(dir.path().join("out/bath-2016.pdf")).unwrap()
    );
}

#[test]
fn a_batch_of_named_files_and_its_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let a = fixture("barnet-2014.yaml");
    let b = fixture("wrexham-2016.yaml");
    let out = run(
        dir.path(),
        &["render", a.to_str().unwrap(), b.to_str().unwrap(), "-o", "letters"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "only the summary: {}", stderr(&out));
    assert_eq!(files_in(&dir.path().join("letters")), ["barnet-2014.pdf", "wrexham-2016.pdf"]);

    let out =
        run(dir.path(), &["render", a.to_str().unwrap(), b.to_str().unwrap(), "-o", "-"], None);
    assert_eq!(out.status.code(), Some(2));
    let out =
        run(dir.path(), &["render", a.to_str().unwrap(), a.to_str().unwrap(), "-o", "twice"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("would both be written to"), "{}", stderr(&out));
    fs::create_dir(dir.path().join("empty")).unwrap();
    let out = run(dir.path(), &["render", "empty"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("there are no findings files"), "{}", stderr(&out));
}

/// A folder `in` of good fixtures, plus the named fixtures under new names.
fn letters_folder(dir: &Path, extra: &[(&str, &str)]) -> std::path::PathBuf {
    let inputs = dir.join("in");
    fs::create_dir(&inputs).unwrap();
    for name in ["barnet-2014.yaml", "bath-2016.yaml", "gwynedd-2015.yaml", "torbay-2015.yaml"] {
        fs::copy(fixture(name), inputs.join(name)).unwrap();
    }
    for (fixture_name, name) in extra {
        fs::copy(fixture(fixture_name), inputs.join(name)).unwrap();
    }
    inputs
}

/// Runs the binary in `dir` with `args` and one more environment variable.
fn run_with(dir: &Path, args: &[&str], (name, value): (&str, &str)) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hmip-letter"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env(name, value)
        .output()
        .unwrap()
}

const ABORT_ON: &str = "HMIP_LETTER_TEST_ABORT_ON";

#[test]
fn a_letter_that_crashes_its_worker_costs_only_itself() {
    // One worker, one letter at a time: a new worker must take over for the
    // letters after the crash. Two workers of two: the crash takes another
    // letter down with it, which must be tried again and written.
    for split in
        [["--jobs", "1", "--threads-per-worker", "1"], ["--jobs", "4", "--threads-per-worker", "2"]]
    {
        let dir = tempfile::tempdir().unwrap();
        letters_folder(dir.path(), &[("wrexham-2016.yaml", "crash.yaml")]);
        let mut args = vec!["render", "in", "-o", "out"];
        args.extend(split);
        let out = run_with(dir.path(), &args, (ABORT_ON, "crash.yaml"));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{split:?}: {err}");
        assert!(err.contains("error: the worker process rendering in/crash.yaml died"), "{err}");
        assert_eq!(err.matches("error:").count(), 1, "only the crashing letter failed: {err}");
        let summary = err.lines().last().unwrap();
        assert!(summary.starts_with("rendered 4 letters, 1 failed, "), "{split:?}: {summary}");
        assert_eq!(
            files_in(&dir.path().join("out")),
            ["barnet-2014.pdf", "bath-2016.pdf", "gwynedd-2015.pdf", "torbay-2015.pdf"],
            "{split:?}: every other letter, and no `.part` file"
        );
    }
}

#[test]
fn a_batch_of_one_letter_is_rendered_in_process() {
    // The crash hook is the workers'; a batch of one never starts one.
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir(&inputs).unwrap();
    fs::copy(fixture("bath-2016.yaml"), inputs.join("crash.yaml")).unwrap();
    let out = run_with(dir.path(), &["render", "in", "-o", "out"], (ABORT_ON, "crash.yaml"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(files_in(&dir.path().join("out")), ["crash.pdf"]);
}

#[test]
fn a_worker_reports_errors_as_a_single_render_does() {
    let dir = tempfile::tempdir().unwrap();
    letters_folder(dir.path(), &[("invalid/several-problems.yaml", "several.yaml")]);
    let single = run(dir.path(), &["render", "in/several.yaml", "-o", "x.pdf"], None);
    let batch = run(dir.path(), &["render", "in", "-o", "out", "--jobs", "2"], None);
    assert_eq!(batch.status.code(), Some(1));
    assert!(!stderr(&single).is_empty());
    assert!(
        stderr(&batch).contains(&stderr(&single)),
        "{}\n---\n{}",
        stderr(&batch),
        stderr(&single)
    );
    let short = ["--diagnostic-format", "short"];
    let single = run(
        dir.path(),
        &[&["render", "in/several.yaml", "-o", "x.pdf"][..], &short].concat(),
        None,
    );
    let batch = run(dir.path(), &[&["render", "in", "-o", "out"][..], &short].concat(), None);
    assert!(stderr(&batch).starts_with(&stderr(&single)), "{}", stderr(&batch));
}

#[test]
fn templates_that_do_not_load_stop_the_batch_with_one_message() {
    let dir = tempfile::tempdir().unwrap();
    letters_folder(dir.path(), &[]);
    let templates = dir.path().join("t");
    fs::create_dir(&templates).unwrap();
    fs::write(templates.join("organisation.yaml"), "nmae: x\n").unwrap();
    let out = run(dir.path(), &["render", "in", "-o", "out", "--templates", "t"], None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error: unknown key \"nmae\"").count(), 1, "{err}");
    assert!(err.contains("t/organisation.yaml:1:1"), "{err}");
    assert!(files_in(&dir.path().join("out")).is_empty());
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_stops_the_workers_and_leaves_only_whole_letters() {
    stops_on("-INT");
}

/// What `timeout` and service managers send is the same first Ctrl-C.
#[cfg(target_os = "linux")]
#[test]
fn sigterm_stops_the_batch_as_ctrl_c_does() {
    stops_on("-TERM");
}

/// A batch killed outright takes its workers with it at once, whatever
/// they are doing.
#[cfg(target_os = "linux")]
#[test]
fn a_worker_whose_batch_is_killed_exits_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir(&inputs).unwrap();
    for i in 0..400 {
        fs::write(inputs.join(format!("letter-{i:04}.yaml")), generate::findings(i)).unwrap();
    }
    let mut batch = Watching(
        Command::new(env!("CARGO_BIN_EXE_hmip-letter"))
            .args(["render", "in", "-o", "out", "--jobs", "2"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let out_dir = dir.path().join("out");
    wait_for("the first letter", Duration::from_secs(60), || {
        fs::read_dir(&out_dir)
            .is_ok_and(|d| d.flatten().any(|e| e.path().extension().is_some_and(|x| x == "pdf")))
    });
    let workers = children(batch.0.id());
    assert!(!workers.is_empty(), "the batch has workers");
    batch.0.kill().unwrap();
    batch.0.wait().unwrap();
    let killed = Instant::now();
    wait_for("the workers to exit", Duration::from_secs(5), || workers.iter().all(|w| !alive(*w)));
    assert!(killed.elapsed() < Duration::from_secs(2), "{:?}", killed.elapsed());
}

/// Whether a process is still running (a zombie has exited).
#[cfg(target_os = "linux")]
fn alive(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit(") ").next().is_some_and(|rest| !rest.starts_with('Z')))
}

#[cfg(target_os = "linux")]
fn stops_on(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir(&inputs).unwrap();
    for i in 0..1000 {
        fs::write(inputs.join(format!("letter-{i:04}.yaml")), generate::findings(i)).unwrap();
    }
    let out_dir = dir.path().join("out");
    let mut batch = Watching(
        Command::new(env!("CARGO_BIN_EXE_hmip-letter"))
            .args(["render", "in", "-o", "out", "--jobs", "2"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let limit = Duration::from_secs(60);
    wait_for("the first letter", limit, || {
        fs::read_dir(&out_dir)
            .is_ok_and(|d| d.flatten().any(|e| e.path().extension().is_some_and(|x| x == "pdf")))
    });
    let pid = batch.0.id();
    let workers = children(pid);
    assert!(!workers.is_empty(), "the batch has workers");
    let _ = Command::new("kill").args([signal, &pid.to_string()]).status();
    let mut status = None;
    wait_for("the batch to stop", limit, || {
        status = batch.0.try_wait().unwrap();
        status.is_some()
    });
    let mut err = String::new();
    use std::io::Read;
    batch.0.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.unwrap().code(), Some(1), "{err}");
    let summary = err.lines().last().unwrap();
    assert!(summary.starts_with("interrupted: rendered "), "{err}");
    for worker in workers {
        assert!(
            !Path::new(&format!("/proc/{worker}")).exists(),
            "worker {worker} outlived the batch"
        );
    }
    let written = files_in(&out_dir);
    assert!(written.iter().all(|f| f.ends_with(".pdf")), "only letters: {written:?}");
    assert!(summary.contains(&format!("rendered {} letter", written.len())), "{summary}");
    for name in &written {
        let pdf = fs::read(out_dir.join(name)).unwrap();
        assert!(
            pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"),
            "{name} is whole"
        );
    }
}

/// The processes `pid` started that are still there.
#[cfg(target_os = "linux")]
fn children(pid: u32) -> Vec<u32> {
    let tasks = fs::read_dir(format!("/proc/{pid}/task")).unwrap();
    tasks
        .flatten()
        .filter_map(|task| fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| list.split_whitespace().map(|p| p.parse().unwrap()).collect::<Vec<u32>>())
        .collect()
}

/// Waits until `check` holds, or panics after `limit`.
pub(crate) fn wait_for(what: &str, limit: Duration, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[path = "../../benches/generate.rs"]
mod generate;

#[test]
fn the_benchmark_letters_are_valid_and_varied() {
    let mut pages = std::collections::BTreeSet::new();
    for i in 0..30 {
        let text = generate::findings(i);
        let letter = pipeline()
            .load(hmip_letter::SourceFile::new(format!("letter-{i}.yaml"), text), None)
            .unwrap_or_else(|e| panic!("letter {i}: {e}"));
        assert!(letter.warnings.is_empty(), "letter {i}: {:?}", letter.warnings);
        let rendered = pipeline().export(&letter, &hmip_letter::Options::default()).unwrap();
        pages.insert(rendered.pages);
    }
    assert!(pages.len() >= 2, "the letters vary in length: {pages:?}");
}
