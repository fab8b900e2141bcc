//! The HTTP side of `serve` (axum): the site's files from the served snapshot, with
//! content types, ETags and the theme's 404 page; the live-reload event stream and
//! script; `/api/search` answering as `incidentbook search --format json` does.

use std::convert::Infallible;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Query, State as Shared};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::compression::CompressionLayer;

use super::rebuild::{Body, Snapshot};
use super::{LiveEvent, State};

const LIVE_JS: &str = include_str!("live.js");
/// How long a request waits for the search index of a build that was just served.
/// The response header of `/api/search` with the query as the archive spells it.
const DID_YOU_MEAN: &str = "did-you-mean";

const SEARCH_WAIT: Duration = Duration::from_secs(120);

pub fn router(state: Arc<State>, hosts: AllowedHosts) -> Router {
    Router::new()
        .route("/__incidentbook/events", get(events))
        .route("/__incidentbook/live.js", get(live_js))
        .route("/api/search", get(api_search))
        .fallback(site_file)
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(hosts),
            check_host,
        ))
        .with_state(state)
}

/// The host names the preview answers to: loopback names, and those it was told
/// (`*`: any).
/// A page on another site can make a browser send requests to 127.0.0.1 under its own
/// name (DNS rebinding) and read the answers; refusing every other `Host` header stops
/// it reading a local preview.
pub struct AllowedHosts(Vec<String>);

impl AllowedHosts {
    pub fn new(extra: Vec<String>) -> AllowedHosts {
        AllowedHosts(extra.into_iter().map(|h| h.to_ascii_lowercase()).collect())
    }

    /// Whether a request's `Host` header (with or without a port) is one of them.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        // `[::1]:3000`, `[::1]`, `name:3000`, `name`.
        let name = if let Some(rest) = host.strip_prefix('[') {
            rest.split(']').next().unwrap_or_default().to_owned()
        } else {
            host.rsplit_once(':')
                .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
                .map_or(host.as_str(), |(name, _)| name)
                .to_owned()
        };
        let name = name.trim_end_matches('.');
        let loopback = name == "localhost"
            || name.ends_with(".localhost")
            || name
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        loopback || self.0.iter().any(|h| h == "*" || h == name)
    }
}

async fn check_host(
    Shared(hosts): Shared<Arc<AllowedHosts>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))
        .unwrap_or_default();
    if hosts.allows(host) {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "incidentbook serve answers only to localhost and the names given with --allow-host\n",
        )
            .into_response()
    }
}

#[cfg(test)]
mod host_tests {
    use super::AllowedHosts;

    #[test]
    fn only_loopback_and_named_hosts_are_answered() {
        let hosts = AllowedHosts::new(vec!["preview.example.com".into()]);
        for ok in [
            "localhost:3000",
            "127.0.0.1:3000",
            "127.1.2.3",
            "[::1]:3000",
            "LOCALHOST",
            "app.localhost:8080",
            "preview.example.com:3000",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "attacker.example:3000",
            "192.168.1.5:3000",
            "",
            "localhost.attacker.example",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        assert!(AllowedHosts::new(vec!["*".into()]).allows("anything:1"));
    }
}

/// The path under the site root a request names, or `None` when it tries to leave it:
/// `..` or `.` segments (also percent-encoded), backslashes, NUL, `//`.
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?
        .into_owned();
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let rest = decoded.strip_prefix('/').unwrap_or(&decoded);
    if rest.starts_with('/') {
        return None;
    }
    if rest
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    let mut path = rest.to_owned();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    Some(path)
}

