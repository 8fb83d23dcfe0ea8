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
//! 4xx and nothing changes.
//!
//! The pages follow the GOV.UK Design System with its own code
//! (`assets.rs`), written by the templates in `templates/edit/`; what each
//! part's form holds is `form.rs`. Every form works by plain submit,
//! without JavaScript; `edit.js` adds saving as you type and the live
//! preview.

mod assets;
mod form;

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hmip_letter::templates::EDIT_FOLDER;
use hmip_letter::{Diagnostic, Format, Options, Pipeline, SourceFile, edit, output};
use minijinja::{Environment, Value, context};

use self::form::{Part, Submitted};
use super::Sink;
use crate::cli::EditArgs;

/// The most a form may send: a whole letter is some tens of kilobytes.
const MAX_BODY: usize = 1024 * 1024;

/// The cookie that carries the session's secret.
const COOKIE: &str = "hmip_letter_session";

/// How many versions of the file the server remembers, to merge a save
/// made from an older page (a second tab, or the last save of a closing
/// tab) with what was saved since.
const VERSIONS: usize = 32;

/// What the server knows.
struct App {
    path: PathBuf,
    name: String,
    pipeline: Pipeline,
    token: String,
    host: String,
    origin: String,
    pages: Environment<'static>,
    /// One save at a time; the versions this server has seen or written.
    saving: Mutex<Versions>,
    /// The pages as PNG, and the version of the file they were drawn from.
    drawn: Mutex<Option<(String, Pages)>>,
}

/// A letter's pages, a PNG each.
type Pages = Arc<Vec<Vec<u8>>>;

/// The texts of the file's recent versions, by version, and which of them
/// this server wrote.
#[derive(Default)]
struct Versions {
    seen: VecDeque<(String, String, bool)>,
}

impl Versions {
    fn remember(&mut self, version: &str, text: &str, ours: bool) {
        if let Some(at) = self.seen.iter().position(|(v, ..)| v == version) {
            let (_, _, was_ours) = self.seen.remove(at).unwrap_or_default();
            self.seen.push_back((version.into(), text.into(), ours || was_ours));
        } else {
            self.seen.push_back((version.into(), text.into(), ours));
        }
        while self.seen.len() > VERSIONS {
            self.seen.pop_front();
        }
    }

    fn text(&self, version: &str) -> Option<&str> {
        self.seen.iter().find(|(v, ..)| v == version).map(|(_, t, _)| t.as_str())
    }

    fn ours(&self, version: &str) -> bool {
        self.seen.iter().any(|(v, _, ours)| v == version && *ours)
    }
}

