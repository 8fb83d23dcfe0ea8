//! `hmip-letter edit`: the letter written in a browser, on a local page
//! with the letter beside the form.
//!
//! A small server (axum on tokio, as mdBook and zola serve their previews)
//! on 127.0.0.1 only. It reads and writes the one findings file it was
//! started with, by key, in place (`hmip_letter::edit`): no path ever
//! comes from the browser. A server on the inspector's laptop holds
//! unpublished findings, so every request must name this address as its
//! `Host` (against DNS rebinding) and carry the session's secret: a random
//! token in the printed address, exchanged on the first visit for an
//! `HttpOnly; SameSite=Strict` cookie. A request that changes anything must
//! also come from the page's own origin. Anything else is refused with a
//! 4xx and nothing changes. Every form works by plain submit, without
//! JavaScript.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Path, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use hmip_letter::{Diagnostic, Format, Options, Pipeline, SourceFile, edit, output};
use minijinja::{Environment, context};

use super::Sink;
use crate::cli::EditArgs;

/// The most a form may send: a whole letter is some tens of kilobytes.
const MAX_BODY: usize = 1024 * 1024;

/// The cookie that carries the session's secret.
const COOKIE: &str = "hmip_letter_session";

/// The parts of a letter, in the order of the overview: each an id for
/// its address, a title, and the key prefixes of its values.
fn parts(text: &str) -> Vec<(String, String, Vec<String>)> {
    let mut out: Vec<(String, String, Vec<String>)> = vec![
        (
            "details".into(),
            "The letter's details".into(),
            ["letter", "language", "area", "published", "date_style", "status"]
                .map(String::from)
                .to_vec(),
        ),
        ("to-and-from".into(), "To and from".into(), vec!["to".into(), "from".into()]),
        ("inspection".into(), "The inspection".into(), vec!["inspection".into()]),
        ("summary".into(), "Summary".into(), vec!["summary".into()]),
    ];
    let areas = edit::fields(text, "commentary")
        .iter()
        .filter_map(|f| {
            let rest = f.key.strip_prefix("commentary[")?;
            rest.split(']').next()?.parse::<usize>().ok()
        })
        .max();
    for n in 0..areas.map_or(0, |n| n + 1) {
        let heading = edit::fields(text, &format!("commentary[{n}].heading"));
        let title = heading
            .first()
            .map_or(format!("Commentary area {}", n + 1), |h| format!("{}. {}", n + 1, h.value));
        out.push((format!("area-{}", n + 1), title, vec![format!("commentary[{n}]")]));
    }
    for (id, title, key) in [
        ("operational-management", "Operational management", "operational_management"),
        ("strengths", "Strengths", "strengths"),
        ("improvements", "Areas for improvement", "improvements"),
        ("lead-inspector", "The lead inspector", "lead_inspector"),
        ("copy-list", "The copy list", "copy_to"),
        ("footnotes", "Footnotes", "footnotes"),
    ] {
        out.push((id.into(), title.into(), vec![key.into()]));
    }
    out
}

/// What the server knows.
struct App {
    path: PathBuf,
    name: String,
    pipeline: Pipeline,
    token: String,
    host: String,
    origin: String,
    pages: Environment<'static>,
    /// One save at a time.
    saving: Mutex<()>,
}

