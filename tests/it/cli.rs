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
    assert_eq!(
        files_in(dir.path()),
        ["barnet-2014.pdf", "barnet-2014.yaml"]
    );
}

#[test]
fn render_to_a_named_file_and_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("gwynedd-2015.yaml");
    let out = run(
        dir.path(),
        &["render", input.to_str().unwrap(), "-o", "letter.pdf"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let named = fs::read(dir.path().join("letter.pdf")).unwrap();

    let out = run(
        dir.path(),
        &["render", input.to_str().unwrap(), "-o", "-"],
        None,
    );
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
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdin without -o is a usage error"
    );
    assert!(stderr(&out).contains("needs `-o OUT`"), "{}", stderr(&out));
}

#[test]
fn format_typ_writes_the_generated_source() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path(), "bath-2016.yaml");
    let out = run(
        dir.path(),
        &["render", "bath-2016.yaml", "--format", "typ"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let typ = fs::read_to_string(dir.path().join("bath-2016.typ")).unwrap();
    assert!(typ.starts_with("#import \"style.typ\": *"), "{typ}");
    assert!(typ.contains("#\"Bath & North East Somerset\";"));
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
        &[
            "render",
            input.to_str().unwrap(),
            "-o",
            "b.pdf",
            "--templates",
            "mine",
        ],
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

#[test]
fn a_template_error_points_at_the_template() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("sqs.typ.j2"),
        "#import \"style.typ\": *\n\n{{ no_such_value }}\n",
    )
    .unwrap();
    let input = fixture("barnet-2014.yaml");
    let out = run(
        dir.path(),
        &[
            "render",
            input.to_str().unwrap(),
            "-o",
            "b.pdf",
            "--templates",
            ".",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("template error: undefined value"), "{err}");
    assert!(err.contains("sqs.typ.j2:3:"), "{err}");
    assert!(!dir.path().join("b.pdf").exists());
}

#[test]
fn a_layout_error_points_at_style_typ() {
    let dir = tempfile::tempdir().unwrap();
    let style = fs::read_to_string(root().join("templates/style.typ")).unwrap();
    let broken = style.replace(
        "#let bullets(items) = list(..items)",
        "#let bullets(items) = list(..itemz)",
    );
    fs::write(dir.path().join("style.typ"), broken).unwrap();
    let input = fixture("barnet-2014.yaml");
    let out = run(
        dir.path(),
        &[
            "render",
            input.to_str().unwrap(),
            "-o",
            "b.pdf",
            "--templates",
            ".",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error: unknown variable: itemz"), "{err}");
    assert!(err.contains("style.typ:"), "{err}");
}

#[test]
fn bad_input_writes_nothing_and_keeps_the_old_letter() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = fs::read_to_string(fixture("barnet-2014.yaml")).unwrap();
    fs::write(
        dir.path().join("b.yaml"),
        yaml.replace("strengths:", "strenghts:"),
    )
    .unwrap();
    fs::write(dir.path().join("b.pdf"), b"the published letter").unwrap();
    let out = run(dir.path(), &["render", "b.yaml"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: unknown key \"strenghts\"; did you mean \"strengths\"?"),
        "{err}"
    );
    assert!(err.contains("b.yaml:"), "{err}");
    assert_eq!(
        fs::read(dir.path().join("b.pdf")).unwrap(),
        b"the published letter"
    );
    assert_eq!(
        files_in(dir.path()),
        ["b.pdf", "b.yaml"],
        "no temporary file is left"
    );
}

#[test]
fn usage_errors_exit_with_two() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), &[], None).status.code(), Some(2));
    assert_eq!(run(dir.path(), &["render"], None).status.code(), Some(2));
    assert_eq!(
        run(dir.path(), &["render", "x.yaml", "--format", "doc"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(dir.path(), &["frobnicate"], None).status.code(),
        Some(2)
    );
    let out = run(dir.path(), &["render", "missing.yaml"], None);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a missing file is an input error"
    );
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
    let out = run(
        dir.path(),
        &["render", "barnet-2014.yaml", "-o", "barnet-2014.yaml"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        fs::read(dir.path().join("barnet-2014.yaml")).unwrap(),
        fs::read(fixture("barnet-2014.yaml")).unwrap()
    );
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
    assert!(has(
        &pdf_text(&fs::read(dir.path().join("p.pdf")).unwrap()),
        "2014-07-16"
    ));

    for path in [
        "/etc/hostname",
        "../p.yaml",
        "/p.yaml",
        "/fonts/LiberationSans-Regular.ttf",
    ] {
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