/// Starts the server and serves until Ctrl-C. `false` if it could not start.
pub(crate) fn run(args: EditArgs, sink: &mut dyn Sink) -> bool {
    let fail = |sink: &mut dyn Sink, d: Diagnostic| {
        sink.diagnostics(&[d], args.reading.diagnostics());
        false
    };
    // A file that does not exist yet is started from `init`'s starter, on
    // the first page; anything else must be a file.
    if args.file.exists()
        && let Err(error) = hmip_letter::load::regular(&args.file)
    {
        return fail(sink, error.diagnostics().remove(0));
    }
    let pipeline = match Pipeline::new(&args.reading.setup()) {
        Ok(pipeline) => pipeline,
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), args.reading.diagnostics());
            return false;
        }
    };
    let pages = match environment(&pipeline) {
        Ok(pages) => pages,
        Err(d) => return fail(sink, d),
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
    let host = format!("127.0.0.1:{port}");
    let app = Arc::new(App {
        name: args.file.display().to_string(),
        path: args.file.clone(),
        pipeline,
        origin: format!("http://{host}"),
        host,
        token,
        pages,
        saving: Mutex::new(Versions::default()),
        drawn: Mutex::new(None),
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
        .route("/new", post(create))
        .route("/part/{id}", get(part_page).post(save))
        .route("/preview", get(preview))
        .route("/letter.pdf", get(pdf))
        .route("/pages", get(page_images))
        .route("/page/{file}", get(page_image))
        .route("/assets/{file}", get(asset))
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

/// The pages' templates, from the template files (`edit/…`, which
/// `--templates DIR/edit/` overrides), with user text escaped as HTML.
fn environment(pipeline: &Pipeline) -> Result<Environment<'static>, Diagnostic> {
    let mut pages = Environment::new();
    pages.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    pages.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    for (name, file) in pipeline.templates().iter() {
        if let Some(source) = file.source.as_ref().filter(|_| name.starts_with(EDIT_FOLDER)) {
            pages
                .add_template_owned(name.to_string(), source.text.to_string())
                .map_err(|e| Diagnostic::error(format!("the edit page's template {name}: {e}")))?;
        }
    }
    Ok(pages)
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

/// What every answer carries: nothing loads from elsewhere, no other site
/// frames the pages, no address is sent to another site, and nothing is
/// cached.
const HEADERS: &[(&str, &str)] = &[
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
         script-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'",
    ),
    ("referrer-policy", "same-origin"),
    ("cache-control", "no-store"),
    ("x-content-type-options", "nosniff"),
];

/// Refuses every request not from this page: another `Host`, no secret,
/// or a change from another origin.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let mut response = checked(&app, request, next).await;
    for (name, value) in HEADERS {
        response.headers_mut().insert(*name, HeaderValue::from_static(value));
    }
    response
}

async fn checked(app: &App, request: Request, next: Next) -> Response {
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
    let fetched_here =
        || headers.get("sec-fetch-site").and_then(|s| s.to_str().ok()) == Some("same-origin");
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        // A browser sends `Origin: null` where it hides where a request is
        // from; then only its own word that it is from this page counts.
        Some("null") | None => fetched_here(),
        Some(sent) => sent == origin,
    }
}

fn version_of(text: &str) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// The file as it is on disk and its version (a hash of its bytes);
/// `None` when it does not exist yet.
fn current(app: &App) -> Result<Option<(String, String)>, String> {
    match std::fs::read_to_string(&app.path) {
        Ok(text) => {
            let version = version_of(&text);
            Ok(Some((text, version)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{} cannot be read: {e}", app.name)),
    }
}

fn versions(app: &App) -> MutexGuard<'_, Versions> {
    app.saving.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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

fn page(app: &App, template: &str, values: Value) -> Response {
    let name = format!("{EDIT_FOLDER}{template}");
    match app.pages.get_template(&name).and_then(|t| t.render(values)) {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            refuse(StatusCode::INTERNAL_SERVER_ERROR, &format!("{name} could not be written: {e}"))
        }
    }
}

/// What every page shows: the file's name, and whether the letter renders.
fn common(app: &App, found: &[Diagnostic]) -> Value {
    context! {
        file => app.name.clone(), renders => !found.iter().any(Diagnostic::is_error),
        govuk_frontend => assets::GOVUK_FRONTEND,
    }
}

/// The status of a part, from its problems.
fn status(found: &[Diagnostic], part: &Part) -> &'static str {
    let mine: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.is_error() && d.key.as_deref().is_some_and(|k| form::in_part(k, part)))
        .collect();
    if mine.iter().any(|d| d.message.starts_with("placeholder text")) {
        "Has placeholders"
    } else if !mine.is_empty() {
        "Has errors"
    } else {
        "Complete"
    }
}

async fn overview(State(app): State<Arc<App>>) -> Response {
    let (text, version) = match current(&app) {
        Ok(Some(file)) => file,
        Ok(None) => return new_page(&app, None),
        Err(why) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, &why),
    };
    versions(&app).remember(&version, &text, false);
    let found = problems(&app, &text);
    let parts = form::parts(&text);
    let items: Vec<Value> = parts
        .iter()
        .map(|part| {
            let status = match self::status(&found, part) {
                "Complete" => context! { text => "Complete" },
                "Has errors" => context! { tag => context! { text => "Has errors", classes => "govuk-tag--red" } },
                other => context! { tag => context! { text => other, classes => "govuk-tag--blue" } },
            };
            context! { title => context! { text => part.title.clone() }, href => format!("/part/{}", part.id), status }
        })
        .collect();
    // Problems of the whole letter, at no part: at the top.
    let errors: Vec<Value> = found
        .iter()
        .filter(|d| d.is_error())
        .filter(|d| !d.key.as_deref().is_some_and(|k| parts.iter().any(|p| form::in_part(k, p))))
        .map(|d| context! { text => d.message.clone() })
        .collect();
    let complete = parts.iter().filter(|p| status(&found, p) == "Complete").count();
    page(
        &app,
        "overview.html.j2",
        context! { title => "Your letter", items, errors, complete, total => parts.len(), ..common(&app, &found) },
    )
}