/// Starts the server and serves until Ctrl-C. `false` if it could not start.
pub(crate) fn run(args: EditArgs, sink: &mut dyn Sink) -> bool {
    let fail = |sink: &mut dyn Sink, d: Diagnostic| {
        sink.diagnostics(&[d], args.reading.diagnostics());
        false
    };
    if let Err(error) = hmip_letter::load::regular(&args.file) {
        let mut d = error.diagnostics().remove(0);
        d = d.hint("create it first with: hmip-letter init \"AREA\"");
        return fail(sink, d);
    }
    let pipeline = match Pipeline::new(&args.reading.setup()) {
        Ok(pipeline) => pipeline,
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), args.reading.diagnostics());
            return false;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(sink, Diagnostic::error(format!("the server cannot start: {e}"))),
    };
    let listener = match runtime.block_on(tokio::net::TcpListener::bind(("127.0.0.1", args.port))) {
        Ok(listener) => listener,
        Err(e) => {
            return fail(
                sink,
                Diagnostic::error(format!("cannot listen on 127.0.0.1:{}: {e}", args.port))
                    .hint("choose another --port, or leave it out"),
            );
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    let Some(token) = secret() else {
        return fail(sink, Diagnostic::error("no random numbers for the session's secret"));
    };
    let mut pages = Environment::new();
    pages.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    if let Err(e) =
        pages.add_template("page.html.j2", include_str!("../../templates/edit/page.html.j2"))
    {
        return fail(sink, Diagnostic::error(format!("the edit page's template: {e}")));
    }
    let host = format!("127.0.0.1:{port}");
    let app = Arc::new(App {
        name: args.file.display().to_string(),
        path: args.file.clone(),
        pipeline,
        origin: format!("http://{host}"),
        host,
        token,
        pages,
        saving: Mutex::new(()),
    });
    let address = format!("{}/?token={}", app.origin, app.token);
    // The address on a line of its own, on standard output, for the user
    // (and for scripts) to open.
    println!("{address}");
    sink.status(&format!("editing {}: open the address above; Ctrl-C stops", app.name));
    if !args.no_open {
        open_browser(&address);
    }
    let router = Router::new()
        .route("/", get(overview))
        .route("/part/{id}", get(part_page).post(save))
        .route("/preview", get(preview))
        .route("/letter.pdf", get(pdf))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app);
    let served = runtime.block_on(async {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    });
    match served {
        Ok(()) => true,
        Err(e) => fail(sink, Diagnostic::error(format!("the server stopped: {e}"))),
    }
}

/// 32 random bytes as hex.
fn secret() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Opens the default browser at `address`, if there is one.
fn open_browser(address: &str) {
    #[cfg(target_os = "windows")]
    let command = std::process::Command::new("explorer").arg(address).spawn();
    #[cfg(target_os = "macos")]
    let command = std::process::Command::new("open").arg(address).spawn();
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let command = std::process::Command::new("xdg-open").arg(address).spawn();
    drop(command);
}

/// Refuses every request not from this page: another `Host`, no secret,
/// or a change from another origin.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if headers.get(header::HOST).and_then(|h| h.to_str().ok()) != Some(app.host.as_str()) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "This server answers only at its own address.",
        );
    }
    // A body over the limit is refused by its length, before it is read.
    let length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok());
    if length.and_then(|v| v.parse::<usize>().ok()).is_some_and(|n| n > MAX_BODY) {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "A form is never this long.");
    }
    let query = request.uri().query().unwrap_or("");
    let offered = query.split('&').find_map(|pair| pair.strip_prefix("token="));
    if let Some(offered) = offered {
        if !same_secret(offered, &app.token) {
            return refuse(
                StatusCode::FORBIDDEN,
                "This address is not the one the editor printed.",
            );
        }
        // The secret leaves the address for a cookie only this page sends.
        let cookie = format!("{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/", app.token);
        return ([(header::SET_COOKIE, cookie)], Redirect::to(request.uri().path()))
            .into_response();
    }
    if !has_cookie(headers, &app.token) {
        return refuse(
            StatusCode::FORBIDDEN,
            "Open the address the editor printed, with its token.",
        );
    }
    let changes = !matches!(*request.method(), Method::GET | Method::HEAD);
    if changes && !same_origin(headers, &app.origin) {
        return refuse(
            StatusCode::FORBIDDEN,
            "Changes are accepted only from the editor's own page.",
        );
    }
    next.run(request).await
}

fn refuse(status: StatusCode, why: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{why}\n"))
        .into_response()
}

/// Compares secrets in time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn has_cookie(headers: &HeaderMap, token: &str) -> bool {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|cookies| {
        cookies
            .split(';')
            .filter_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
            .any(|v| same_secret(v, token))
    })
}

