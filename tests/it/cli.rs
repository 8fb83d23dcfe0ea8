//! The binary as a user runs it: arguments, files written, exit codes.

use std::fs;

use crate::common::*;

fn copy_fixture(dir: &std::path::Path, name: &str) {
    fs::copy(fixture(name), dir.join(name)).unwrap();
}

#[test]
fn render_writes_the_pdf_beside_the_input() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path(), "barnet-2014.yaml");
    let out = run(dir.path(), &["render", "barnet-2014.yaml"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let pdf = fs::read(dir.path().join("barnet-2014.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(collapse(&pdf_text(&pdf)).contains("Commentary on the inspection in Barnet:"));
    assert_eq!(files_in(dir.path()), ["barnet-2014.pdf", "barnet-2014.yaml"]);
}

#[test]
fn render_to_a_named_file_and_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("gwynedd-2015.yaml");
    let out = run(dir.path(), &["render", input.to_str().unwrap(), "-o", "letter.pdf"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let named = fs::read(dir.path().join("letter.pdf")).unwrap();

    let out = run(dir.path(), &["render", input.to_str().unwrap(), "-o", "-"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, named, "the same letter, byte for byte");
}

#[test]
fn render_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = fs::read(fixture("torbay-2015.yaml")).unwrap();
    let out = run(dir.path(), &["render", "-", "-o", "t.pdf"], Some(&yaml));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(collapse(&pdf_text(&fs::read(dir.path().join("t.pdf")).unwrap())).contains("Torbay"));

    let out = run(dir.path(), &["render", "-"], Some(&yaml));
    assert_eq!(out.status.code(), Some(2), "stdin without -o is a usage error");
    assert!(stderr(&out).contains("needs `-o OUT`"), "{}", stderr(&out));
}

#[test]
fn format_typ_writes_the_generated_source() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path(), "bath-2016.yaml");
    let out = run(dir.path(), &["render", "bath-2016.yaml", "--format", "typ"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let typ = fs::read_to_string(dir.path().join("bath-2016.typ")).unwrap();
    assert!(typ.starts_with("#import \"style.typ\": *"), "{typ}");
    // The title, area and all, is one string literal: data, never markup.
    assert!(typ.contains(
        "#\"Report of Short Quality Screening (SQS) of youth offending work in Bath & North East Somerset\";"
    ));
}

#[test]
fn templates_folder_overrides_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("mine");
    fs::create_dir(&templates).unwrap();
    let org = fs::read_to_string(root().join("templates/organisation.yaml")).unwrap();
    fs::write(
        templates.join("organisation.yaml"),
        org.replace("HMI Probation Publications", "The Print Room"),
    )
    .unwrap();
    let input = fixture("barnet-2014.yaml");
    let out = run(
        dir.path(),
        &["render", input.to_str().unwrap(), "-o", "b.pdf", "--templates", "mine"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = collapse(&pdf_text(&fs::read(dir.path().join("b.pdf")).unwrap()));
    assert!(text.contains("please contact The Print Room at"), "{text}");
    assert!(
        text.contains("Report of Short Quality Screening"),
        "the embedded letter template is still used"
    );
}

/// Renders Barnet with one template file replaced; the folder and the run.
fn render_with_template(name: &str, text: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), text).unwrap();
    let input = fixture("barnet-2014.yaml");
    let args = ["render", input.to_str().unwrap(), "-o", "b.pdf", "--templates", "."];
    let out = run(dir.path(), &args, None);
    (dir, out)
}

#[test]
fn a_template_error_points_at_the_template() {
    let text = "#import \"style.typ\": *\n\n{{ no_such_value }}\n";
    let (dir, out) = render_with_template("sqs.typ.j2", text);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("template error: undefined value"), "{err}");
    assert!(err.contains("sqs.typ.j2:3:"), "{err}");
    assert!(!dir.path().join("b.pdf").exists());
}

#[test]
fn a_layout_error_points_at_style_typ() {
    let style = fs::read_to_string(root().join("templates/style.typ")).unwrap();
    let broken =
        style.replace("#let bullets(items) = list(..items)", "#let bullets(items) = list(..itemz)");
    let (_dir, out) = render_with_template("style.typ", &broken);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error: unknown variable: itemz"), "{err}");
    assert!(err.contains("style.typ:"), "{err}");
}

#[test]
fn bad_input_writes_nothing_and_keeps_the_old_letter() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = fs::read_to_string(fixture("barnet-2014.yaml")).unwrap();
    fs::write(dir.path().join("b.yaml"), yaml.replace("strengths:", "strenghts:")).unwrap();
    fs::write(dir.path().join("b.pdf"), b"the published letter").unwrap();
    let out = run(dir.path(), &["render", "b.yaml"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error: unknown key \"strenghts\"; did you mean \"strengths\"?"), "{err}");
    assert!(err.contains("b.yaml:"), "{err}");
    assert_eq!(fs::read(dir.path().join("b.pdf")).unwrap(), b"the published letter");
    assert_eq!(files_in(dir.path()), ["b.pdf", "b.yaml"], "no temporary file is left");
}

#[test]
fn usage_errors_exit_with_two() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &[], None).status.code(), Some(2));
    assert_eq!(run(dir.path(), &["render"], None).status.code(), Some(2));
    assert_eq!(
        run(dir.path(), &["render", "x.yaml", "--format", "doc"], None).status.code(),
        Some(2)
    );
    assert_eq!(run(dir.path(), &["frobnicate"], None).status.code(), Some(2));
    let out = run(dir.path(), &["render", "missing.yaml"], None);
    assert_eq!(out.status.code(), Some(1), "a missing file is an input error");
    assert!(
        stderr(&out).contains("cannot read missing.yaml: no such file or folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_output_never_overwrites_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path(), "barnet-2014.yaml");
    let out = run(dir.path(), &["render", "barnet-2014.yaml", "-o", "barnet-2014.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        fs::read(dir.path().join("barnet-2014.yaml")).unwrap(),
        fs::read(fixture("barnet-2014.yaml")).unwrap()
    );
}

#[test]
fn no_command_writes_over_one_of_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path(), "barnet-2014.yaml");
    fs::copy(fixture("diff/barnet-2014-corrected.yaml"), dir.path().join("new.yaml")).unwrap();
    let new = fs::read(dir.path().join("new.yaml")).unwrap();
    let old = fs::read(dir.path().join("barnet-2014.yaml")).unwrap();
    let diff = ["diff", "barnet-2014.yaml", "new.yaml", "-o"];
    for args in [
        [&diff[..], &["new.yaml"]].concat(),
        [&diff[..], &["barnet-2014.yaml"]].concat(),
        [&diff[..], &["./new.yaml", "--format", "html"]].concat(),
        [&diff[..], &["new.yaml", "--format", "json"]].concat(),
        vec!["diff", "-", "new.yaml", "-o", "new.yaml"],
    ] {
        let out = run(dir.path(), &args, Some(&old));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("would overwrite it"), "{args:?}: {}", stderr(&out));
        assert_eq!(fs::read(dir.path().join("new.yaml")).unwrap(), new, "{args:?}");
        assert_eq!(fs::read(dir.path().join("barnet-2014.yaml")).unwrap(), old, "{args:?}");
    }
    // The logo is an input too, found when the letter is read.
    copy_fixture(dir.path(), "wrexham-2016.yaml");
    copy_fixture(dir.path(), "hmip-logo.svg");
    let logo = fs::read(dir.path().join("hmip-logo.svg")).unwrap();
    let out = run(dir.path(), &["render", "wrexham-2016.yaml", "-o", "hmip-logo.svg"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("would overwrite it"), "{}", stderr(&out));
    assert_eq!(fs::read(dir.path().join("hmip-logo.svg")).unwrap(), logo);
    // And a template.
    fs::create_dir(dir.path().join("t")).unwrap();
    fs::write(dir.path().join("t/style.typ"), "// mine").unwrap();
    let args = ["render", "barnet-2014.yaml", "--templates", "t", "--format", "typ"];
    let out = run(dir.path(), &[&args[..], &["-o", "t/style.typ"]].concat(), None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(dir.path().join("t/style.typ")).unwrap(), "// mine");
    let out = run(dir.path(), &["watch", "new.yaml", "-o", "./new.yaml"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(fs::read(dir.path().join("new.yaml")).unwrap(), new);
}

#[cfg(unix)]
#[test]
fn an_output_named_through_a_link_is_written_where_it_points() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path(), "barnet-2014.yaml");
    fs::create_dir(dir.path().join("published")).unwrap();
    std::os::unix::fs::symlink("published/letter.pdf", dir.path().join("latest.pdf")).unwrap();
    fs::write(dir.path().join("published/letter.pdf"), b"old").unwrap();
    let out = run(dir.path(), &["render", "barnet-2014.yaml", "-o", "latest.pdf"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let link = fs::symlink_metadata(dir.path().join("latest.pdf")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert!(fs::read(dir.path().join("published/letter.pdf")).unwrap().starts_with(b"%PDF"));
    // A link to the findings file is the findings file.
    std::os::unix::fs::symlink("barnet-2014.yaml", dir.path().join("alias.pdf")).unwrap();
    let out = run(dir.path(), &["render", "barnet-2014.yaml", "-o", "alias.pdf"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        fs::read(dir.path().join("barnet-2014.yaml")).unwrap(),
        fs::read(fixture("barnet-2014.yaml")).unwrap()
    );
    // A diff written through a link to nothing is refused, the link kept.
    std::os::unix::fs::symlink("nowhere/changes.txt", dir.path().join("changes.txt")).unwrap();
    let args = ["diff", "barnet-2014.yaml", "barnet-2014.yaml", "-o", "changes.txt"];
    let out = run(dir.path(), &args, None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a symbolic link to a file that does not exist"),
        "{}",
        stderr(&out)
    );
    assert!(fs::symlink_metadata(dir.path().join("changes.txt")).unwrap().file_type().is_symlink());
}

#[test]
fn typst_sees_only_the_allowed_files_and_the_publication_date() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("t")).unwrap();
    let probe = |body: &str| {
        fs::write(dir.path().join("t/probe.typ.j2"), body).unwrap();
        let yaml = fs::read_to_string(fixture("barnet-2014.yaml")).unwrap();
        fs::write(
            dir.path().join("p.yaml"),
            format!("{}\nletter: probe\n", yaml.replace("letter: sqs\n", "")),
        )
        .unwrap();
        run(dir.path(), &["render", "p.yaml", "--templates", "t"], None)
    };

    let out = probe("#set document(title: [t])\n#datetime.today().display()");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(has(&pdf_text(&fs::read(dir.path().join("p.pdf")).unwrap()), "2014-07-16"));

    for path in ["/etc/hostname", "../p.yaml", "/p.yaml", "/fonts/LiberationSans-Regular.ttf"] {
        let out = probe(&format!("#read(\"{path}\")"));
        assert_eq!(out.status.code(), Some(1), "{path} was read");
        let err = stderr(&out);
        assert!(
            err.contains("is not a file letters may read") || err.contains("outside"),
            "{path}: {err}"
        );
    }

    let out = probe("#import \"@preview/example:0.1.0\": *");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("packages such as @preview/example:0.1.0 are not available"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_reports_every_file_and_fails_if_any_fails() {
    let root = root();
    let out = run(&root, &["check", "fixtures/barnet-2014.yaml", "fixtures/bath-2016.yaml"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "fixtures/barnet-2014.yaml: ok\nfixtures/bath-2016.yaml: ok\n");

    let out = run(
        &root,
        &[
            "check",
            "fixtures/invalid/unknown-key.yaml",
            "fixtures/barnet-2014.yaml",
            "fixtures/invalid/wrong-type.yaml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("fixtures/invalid/unknown-key.yaml: 1 error"), "{err}");
    assert!(err.contains("fixtures/barnet-2014.yaml: ok"), "{err}");
    assert!(err.contains("expected a whole number, found \"twenty\""), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn check_short_format_is_one_line_per_problem() {
    let out = run(
        &root(),
        &[
            "check",
            "--diagnostic-format",
            "short",
            "fixtures/invalid/several-problems.yaml",
            "fixtures/warnings/slips.yaml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 8, "{err}");
    assert_eq!(
        lines[0],
        "fixtures/invalid/several-problems.yaml:3:12: error: 2020-02-31 is not a date: February 2020 has 29 days (at `published`)"
    );
    assert!(lines.iter().all(|l| l.starts_with("fixtures/")), "{err}");
    assert!(lines.iter().filter(|l| l.contains(": warning: ")).count() == 4, "{err}");
}

#[test]
fn render_prints_warnings_and_still_writes_the_letter() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("warnings/slips.yaml");
    let out = run(dir.path(), &["render", input.to_str().unwrap(), "-o", "s.pdf"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: Kim  Lee is in the copy list twice"),
        "{}",
        stderr(&out)
    );
    assert!(dir.path().join("s.pdf").exists());
}

#[test]
fn schema_prints_the_json_schema_kept_in_docs() {
    let out = run(&root(), &["schema"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["properties"]["area"]["type"], "string");
    assert_eq!(schema["additionalProperties"], false);
    let required = schema["required"].as_array().unwrap();
    for key in [
        "area",
        "published",
        "to",
        "from",
        "inspection",
        "summary",
        "commentary",
        "strengths",
        "lead_inspector",
    ] {
        assert!(required.iter().any(|r| r == key), "{key} is required");
    }
    let kept = fs::read(root().join("docs/findings.schema.json")).unwrap();
    assert!(
        out.stdout == kept,
        "docs/findings.schema.json is out of date: run `hmip-letter schema > docs/findings.schema.json`"
    );
}

#[test]
fn init_writes_a_starter_that_check_flags_until_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["init", "Bath & North East Somerset"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = dir.path().join("bath-north-east-somerset.yaml");
    let starter = fs::read_to_string(&path).unwrap();
    assert!(starter.contains("area: \"Bath & North East Somerset\""), "{starter}");
    for key in [
        "letter:",
        "language:",
        "published:",
        "date_style:",
        "status:",
        "to:",
        "from:",
        "fieldwork:",
        "cases:",
        "team:",
        "abbreviation:",
        "summary:",
        "commentary:",
        "operational_management:",
        "strengths:",
        "improvements:",
        "lead_inspector:",
        "pronoun:",
        "phone:",
        "copy_to:",
        "footnotes:",
    ] {
        assert!(starter.contains(key), "{key} missing from the starter");
    }

    let out = run(
        dir.path(),
        &["check", "bath-north-east-somerset.yaml", "--diagnostic-format", "short"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.lines().all(|l| l.contains("placeholder text has not been replaced")), "{err}");
    assert!(
        err.contains("(at `published`)") && err.contains("(at `lead_inspector.email`)"),
        "{err}"
    );
    assert!(!err.contains("(at `area`)"), "the area was given: {err}");

    // A second init does not overwrite what the inspector has written.
    fs::write(&path, "area: mine\n").unwrap();
    let out = run(dir.path(), &["init", "Bath & North East Somerset"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&path).unwrap(), "area: mine\n");
    let out = run(dir.path(), &["init", "-o", "bath-north-east-somerset.yaml", "--force"], None);
    assert!(out.status.success());
    assert!(fs::read_to_string(&path).unwrap().contains("TODO: the area inspected"));
    assert_eq!(files_in(dir.path()), ["bath-north-east-somerset.yaml"]);
}

#[test]
fn a_filled_in_starter_renders() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["init", "-o", "f.yaml"], None);
    assert!(out.status.success());
    let text = fs::read_to_string(dir.path().join("f.yaml")).unwrap();
    let value_for = |placeholder: &str| -> &str {
        match placeholder {
            p if p.contains("first day") => "2020-01-06",
            p if p.contains("last day") => "2020-01-08",
            p if p.contains("YYYY-MM-DD") => "2020-02-03",
            p if p.contains("number of cases") => "12",
            p if p.contains("phone") => "07700 900123",
            p if p.contains("email") => "sam@example.org",
            _ => "Filled in.",
        }
    };
    let filled: String = text
        .lines()
        .map(|line| {
            if let Some(start) = line.find("\"TODO") {
                // A quoted placeholder: replace what is between the quotes.
                let end = start + 1 + line[start + 1..].find('"').unwrap();
                let value = value_for(&line[start..end]);
                let value = if value.chars().all(|c| c.is_ascii_digit() || c == '-') {
                    value.to_string()
                } else {
                    format!("\"{value}\"")
                };
                format!("{}{value}{}", &line[..start], &line[end + 1..])
            } else if let Some(start) = line.find("TODO") {
                format!("{}{}", &line[..start], value_for(&line[start..]))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(dir.path().join("f.yaml"), filled).unwrap();
    let out = run(dir.path(), &["render", "f.yaml"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("f.pdf").exists());
}

/// The subcommands a user can run.
const SUBCOMMANDS: [&str; 14] = [
    "render",
    "check",
    "schema",
    "init",
    "watch",
    "diff",
    "preflight",
    "pair",
    "comments",
    "import",
    "edit",
    "completions",
    "man",
    "help",
];

#[test]
fn every_subcommands_help_says_what_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let top = run(dir.path(), &["--help"], None);
    assert!(top.status.success());
    let top = String::from_utf8(top.stdout).unwrap();
    for sub in SUBCOMMANDS {
        assert!(top.contains(&format!("  {sub}")), "--help does not list {sub}:\n{top}");
    }
    assert!(!top.contains("worker"), "the hidden worker command is not listed");
    for sub in &SUBCOMMANDS[..13] {
        let out = run(dir.path(), &[sub, "--help"], None);
        assert!(out.status.success(), "{sub} --help");
        let help = String::from_utf8(out.stdout).unwrap();
        insta::assert_snapshot!(format!("help-{sub}"), help);
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let barnet = fixture("barnet-2014.yaml");
    for command in [
        format!("'{}' schema | head -1", env!("CARGO_BIN_EXE_hmip-letter")),
        format!(
            "'{}' render '{}' -o - | head -c 10",
            env!("CARGO_BIN_EXE_hmip-letter"),
            barnet.display()
        ),
        format!("'{}' man | head -c 10", env!("CARGO_BIN_EXE_hmip-letter")),
    ] {
        let out = std::process::Command::new("bash")
            .args(["-c", &format!("set -o pipefail; {command}")])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{command}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{command}");
    }
}

#[test]
fn quiet_prints_errors_only() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("warnings/slips.yaml"), dir.path().join("slips.yaml")).unwrap();
    let loud = run(dir.path(), &["check", "slips.yaml"], None);
    assert!(stderr(&loud).contains("warning:"), "{}", stderr(&loud));
    let quiet = run(dir.path(), &["check", "-q", "slips.yaml"], None);
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "", "no warnings, no status line");
    let quiet = run(dir.path(), &["--quiet", "render", "slips.yaml"], None);
    assert!(quiet.status.success() && stderr(&quiet).is_empty(), "{}", stderr(&quiet));
    assert!(dir.path().join("slips.pdf").exists());

    fs::copy(fixture("invalid/wrong-type.yaml"), dir.path().join("bad.yaml")).unwrap();
    let failed = run(dir.path(), &["check", "-q", "bad.yaml", "slips.yaml"], None);
    assert_eq!(failed.status.code(), Some(1));
    let err = stderr(&failed);
    assert!(err.contains("error: expected a whole number"), "{err}");
    assert!(!err.contains("warning") && !err.contains(": ok"), "{err}");
}

#[test]
fn a_findings_file_may_start_with_a_dash_after_two() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("bath-2016.yaml"), dir.path().join("-bath.yaml")).unwrap();
    let refused = run(dir.path(), &["check", "-bath.yaml"], None);
    assert_eq!(refused.status.code(), Some(2), "taken for an option without --");
    let out = run(dir.path(), &["check", "--", "-bath.yaml"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(dir.path(), &["render", "-o", "b.pdf", "--", "-bath.yaml"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("b.pdf").exists());
}

#[test]
fn github_annotations_for_an_invalid_letter_and_for_preflight() {
    let check = run(
        &root(),
        &["check", "fixtures/invalid/several-problems.yaml", "--diagnostic-format", "github"],
        None,
    );
    assert_eq!(check.status.code(), Some(1));
    let check = stderr(&check);
    for line in check.lines().filter(|l| l.starts_with("::")) {
        assert!(line.starts_with("::error file=fixtures/invalid/several-problems.yaml,line="));
    }
    insta::assert_snapshot!("github-check", check);

    let args = ["preflight", "fixtures/preflight/every-rule.yaml", "--diagnostic-format", "github"];
    let preflight = run(&root(), &args, None);
    assert_eq!(preflight.status.code(), Some(1));
    let preflight = stderr(&preflight);
    assert!(preflight.contains("::warning file=fixtures/preflight/every-rule.yaml,line="));
    assert!(preflight.contains(",title=hmip-letter%3A long-sentence::"), "{preflight}");
    insta::assert_snapshot!("github-preflight", preflight);
}
