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
        let dir = tempfile::tempdir().unwrap();
        fs::copy(fixture("barnet-2014.yaml"), dir.path().join("barnet.yaml")).unwrap();
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
    Reply { status, head: head.to_string(), body: body.to_string() }
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
fn edit_of_a_file_that_is_not_there_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["edit", "new.yaml", "--no-open"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("hmip-letter init"), "{}", stderr(&out));
}