/// Whether a request comes from the page's own origin: its `Origin`, or
/// without one a browser's `Sec-Fetch-Site: same-origin`.
fn same_origin(headers: &HeaderMap, origin: &str) -> bool {
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        Some(sent) => sent == origin,
        None => headers.get("sec-fetch-site").and_then(|s| s.to_str().ok()) == Some("same-origin"),
    }
}

/// The file as it is on disk, and its version (a hash of its bytes).
fn current(app: &App) -> Result<(String, String), String> {
    let text = std::fs::read_to_string(&app.path)
        .map_err(|e| format!("{} cannot be read: {e}", app.name))?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    Ok((text, format!("{:016x}", hasher.finish())))
}

/// What `check` (and preflight's personal data) says of the text: each
/// problem's message as the command line prints it, and its key.
fn problems(app: &App, text: &str) -> Vec<Diagnostic> {
    let file = SourceFile::new(app.name.clone(), text.to_string());
    let dir = Some(hmip_letter::paths::folder_of(&app.path).to_path_buf());
    match app.pipeline.load(file, dir) {
        Err(error) => error.diagnostics(),
        Ok(loaded) => {
            let mut out = loaded.warnings.clone();
            if let Ok(rules) = app.pipeline.preflight_rules()
                && let Ok(found) = app.pipeline.preflight(&loaded, &rules)
            {
                out.extend(found.diagnostics.into_iter().filter(Diagnostic::is_error));
            }
            out
        }
    }
}

/// Whether a key is one of a part's.
fn in_part(key: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| {
        key == p || key.strip_prefix(p.as_str()).is_some_and(|r| r.starts_with(['.', '[']))
    })
}

fn page(app: &App, values: minijinja::Value) -> Response {
    match app.pages.get_template("page.html.j2").and_then(|t| t.render(values)) {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            (StatusCode::INTERNAL_SERVER_ERROR, format!("the page could not be written: {e}"))
                .into_response()
        }
    }
}

async fn overview(State(app): State<Arc<App>>) -> Response {
    let (text, _) = match current(&app) {
        Ok(file) => file,
        Err(why) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, &why),
    };
    let found = problems(&app, &text);
    let parts: Vec<_> = parts(&text)
        .into_iter()
        .map(|(id, title, prefixes)| {
            let mine: Vec<&Diagnostic> = found
                .iter()
                .filter(|d| d.is_error() && d.key.as_deref().is_some_and(|k| in_part(k, &prefixes)))
                .collect();
            let status = if mine
                .iter()
                .any(|d| d.message.contains("placeholder") || d.message.contains("TODO"))
            {
                "Has placeholders"
            } else if !mine.is_empty() {
                "Has errors"
            } else {
                "Complete"
            };
            context! { id, title, status }
        })
        .collect();
    let errors: Vec<_> = found
        .iter()
        .filter(|d| d.is_error() && d.key.is_none())
        .map(|d| context! { message => d.message.clone() })
        .collect();
    page(&app, context! { title => "Your letter", file => app.name.clone(), parts, errors })
}