async fn site_file(
    Shared(state): Shared<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let Some(snapshot) = state.snapshot() else {
        return no_site_yet(&state);
    };
    let Some(path) = site_path(uri.path()) else {
        return not_found(&state, &snapshot);
    };
    let found = if path.starts_with("search/") {
        // The static search index follows each build by a moment.
        match ready(&state, |s| &s.search_files).await {
            Some(snap) => snap
                .search_files
                .get()
                .and_then(|files| files.get(&path).cloned())
                .map(|b| (b, snap)),
            None => None,
        }
    } else {
        snapshot
            .files
            .get(&path)
            .cloned()
            .map(|b| (b, snapshot.clone()))
    };
    let Some((body, snap)) = found else {
        // `/incidents` means the folder's index page.
        if !path.ends_with(".html") && snapshot.files.contains_key(&format!("{path}/index.html")) {
            let to = format!("/{path}/");
            return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
        }
        return not_found(&state, &snapshot);
    };
    let bytes = match read(&snap, &body).await {
        Some(bytes) => bytes,
        None => return not_found(&state, &snapshot),
    };
    respond(&state, &snap, &path, bytes, &headers, StatusCode::OK)
}

/// The bytes of a file of the site; files copied from the content folder must resolve
/// inside it (a symbolic link out of it is refused).
async fn read(snapshot: &Snapshot, body: &Body) -> Option<Arc<Vec<u8>>> {
    match body {
        Body::Bytes(bytes) => Some(bytes.clone()),
        Body::Packed(packed) => Some(Arc::new(packed.unpack())),
        Body::File(path) => {
            let real = tokio::fs::canonicalize(path).await.ok()?;
            let content = tokio::fs::canonicalize(&snapshot.content_dir).await.ok()?;
            if !real.starts_with(content) {
                return None;
            }
            tokio::fs::read(real).await.ok().map(Arc::new)
        }
    }
}

fn content_type(path: &str) -> HeaderValue {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "svg"
        );
    let value = if text {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_owned()
    };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

fn respond(
    state: &State,
    snapshot: &Snapshot,
    path: &str,
    bytes: Arc<Vec<u8>>,
    headers: &HeaderMap,
    status: StatusCode,
) -> Response {
    let kind = content_type(path);
    let bytes: Vec<u8> = if state.live && kind.as_bytes().starts_with(b"text/html") {
        inject_live_reload(&bytes, snapshot.version)
    } else {
        bytes.to_vec()
    };
    let etag = {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(&bytes);
        format!("\"{:016x}-{}\"", h.finish(), bytes.len())
    };
    let mut response = if status == StatusCode::OK
        && headers
            .get(header::IF_NONE_MATCH)
            .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (status, bytes).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, kind);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The page with the live-reload script before `</body>` (or at the end).