/// The first page for a file that does not exist yet: the area, then the
/// starter letter of `init`.
fn new_page(app: &App, error: Option<&str>) -> Response {
    page(
        app,
        "new.html.j2",
        context! { title => "Start a new letter", file => app.name.clone(), error },
    )
}

async fn create(State(app): State<Arc<App>>, Form(form): Form<Vec<(String, String)>>) -> Response {
    let area = form.iter().find(|(k, _)| k == "area").map_or("", |(_, v)| v.trim());
    let language = form.iter().find(|(k, _)| k == "language").map_or("en-GB", |(_, v)| v.as_str());
    if area.is_empty() {
        let mut response = new_page(&app, Some("Enter the area inspected"));
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return response;
    }
    let _one = versions(&app);
    let started =
        app.pipeline.templates().starter(Some(area)).map_err(|e| e.to_string()).and_then(|text| {
            match language {
                "cy" => edit::set(&text, "language", "cy").map_err(|r| r.0),
                _ => Ok(text),
            }
        });
    let text = match started {
        Ok(text) => text,
        Err(why) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, &why),
    };
    // Never over a file that appeared since the page was shown.
    if let Err(error) = output::write_new(&app.path, text.as_bytes()) {
        if app.path.exists() {
            return Redirect::to("/").into_response();
        }
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string());
    }
    Redirect::to("/").into_response()
}

fn find_part(text: &str, id: &str) -> Option<Part> {
    form::parts(text).into_iter().find(|p| p.id == id)
}

fn part_view(app: &App, part: &Part, text: &str, version: &str, notice: Option<&str>) -> Response {
    let found = problems(app, text);
    let form = form::form(part, text, &found);
    let anchor = |key: &str| {
        form.anchors
            .iter()
            .filter(|(k, _)| key == k || key.starts_with(k.as_str()))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, a)| a.clone())
    };
    let errors: Vec<Value> = found
        .iter()
        .filter(|d| d.is_error() && d.key.as_deref().is_some_and(|k| form::in_part(k, part)))
        .map(|d| context! { text => d.message.clone(), href => d.key.as_deref().and_then(anchor) })
        .collect();
    page(
        app,
        "part.html.j2",
        context! {
            title => part.title.clone(), part => part.id.clone(), version, controls => form.controls,
            errors, notice, ..common(app, &found)
        },
    )
}

async fn part_page(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let (text, version) = match current(&app) {
        Ok(Some(file)) => file,
        Ok(None) => return Redirect::to("/").into_response(),
        Err(why) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, &why),
    };
    versions(&app).remember(&version, &text, false);
    match find_part(&text, &id) {
        Some(part) => part_view(&app, &part, &text, &version, None),
        None => refuse(StatusCode::NOT_FOUND, "There is no such part of the letter."),
    }
}

/// Why a save was refused: the status, and what the page says.
struct Unsaved(StatusCode, String);

/// Saves a part's form: each value the user changed rewritten in place,
/// and the button's change to a list, in one write. A form made from an
/// older version is merged with what was saved since, value by value; a
/// value that someone else changed on disk as well is not overwritten.
async fn save(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(sent): Form<Vec<(String, String)>>,
) -> Response {
    let autosave = headers.contains_key("x-autosave");
    let outcome = saved(&app, &id, &sent);
    match (outcome, autosave) {
        (Ok((version, _)), true) => {
            json(StatusCode::OK, serde_json::json!({ "saved": true, "version": version }))
        }
        (Ok((_, focus)), false) => {
            let to = match focus {
                Some(key) => format!("/part/{id}#{}", form::field_id(&key)),
                None => format!("/part/{id}"),
            };
            Redirect::to(&to).into_response()
        }
        (Err(Unsaved(status, why)), true) => {
            json(status, serde_json::json!({ "saved": false, "message": why }))
        }
        (Err(Unsaved(status, why)), false) => {
            let Ok(Some((text, version))) = current(&app) else {
                return refuse(status, &why);
            };
            let Some(part) = find_part(&text, &id) else { return refuse(status, &why) };
            let mut response = part_view(&app, &part, &text, &version, Some(&why));
            *response.status_mut() = status;
            response
        }
    }
}