/// A field's id in the page: its key with `[`, `]` and `.` as `-`.
fn field_id(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' })
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// "commentary[1].paragraphs[0]" → "Paragraph 1 (commentary[1].paragraphs[0])".
fn label(key: &str) -> String {
    let last = key.rsplit('.').next().unwrap_or(key);
    let (name, number) = match last.split_once('[') {
        Some((name, rest)) => {
            (name, rest.trim_end_matches(']').parse::<usize>().ok().map(|n| n + 1))
        }
        None => (last, None),
    };
    let name = name.replace('_', " ");
    let mut name: String = name
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
        .collect();
    if let Some(n) = number {
        name = format!("{} {n}", name.trim_end_matches('s'));
    }
    format!("{name} ({key})")
}

fn part_view(app: &App, id: &str, text: &str, version: &str, notice: Option<&str>) -> Response {
    let Some((_, title, prefixes)) = parts(text).into_iter().find(|(p, ..)| p == id) else {
        return refuse(StatusCode::NOT_FOUND, "There is no such part of the letter.");
    };
    let found = problems(app, text);
    let fields: Vec<_> = prefixes
        .iter()
        .flat_map(|p| edit::fields(text, p))
        .filter(|f| !f.key.contains("[") || prefixes.iter().any(|p| f.key.starts_with(p.as_str())))
        .map(|f| {
            let error = found.iter().find(|d| d.key.as_deref() == Some(f.key.as_str())).map(|d| d.message.clone());
            context! { id => field_id(&f.key), key => f.key.clone(), label => label(&f.key), value => f.value, long => f.long, error }
        })
        .collect();
    let errors: Vec<_> = found
        .iter()
        .filter(|d| d.key.as_deref().is_some_and(|k| in_part(k, &prefixes)))
        .map(|d| context! { message => d.message.clone(), anchor => d.key.as_deref().map(|k| format!("#{}", field_id(k))) })
        .collect();
    page(
        app,
        context! { title, file => app.name.clone(), part => id, version, fields, errors, notice, notice_link => notice.map(|_| format!("/part/{id}")) },
    )
}

async fn part_page(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    match current(&app) {
        Ok((text, version)) => part_view(&app, &id, &text, &version, None),
        Err(why) => refuse(StatusCode::INTERNAL_SERVER_ERROR, &why),
    }
}

/// Saves a part's form: each changed value rewritten in place, in one
/// write, unless the file changed on disk since the page read it.
async fn save(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let _one = app.saving.lock();
    let (text, version) = match current(&app) {
        Ok(file) => file,
        Err(why) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, &why),
    };
    let sent = form.iter().find(|(k, _)| k == "version").map(|(_, v)| v.as_str());
    if sent != Some(version.as_str()) {
        let mut response = part_view(
            &app,
            &id,
            &text,
            &version,
            Some("The file was changed on disk since this page was read: nothing was saved."),
        );
        *response.status_mut() = StatusCode::CONFLICT;
        return response;
    }
    let Some((_, _, prefixes)) = parts(&text).into_iter().find(|(p, ..)| *p == id) else {
        return refuse(StatusCode::NOT_FOUND, "There is no such part of the letter.");
    };
    let mut edited = text.clone();
    for (name, value) in &form {
        let Some(key) = name.strip_prefix("f:") else { continue };
        if !in_part(key, &prefixes) {
            return refuse(StatusCode::BAD_REQUEST, "A field of another part was sent.");
        }
        // Browsers send a textarea's line breaks as CR LF.
        let value = value.replace("\r\n", "\n");
        match edit::set(&edited, key, &value) {
            Ok(next) => edited = next,
            Err(refused) => {
                let mut response = part_view(&app, &id, &text, &version, Some(&refused.0));
                *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                return response;
            }
        }
    }
    if edited != text
        && let Err(error) = output::write_atomic(&app.path, edited.as_bytes())
    {
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string());
    }
    Redirect::to(&format!("/part/{id}")).into_response()
}

/// The letter as `render --format html` writes it, from the file as it is.
async fn preview(State(app): State<Arc<App>>) -> Response {
    render(&app, Format::Html)
}

async fn pdf(State(app): State<Arc<App>>) -> Response {
    render(&app, Format::Pdf)
}

fn render(app: &App, format: Format) -> Response {
    let input = hmip_letter::load::Input::Path(app.path.clone());
    let options = Options { format, ..Options::default() };
    match app.pipeline.export_input(&input, &options) {
        Ok(exported) => {
            let kind =
                if format == Format::Pdf { "application/pdf" } else { "text/html; charset=utf-8" };
            let bytes = exported.files.into_iter().next().unwrap_or_default();
            ([(header::CONTENT_TYPE, kind)], bytes).into_response()
        }
        Err(error) => {
            let messages: Vec<String> = error.diagnostics().iter().map(|d| d.to_string()).collect();
            let html = format!(
                "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>The letter does not render yet</title></head><body><main><h1>The letter does not render yet</h1><ul>{}</ul></main></body></html>",
                messages.iter().map(|m| format!("<li>{}</li>", escape(m))).collect::<String>()
            );
            (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response()
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
