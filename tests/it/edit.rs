//! `hmip-letter edit`: the server refuses what is not its page's, and a
//! form submit edits the findings file in place.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::common::*;

/// An editor running on a copy of Barnet; killed when dropped.
struct Editor {
    child: Child,
    /// `127.0.0.1:PORT`.
    host: String,
    token: String,
    dir: tempfile::TempDir,
}

impl Drop for Editor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Editor {
    fn start() -> Editor {
        Editor::start_on(Some("barnet-2014.yaml"))
    }

    /// An editor on a copy of a fixture as `barnet.yaml`, or on a file that
    /// is not there yet.
    fn start_on(fixture_name: Option<&str>) -> Editor {
        let dir = tempfile::tempdir().unwrap();
        if let Some(name) = fixture_name {
            fs::copy(fixture(name), dir.path().join("barnet.yaml")).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_hmip-letter"))
            .args(["edit", "barnet.yaml", "--no-open"])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let address = line.trim().strip_prefix("http://").unwrap().to_string();
        let (host, token) = address.split_once("/?token=").unwrap();
        Editor { child, host: host.into(), token: token.into(), dir }
    }

    fn file(&self) -> String {
        fs::read_to_string(self.dir.path().join("barnet.yaml")).unwrap()
    }

    /// The cookie the first visit gives.
    fn cookie(&self) -> String {
        let reply = self.send("GET", &format!("/?token={}", self.token), &[], "");
        assert_eq!(reply.status, 303, "{}", reply.head);
        let set = reply.header("set-cookie").unwrap();
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
        set.split(';').next().unwrap().to_string()
    }

    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut all = vec![("Host", self.host.as_str())];
        all.extend_from_slice(headers);
        request(&self.host, method, path, &all, body)
    }