fn json(status: StatusCode, value: serde_json::Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], value.to_string()).into_response()
}

/// The save itself: the new version and the field to show next.
fn saved(
    app: &App,
    id: &str,
    sent: &[(String, String)],
) -> Result<(String, Option<String>), Unsaved> {
    let bad = |why: String| Unsaved(StatusCode::UNPROCESSABLE_ENTITY, why);
    let submitted = Submitted::read(sent).map_err(|r| bad(r.0))?;
    let mut versions = versions(app);
    let (text, version) = match current(app) {
        Ok(Some(file)) => file,
        Ok(None) => {
            return Err(Unsaved(
                StatusCode::CONFLICT,
                format!("{} is not there any more: nothing was saved.", app.name),
            ));
        }
        Err(why) => return Err(Unsaved(StatusCode::INTERNAL_SERVER_ERROR, why)),
    };
    let Some(part) = find_part(&text, id) else {
        return Err(Unsaved(StatusCode::NOT_FOUND, "There is no such part of the letter.".into()));
    };
    if let Some(key) = submitted.keys().find(|k| !form::in_part(k, &part)) {
        return Err(Unsaved(
            StatusCode::BAD_REQUEST,
            format!("A field of another part was sent: {key}."),
        ));
    }
    let sent_version = submitted.version.clone().unwrap_or_default();
    // The text the page was made from, if the server still has it.
    let base = if sent_version == version {
        Some(text.clone())
    } else {
        versions.text(&sent_version).map(str::to_string)
    };
    let changed_elsewhere = sent_version != version && !versions.ours(&version);
    let conflict = || {
        Unsaved(
            StatusCode::CONFLICT,
            "The file was changed on disk since this page was read: nothing was saved.".into(),
        )
    };
    // Something else wrote the file since the page read it: nothing is
    // overwritten. (A page older than this server's own last save, a
    // second tab or a closing tab's last save, is merged with it.)
    if changed_elsewhere {
        return Err(conflict());
    }
    let Some(base) = base else { return Err(conflict()) };
    let mut edited = text.clone();
    for (key, value) in &submitted.texts {
        let was = edit::shape(&base, key);
        let now = edit::shape(&edited, key);
        let mine = hmip_letter::edit::Shape::Text(value.clone());
        // A value the user did not change is left as it is now.
        if was.as_ref() == Some(&mine) || (value.is_empty() && was == Some(edit::Shape::Nothing)) {
            continue;
        }
        if now.is_none() {
            // A choice the file leaves out, now made: the key is added.
            if was.is_none() && form::default_of(key).is_some_and(|d| d != value) {
                let after = form::written_after(key);
                edited = edit::add_key(&edited, key, value, after).map_err(|r| bad(r.0))?;
            }
            // Otherwise the item was removed since (by this tab's own button).
            continue;
        }
        edited = edit::set(&edited, key, value).map_err(|r| bad(r.0))?;
    }
    for (key, names) in &submitted.lists {
        edited = edit::set_list(&edited, key, names).map_err(|r| bad(r.0))?;
    }
    let mut focus = None;
    if let Some(action) = &submitted.action {
        let (next, show) = action.apply(&edited).map_err(|r| bad(r.0))?;
        edited = next;
        focus = show;
    }
    let new_version = version_of(&edited);
    if edited != text {
        output::write_atomic(&app.path, edited.as_bytes())
            .map_err(|e| Unsaved(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    }
    versions.remember(&version, &text, false);
    versions.remember(&new_version, &edited, true);
    Ok((new_version, focus))
}

/// The letter as `render --format html` writes it, from the file as it is.
async fn preview(State(app): State<Arc<App>>) -> Response {
    match render(&app, Format::Html) {
        Ok(mut files) => Html(files.remove(0)).into_response(),
        Err(response) => response,
    }
}

async fn pdf(State(app): State<Arc<App>>) -> Response {
    match render(&app, Format::Pdf) {
        Ok(mut files) => {
            ([(header::CONTENT_TYPE, "application/pdf")], files.remove(0)).into_response()
        }
        Err(response) => response,
    }
}

/// The letter's pages as images, as `render --format png` draws them.
async fn page_images(State(app): State<Arc<App>>) -> Response {
    match pngs(&app) {
        Ok(files) => {
            let pages: Vec<usize> = (1..=files.len()).collect();
            page(
                &app,
                "pages.html.j2",
                context! { title => "The letter's pages", pages, file => app.name.clone(), renders => true },
            )
        }
        Err(response) => response,
    }
}

async fn page_image(State(app): State<Arc<App>>, Path(file): Path<String>) -> Response {
    let Some(n) = file.strip_suffix(".png").and_then(|n| n.parse::<usize>().ok()) else {
        return refuse(StatusCode::NOT_FOUND, "There is no such page.");
    };
    match pngs(&app) {
        Ok(files) if (1..=files.len()).contains(&n) => {
            ([(header::CONTENT_TYPE, "image/png")], files[n - 1].clone()).into_response()
        }
        Ok(_) => refuse(StatusCode::NOT_FOUND, "There is no such page."),
        Err(response) => response,
    }
}

/// The letter's pages as PNG, drawn once for each version of the file:
/// the page that lists them and each image it shows ask for them.
fn pngs(app: &App) -> Result<Pages, Response> {
    let version = match current(app) {
        Ok(Some((_, version))) => version,
        Ok(None) => return Err(Redirect::to("/").into_response()),
        Err(why) => return Err(refuse(StatusCode::INTERNAL_SERVER_ERROR, &why)),
    };
    let mut drawn = app.drawn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((at, files)) = drawn.as_ref()
        && *at == version
    {
        return Ok(files.clone());
    }
    let files = Arc::new(render(app, Format::Png)?);
    *drawn = Some((version, files.clone()));
    Ok(files)
}

fn render(app: &App, format: Format) -> Result<Vec<Vec<u8>>, Response> {
    let input = hmip_letter::load::Input::Path(app.path.clone());
    let options = Options { format, ..Options::default() };
    let exported = app.pipeline.export_input(&input, &options);
    // The PDF and the page images are typeset: Typst's caches keep what
    // the last 2 letters used, so memory stays flat over a day's edits.
    if format != Format::Html {
        hmip_letter::forget_unused_for(2);
    }
    match exported {
        Ok(exported) if !exported.files.is_empty() => Ok(exported.files),
        Ok(_) => Err(refuse(StatusCode::INTERNAL_SERVER_ERROR, "The letter rendered to nothing.")),
        Err(error) => {
            let errors: Vec<Value> =
                error.diagnostics().iter().map(|d| context! { text => d.to_string() }).collect();
            let mut response = page(
                app,
                "pages.html.j2",
                // The preview beside the form shows this without the
                // editor's own header.
                context! {
                    title => "The letter does not render yet", errors, file => app.name.clone(),
                    bare => format == Format::Html,
                },
            );
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Err(response)
        }
    }
}

/// The design system's files, and the editor's script and style sheet.
async fn asset(State(app): State<Arc<App>>, Path(file): Path<String>) -> Response {
    if let Some((bytes, kind)) = assets::asset(&file) {
        return ([(header::CONTENT_TYPE, kind)], bytes).into_response();
    }
    let kind = match file.rsplit_once('.').map(|(_, e)| e) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        _ => return refuse(StatusCode::NOT_FOUND, "There is no such file."),
    };
    match app.pipeline.templates().get(&format!("{EDIT_FOLDER}{file}")) {
        Some(found) => ([(header::CONTENT_TYPE, kind)], found.bytes.to_vec()).into_response(),
        None => refuse(StatusCode::NOT_FOUND, "There is no such file."),
    }
}