pub fn inject_live_reload(html: &[u8], version: u64) -> Vec<u8> {
    let tag =
        format!("<script src=\"/__incidentbook/live.js\" data-version=\"{version}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn not_found(state: &State, snapshot: &Snapshot) -> Response {
    let page = match snapshot.files.get(crate::urls::NOT_FOUND) {
        Some(Body::Bytes(bytes)) => bytes.clone(),
        _ => Arc::new(b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>".to_vec()),
    };
    respond(
        state,
        snapshot,
        "404.html",
        page,
        &HeaderMap::new(),
        StatusCode::NOT_FOUND,
    )
}

/// Before any build succeeded: the errors, on a page that reloads once they are fixed.
fn no_site_yet(state: &State) -> Response {
    let report = state
        .errors()
        .unwrap_or_else(|| "The site is being built…".to_owned());
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>incidentbook: the book has errors</title></head>\
         <body><h1>The book has errors</h1><p>Fix them and this page updates.</p><pre>{}</pre>\
         <script src=\"/__incidentbook/live.js\"></script></body></html>",
        crate::text::escape_html(&report)
    );
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, html).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Waits until the served snapshot has `cell` set (each build's search indexes are made
/// after its reload was sent), following newer snapshots while waiting; returns that
/// snapshot.
async fn ready<T>(
    state: &State,
    cell: impl Fn(&Snapshot) -> &OnceLock<T>,
) -> Option<Arc<Snapshot>> {
    let started = Instant::now();
    loop {
        let snapshot = state.snapshot()?;
        if cell(&snapshot).get().is_some() {
            return Some(snapshot);
        }
        if started.elapsed() > SEARCH_WAIT {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        LIVE_JS,
    )
        .into_response()
}

async fn events(
    Shared(state): Shared<Arc<State>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let receiver = BroadcastStream::new(state.events.subscribe());
    let mut first = Vec::new();
    if let Some(snapshot) = state.snapshot() {
        first.push(
            Event::default()
                .event("version")
                .data(snapshot.version.to_string()),
        );
    }
    if let Some(report) = state.errors() {
        first.push(live_event(&LiveEvent::Errors { report }));
    }
    let stream = tokio_stream::iter(first)
        .chain(receiver.filter_map(|e| e.ok().map(|e| live_event(&e))))
        .map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn live_event(event: &LiveEvent) -> Event {
    match event {
        LiveEvent::Reload { version } => Event::default().event("reload").data(version.to_string()),
        LiveEvent::Errors { report } => Event::default()
            .event("errors")
            .data(serde_json::to_string(report).expect("a string serializes")),
        LiveEvent::Ok => Event::default().event("ok").data(""),
    }
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    limit: Option<usize>,
    severity: Option<String>,
    service: Option<String>,
    team: Option<String>,
    factor: Option<String>,
    status: Option<String>,
    /// On or after this day (`after` is the same).
    #[serde(alias = "after")]
    since: Option<String>,
    before: Option<String>,
}

async fn api_search(
    Shared(state): Shared<Arc<State>>,
    Query(params): Query<SearchParams>,
) -> Response {
    let json_error = |status: StatusCode, message: String| {
        (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
    };
    let day = |name: &str, value: Option<&str>| match value {
        Some(s) => match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Ok(Some(d)),
            Err(_) => Err(json_error(
                StatusCode::BAD_REQUEST,
                format!("{name}: `{s}` is not a date (YYYY-MM-DD)"),
            )),
        },
        None => Ok(None),
    };
    let (after, before) = match (
        day("since", params.since.as_deref()),
        day("before", params.before.as_deref()),
    ) {
        (Ok(after), Ok(before)) => (after, before),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let Some(snapshot) = ready(&state, |s| &s.search_index).await else {
        return json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the search index is not ready".to_owned(),
        );
    };
    if let Some(Err(e)) = snapshot.search_index.get() {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR, e.clone());
    }
    let filters = crate::search::Filters {
        severity: params.severity,
        service: params.service,
        team: params.team,
        factor: params.factor,
        status: params.status,
        after,
        before,
    };
    let limit = params.limit.unwrap_or(10).clamp(1, 1000);
    let q = params.q;
    let result = tokio::task::spawn_blocking(move || match snapshot.search_index.get() {
        Some(Ok(index)) => index.answer(&q, &filters, limit).map(Some),
        _ => Ok(None),
    })
    .await;
    match result {
        Ok(Ok(None)) => axum::Json(Vec::<crate::search::Hit>::new()).into_response(),
        // The body stays the array of results; the query as the archive spells it, when
        // a word is not in the archive, comes in a header, percent-encoded.
        Ok(Ok(Some(answer))) => {
            let mut response = axum::Json(answer.hits).into_response();
            if let Some(spelt) = answer.did_you_mean
                && let Ok(value) = HeaderValue::from_str(
                    &percent_encoding::utf8_percent_encode(
                        &spelt,
                        percent_encoding::NON_ALPHANUMERIC,
                    )
                    .to_string(),
                )
            {
                response.headers_mut().insert(DID_YOU_MEAN, value);
            }
            response
        }
        // A filter of the query that cannot be read (`after:yesterday`).
        Ok(Err(e @ crate::error::Error::Usage(_))) => {
            json_error(StatusCode::BAD_REQUEST, e.to_string())
        }
        Ok(Err(e)) => json_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => json_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/incidents/").as_deref(),
            Some("incidents/index.html")
        );
        assert_eq!(site_path("/a%20b.html").as_deref(), Some("a b.html"));
        for bad in [
            "/../book.toml",
            "/%2e%2e/book.toml",
            "/incidents/..%2f..%2fbook.toml",
            "/..\\book.toml",
            "/%5c..%5cbook.toml",
            "//etc/passwd",
            "/./index.html",
            "/a%00.html",
            "/%ff.html",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let page = inject_live_reload(b"<html><body><p>x</p></body></html>", 7);
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with(
            "<script src=\"/__incidentbook/live.js\" data-version=\"7\"></script></body></html>"
        ));
    }
}