    /// A form post as the page's own browser sends it.
    fn post(&self, cookie: &str, path: &str, body: &str) -> Reply {
        let origin = format!("http://{}", self.host);
        let headers = [
            ("Cookie", cookie),
            ("Origin", origin.as_str()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ];
        self.send("POST", path, &headers, body)
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// One HTTP/1.1 request with exactly these headers.
fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut text = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    // A server that refuses early may close before all is written.
    let _ = stream.write_all(text.as_bytes());
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let (head, body) = reply.split_once("\r\n\r\n").unwrap_or((&reply, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    // minijinja writes `/` in text as `&#x2f;`, which browsers read as `/`.
    Reply { status, head: head.to_string(), body: body.replace("&#x2f;", "/") }
}

/// Form encoding of one value.
fn encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The hidden version field of a part page.
fn version(page: &str) -> String {
    let at = page.find("name=\"version\" value=\"").unwrap() + 22;
    page[at..].split('"').next().unwrap().to_string()
}

#[test]
fn the_server_refuses_what_is_not_its_own_page() {
    let editor = Editor::start();
    assert!(editor.host.starts_with("127.0.0.1:"), "{}", editor.host);
    let before = editor.file();
    // Another Host (DNS rebinding), no cookie, a wrong token.
    let other = request(&editor.host, "GET", "/", &[("Host", "evil.example:80")], "");
    assert_eq!(other.status, 421, "{}", other.head);
    assert_eq!(editor.send("GET", "/", &[], "").status, 403);
    assert_eq!(editor.send("GET", "/?token=0000", &[], "").status, 403);
    assert_eq!(editor.send("GET", "/preview", &[], "").status, 403);
    let cookie = editor.cookie();
    assert_eq!(editor.send("GET", "/", &[("Cookie", &cookie)], "").status, 200);
    // A change without the page's origin, or cross-origin, or without the
    // cookie, changes nothing.
    let page = editor.send("GET", "/part/summary", &[("Cookie", &cookie)], "").body;
    let body = format!("version={}&f%3Asummary%5B0%5D=Changed.", version(&page));
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    let bare = editor.send("POST", "/part/summary", &[("Cookie", &cookie), form], &body);
    assert_eq!(bare.status, 403);
    let cross = editor.send(
        "POST",
        "/part/summary",
        &[("Cookie", &cookie), ("Origin", "http://evil.example"), form],
        &body,
    );
    assert_eq!(cross.status, 403);
    let hidden = editor.send(
        "POST",
        "/part/summary",
        &[("Cookie", &cookie), ("Origin", "null"), ("Sec-Fetch-Site", "cross-site"), form],
        &body,
    );
    assert_eq!(hidden.status, 403, "Origin: null from another site");
    let origin = format!("http://{}", editor.host);
    let no_cookie = editor.send("POST", "/part/summary", &[("Origin", &origin), form], &body);
    assert_eq!(no_cookie.status, 403);
    // A body over the limit: refused by its length, before it is read.
    let mut stream = TcpStream::connect(&editor.host).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    let head = format!(
        "POST /part/summary HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nOrigin: {origin}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\nversion=x&",
        editor.host,
        2 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut reply = [0u8; 64];
    let n = stream.read(&mut reply).unwrap();
    let reply = String::from_utf8_lossy(&reply[..n]).into_owned();
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert_eq!(editor.file(), before, "nothing changed");
}

#[test]
fn a_form_submit_edits_one_value_in_place_and_errors_show_at_the_field() {
    let editor = Editor::start();
    let cookie = editor.cookie();
    let before = editor.file();
    let overview = editor.send("GET", "/", &[("Cookie", &cookie)], "");
    assert!(overview.body.contains("govuk-task-list"), "{}", overview.body);
    assert!(overview.body.contains("href=\"/part/area-1\""), "{}", overview.body);
    let page = editor.send("GET", "/part/area-1", &[("Cookie", &cookie)], "").body;
    assert!(page.contains("name=\"f:commentary[0].paragraphs[0]\""), "{page}");
    let new = "The team's work with <b>families</b> & {{ carers }} was good.\nIt improved.";
    let body = format!(
        "version={}&f%3Acommentary%5B0%5D.paragraphs%5B0%5D={}",
        version(&page),
        encoded(new)
    );
    let saved = editor.post(&cookie, "/part/area-1", &body);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = editor.file();
    let out = run(editor.dir.path(), &["check", "barnet.yaml"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Only that value's bytes changed: the file before and after agree up
    // to it and from its end.
    let start = before.bytes().zip(after.bytes()).take_while(|(a, b)| a == b).count();
    let end = before.bytes().rev().zip(after.bytes().rev()).take_while(|(a, b)| a == b).count();
    let old_value = &before[start..before.len() - end];
    let new_value = &after[start..after.len() - end];
    assert!(!old_value.contains("\n  - ") && !old_value.contains('#'), "one value: {old_value:?}");
    assert!(new_value.contains("<b>families</b> & {{ carers }}"), "{new_value:?}");
    let preview = editor.send("GET", "/preview", &[("Cookie", &cookie)], "").body;
    assert!(preview.contains("&lt;b&gt;families&lt;/b&gt; &amp; {{ carers }}"), "escaped as data");

    // A placeholder is an error, in the words of `check`, linked to its field.
    let page = editor.send("GET", "/part/summary", &[("Cookie", &cookie)], "").body;
    let body = format!("version={}&f%3Asummary%5B0%5D={}", version(&page), encoded("TODO: check"));
    assert_eq!(editor.post(&cookie, "/part/summary", &body).status, 303);
    let page = editor.send("GET", "/part/summary", &[("Cookie", &cookie)], "").body;
    assert!(page.contains("govuk-error-summary"), "{page}");
    assert!(page.contains("href=\"#summary-0\""), "{page}");
    assert!(page.contains("id=\"summary-0-error\""), "{page}");
    let overview = editor.send("GET", "/", &[("Cookie", &cookie)], "").body;
    assert!(overview.contains("Has placeholders"), "{overview}");

    // A page read before the file changed on disk saves nothing.
    let stale = version(&page);
    fs::write(editor.dir.path().join("barnet.yaml"), editor.file() + "# edited elsewhere\n")
        .unwrap();
    let on_disk = editor.file();
    let body = format!("version={stale}&f%3Asummary%5B0%5D=Lost.");
    let conflict = editor.post(&cookie, "/part/summary", &body);
    assert_eq!(conflict.status, 409);
    assert!(conflict.body.contains("changed on disk"), "{}", conflict.body);
    assert_eq!(editor.file(), on_disk);
    let _ = Path::new("");
}

#[test]
fn a_new_file_starts_from_the_starter_with_the_area_asked_first() {
    let editor = Editor::start_on(None);
    let cookie = editor.cookie();
    let first = editor.send("GET", "/", &[("Cookie", &cookie)], "").body;
    assert!(first.contains("What area was inspected?"), "{first}");
    assert!(!editor.dir.path().join("barnet.yaml").exists(), "nothing written before");
    let empty = editor.post(&cookie, "/new", "area=&language=en-GB");
    assert_eq!(empty.status, 422);
    assert!(
        empty.body.contains("Enter the area inspected") && empty.body.contains("href=\"#area\"")
    );
    assert_eq!(editor.post(&cookie, "/new", "area=Ynys+M%C3%B4n&language=cy").status, 303);
    let text = editor.file();
    assert!(text.contains("area: \"Ynys Môn\"") && text.contains("language: cy"), "{text}");
    let init = run(editor.dir.path(), &["init", "Ynys Môn", "-o", "init.yaml"], None);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let starter = fs::read_to_string(editor.dir.path().join("init.yaml")).unwrap();
    assert_eq!(text, starter.replacen("language: en-GB", "language: cy", 1), "init's starter");
    let overview = editor.send("GET", "/", &[("Cookie", &cookie)], "").body;
    assert!(overview.contains("Has placeholders"), "{overview}");
    // A second start does not write over the file.
    assert_eq!(editor.post(&cookie, "/new", "area=Other&language=en-GB").status, 303);
    assert_eq!(editor.file(), text);
}

#[test]
fn paragraphs_are_added_moved_and_removed_by_plain_buttons() {
    let editor = Editor::start();
    let cookie = editor.cookie();
    let before = editor.file();
    let page = editor.send("GET", "/part/area-2", &[("Cookie", &cookie)], "").body;
    let key = "commentary[1].paragraphs";
    let count = |text: &str| text.matches(&format!("name=\"f:{key}[")).count();
    let n = count(&page);
    assert!(n >= 2, "{page}");
    // Add a paragraph after the last: the page comes back at it.
    let add = format!("version={}&action={}", version(&page), encoded(&format!("add:{key}:{n}")));
    let added = editor.post(&cookie, "/part/area-2", &add);
    assert_eq!(added.status, 303);
    assert!(added.header("location").unwrap().ends_with(&format!("#commentary-1--paragraphs-{n}")));
    let page = editor.send("GET", "/part/area-2", &[("Cookie", &cookie)], "").body;
    assert_eq!(count(&page), n + 1);
    // Type into it, and move it up, in one submit.
    let words = "A new paragraph on protecting the public, moved up.";
    let body = format!(
        "version={}&{}={}&action={}",
        version(&page),
        encoded(&format!("f:{key}[{n}]")),
        encoded(words),
        encoded(&format!("up:{key}:{n}"))
    );
    assert_eq!(editor.post(&cookie, "/part/area-2", &body).status, 303);
    let text = editor.file();
    let out = run(editor.dir.path(), &["check", "barnet.yaml"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html =
        run(editor.dir.path(), &["render", "barnet.yaml", "--format", "html", "-o", "-"], None);
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.contains(&format!("2.{n}")) && html.contains(words), "numbered in the letter");
    let at = text.find(words).unwrap();
    assert!(text[..at].ends_with("      - >-\n        "), "in its neighbours' style: {text}");
    // Remove it again: the file is the original, byte for byte.
    let page = editor.send("GET", "/part/area-2", &[("Cookie", &cookie)], "").body;
    let body = format!(
        "version={}&action={}",
        version(&page),
        encoded(&format!("remove:{key}[{}]", n - 1))
    );
    assert_eq!(editor.post(&cookie, "/part/area-2", &body).status, 303);
    let page = editor.send("GET", "/part/area-2", &[("Cookie", &cookie)], "").body;
    let body =
        format!("version={}&action={}", version(&page), encoded(&format!("down:{key}:{}", n - 2)));
    assert_eq!(editor.post(&cookie, "/part/area-2", &body).status, 303);
    let page = editor.send("GET", "/part/area-2", &[("Cookie", &cookie)], "").body;
    let body =
        format!("version={}&action={}", version(&page), encoded(&format!("up:{key}:{}", n - 1)));
    assert_eq!(editor.post(&cookie, "/part/area-2", &body).status, 303);
    assert_eq!(editor.file(), before);
}

#[test]
fn dates_choices_and_the_copy_list_are_fields_of_their_own() {
    let editor = Editor::start();
    let cookie = editor.cookie();
    let page = editor.send("GET", "/part/details", &[("Cookie", &cookie)], "").body;
    assert!(page.contains("name=\"d:published-day\""), "{page}");
    assert!(page.contains("value=\"16\"") && page.contains("value=\"2014\""), "{page}");
    assert!(page.contains("type=\"radio\" value=\"final\" checked"), "the default: {page}");
    // A choice the file leaves out is added as a key when it is made.
    let body = format!("version={}&f%3Astatus=draft&f%3Alanguage=en-GB", version(&page));
    assert_eq!(editor.post(&cookie, "/part/details", &body).status, 303);
    assert!(
        editor.file().contains("published: 2014-07-16\nstatus: draft\nto:"),
        "{}",
        editor.file()
    );
    assert!(!editor.file().contains("language:"), "an unchanged default is not written");
    let page = editor.send("GET", "/part/details", &[("Cookie", &cookie)], "").body;
    // A date typed in three boxes is written YYYY-MM-DD; a date that is
    // not one is written as typed and is an error at its field.
    let body = format!(
        "version={}&d%3Apublished-day=3&d%3Apublished-month=9&d%3Apublished-year=2014",
        version(&page)
    );
    assert_eq!(editor.post(&cookie, "/part/details", &body).status, 303);
    assert!(editor.file().contains("published: 2014-09-03"), "{}", editor.file());
    let page = editor.send("GET", "/part/details", &[("Cookie", &cookie)], "").body;
    let body = format!(
        "version={}&d%3Apublished-day=31&d%3Apublished-month=2&d%3Apublished-year=2014",
        version(&page)
    );
    assert_eq!(editor.post(&cookie, "/part/details", &body).status, 303);
    let page = editor.send("GET", "/part/details", &[("Cookie", &cookie)], "").body;
    assert!(page.contains("href=\"#published-day\""), "the summary links to the day: {page}");
    assert!(page.contains("id=\"published-error\""), "{page}");
    // The copy list: rows of a role and its names, one per line.
    let page = editor.send("GET", "/part/copy-list", &[("Cookie", &cookie)], "").body;
    assert!(page.contains("name=\"l:copy_to[0].names\""), "{page}");
    let body = format!(
        "version={}&l%3Acopy_to%5B0%5D.names={}&action=row%3Acopy_to",
        version(&page),
        encoded("First Person\r\nSecond Person")
    );
    assert_eq!(editor.post(&cookie, "/part/copy-list", &body).status, 303);
    let text = editor.file();
    let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let rows = value["copy_to"].as_array().unwrap();
    assert_eq!(rows[0]["names"], serde_json::json!(["First Person", "Second Person"]));
    assert_eq!(rows.last().unwrap()["role"], "");
}

#[test]
fn a_save_from_an_older_page_of_this_server_is_merged_and_nothing_typed_is_lost() {
    let editor = Editor::start();
    let cookie = editor.cookie();
    let page = editor.send("GET", "/part/summary", &[("Cookie", &cookie)], "").body;
    let old = version(&page);
    let origin = format!("http://{}", editor.host);
    let autosave = |body: &str| {
        let headers = [
            ("Cookie", cookie.as_str()),
            ("Origin", origin.as_str()),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Autosave", "1"),
        ];
        editor.send("POST", "/part/summary", &headers, body)
    };
    let first = autosave(&format!("version={old}&f%3Asummary%5B0%5D=Typed+once."));
    assert_eq!(first.status, 200, "{}", first.body);
    let answer: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(answer["saved"], true);
    // The closing tab's last save still names the page's first version.
    let last = autosave(&format!("version={old}&f%3Asummary%5B0%5D=Typed+once%2C+then+more."));
    assert_eq!(last.status, 200, "{}", last.body);
    assert!(editor.file().contains("Typed once, then more."), "{}", editor.file());
}

#[test]
fn the_components_are_the_design_systems_own_markup() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let macros = fs::read_to_string(root.join("templates/edit/govuk.html.j2")).unwrap();
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    env.add_template("govuk.html.j2", &macros).unwrap();
    // Each component and the fixtures of the options the pages use.
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "input",
            "govukInput",
            &[
                "default",
                "with hint text",
                "with error message",
                "with error and hint",
                "with width-2 class",
                "with width-20 class",
                "value",
                "classes",
                "id",
                "custom type",
                "inputmode",
            ],
        ),
        (
            "textarea",
            "govukTextarea",
            &[
                "default",
                "with hint",
                "with error message",
                "with default value",
                "with custom rows",
                "with hint and error message",
                "id",
                "classes",
            ],
        ),
        (
            "date-input",
            "govukDateInput",
            &["with values", "with error message and hint", "with values and name prefix"],
        ),
        (
            "radios",
            "govukRadios",
            &[
                "default",
                "with hint",
                "inline",
                "with hint and error message",
                "with idPrefix",
                "with error message",
            ],
        ),
        (
            "task-list",
            "govukTaskList",
            &["default", "with hint text and additional states", "with all possible colours"],
        ),
        (
            "error-summary",
            "govukErrorSummary",
            &["default", "without links", "mixed with and without links"],
        ),
        ("button", "govukButton", &["default", "secondary", "name", "value", "type"]),
        ("notification-banner", "govukNotificationBanner", &["default", "custom title"]),
        (
            "fieldset",
            "govukFieldset",
            &["default", "styled as medium text", "styled as small text"],
        ),
        ("tag", "govukTag", &["default", "grey", "red", "blue"]),
        ("skip-link", "govukSkipLink", &["default", "custom href"]),
        ("error-message", "govukErrorMessage", &["default", "id", "classes"]),
        ("hint", "govukHint", &["default", "classes", "id"]),
        ("label", "govukLabel", &["default", "with bold text", "for", "classes"]),
    ];
    let mut checked = 0;
    for (component, macro_name, names) in cases {
        let path = root.join(format!("vendor/govuk-frontend/fixtures/{component}.json"));
        let fixtures: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        for name in *names {
            let fixture =
                fixtures["fixtures"].as_array().unwrap().iter().find(|f| f["name"] == *name);
            let Some(fixture) = fixture else { continue };
            let source =
                format!("{{% import \"govuk.html.j2\" as g %}}{{{{ g.{macro_name}(options) }}}}");
            let ours = env
                .render_str(
                    &source,
                    minijinja::context! { options => minijinja::value::Serde(&fixture["options"]) },
                )
                .unwrap_or_else(|e| panic!("{component} {name}: {e:#}"));
            let theirs = fixture["html"].as_str().unwrap();
            assert_eq!(
                shape(&ours),
                shape(theirs),
                "{component}: fixture \"{name}\"\nours:\n{ours}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 50, "{checked} fixtures");
}

/// HTML as a tree: each element's name, its attributes in order of name
/// (classes in order), and its text with runs of spaces as one.
fn shape(html: &str) -> String {
    fn walk(element: scraper::ElementRef, out: &mut String) {
        let mut attributes: Vec<(String, String)> = element
            .value()
            .attrs()
            .map(|(k, v)| {
                let v = if k == "class" {
                    let mut classes: Vec<&str> = v.split_whitespace().collect();
                    classes.sort_unstable();
                    classes.join(" ")
                } else {
                    v.to_string()
                };
                (k.to_string(), v)
            })
            .collect();
        attributes.sort();
        let name = element.value().name();
        out.push_str(&format!("<{name} {attributes:?}>"));
        for child in element.children() {
            match child.value() {
                scraper::Node::Text(text) => {
                    let words: Vec<&str> = text.split_whitespace().collect();
                    if !words.is_empty() {
                        out.push_str(&words.join(" "));
                        out.push('|');
                    }
                }
                scraper::Node::Element(_) => walk(scraper::ElementRef::wrap(child).unwrap(), out),
                _ => {}
            }
        }
        out.push_str(&format!("</{name}>"));
    }
    let fragment = scraper::Html::parse_fragment(html);
    let mut out = String::new();
    walk(fragment.root_element(), &mut out);
    out
}

#[test]
fn in_a_real_browser_the_letter_is_written_beside_its_preview() {
    let python = python();
    let available =
        runs(&python, &["-c", "import playwright"]) && Path::new("/usr/bin/chromium").exists();
    if !external("Chromium with Python's playwright", available) {
        return;
    }
    let editor = Editor::start();
    let before = editor.file();
    // HMIP_LETTER_SCREENSHOTS=docs/screenshots keeps the pictures (the
    // README's are made so).
    let keep = std::env::var_os("HMIP_LETTER_SCREENSHOTS").map(std::path::PathBuf::from);
    let shots = keep.clone().unwrap_or_else(|| editor.dir.path().join("shots"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/edit.py");
    let address = format!("http://{}/?token={}", editor.host, editor.token);
    let file = editor.dir.path().join("barnet.yaml");
    let out =
        Command::new(&python).arg(&script).arg(&address).arg(&file).arg(&shots).output().unwrap();
    let said =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the browser's steps:\n{said}");
    for shot in ["edit-overview.png", "edit-part-with-error.png", "edit-preview.png"] {
        assert!(fs::metadata(shots.join(shot)).unwrap().len() > 10_000, "{shot}");
    }
    // The file passes `check`, and differs from the original only in the
    // values the browser edited; its comments are all there.
    let check = run(editor.dir.path(), &["check", "barnet.yaml"], None);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let after = editor.file();
    for line in before.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(after.contains(line), "comment kept: {line}");
    }
    let old: serde_json::Value = serde_saphyr::from_str(&before).unwrap();
    let new: serde_json::Value = serde_saphyr::from_str(&after).unwrap();
    let mut changed = std::collections::BTreeSet::new();
    differences(&old, &new, String::new(), &mut changed);
    assert_eq!(
        changed,
        ["summary[0]", "commentary[0].paragraphs[0]", "inspection.team", "lead_inspector.name"]
            .iter()
            .map(|s| s.to_string())
            .collect::<std::collections::BTreeSet<_>>(),
    );
    // Outside those values, the file is the original byte for byte.
    let mut restored = after.clone();
    for key in &changed {
        let was = json_at(&old, key);
        let now = json_at(&new, key);
        restored = hmip_letter::edit::set(&restored, key, was.as_str().unwrap()).unwrap();
        assert_ne!(was, now);
    }
    let restored_lines: Vec<&str> = restored.lines().collect();
    let differing: Vec<_> = before.lines().zip(&restored_lines).filter(|(a, b)| a != *b).collect();
    assert!(
        differing.len() <= 2,
        "only the block indicators of edited values differ: {differing:?}"
    );
}

fn json_at(value: &serde_json::Value, key: &str) -> serde_json::Value {
    let mut here = value;
    for part in key.split('.') {
        let (name, index) = part.split_once('[').map_or((part, None), |(n, i)| (n, Some(i)));
        here = &here[name];
        if let Some(i) = index {
            here = &here[i.trim_end_matches(']').parse::<usize>().unwrap()];
        }
    }
    here.clone()
}

/// The key paths whose values differ between two findings.
fn differences(
    a: &serde_json::Value,
    b: &serde_json::Value,
    path: String,
    out: &mut std::collections::BTreeSet<String>,
) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let inner = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                differences(
                    &x.get(key).cloned().unwrap_or(Value::Null),
                    &y.get(key).cloned().unwrap_or(Value::Null),
                    inner,
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => {
            out.insert(path);
        }
        _ => {}
    }
}

#[test]
fn a_welsh_letter_previews_in_welsh() {
    let editor = Editor::start_on(Some("caerdydd-2016-cy.yaml"));
    let cookie = editor.cookie();
    let preview = editor.send("GET", "/preview", &[("Cookie", &cookie)], "");
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("lang=\"cy"), "{}", preview.body);
    let welsh =
        run(editor.dir.path(), &["render", "barnet.yaml", "--format", "html", "-o", "-"], None);
    assert_eq!(preview.body, String::from_utf8(welsh.stdout).unwrap(), "the page `render` writes");
    let page = editor.send("GET", "/part/details", &[("Cookie", &cookie)], "").body;
    assert!(page.contains("value=\"cy\" checked"), "{page}");
}
