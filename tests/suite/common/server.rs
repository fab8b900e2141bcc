//! `incidentbook serve` as a real process on 127.0.0.1 (port 0), with a client for its
//! pages and its live-reload event stream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `incidentbook serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn start(root: &std::path::Path, args: &[&str]) -> Server {
        // The benchmark examples name the binary; tests use cargo's.
        let bin = std::env::var_os("INCIDENTBOOK_BIN")
            .map_or_else(|| assert_cmd::cargo::cargo_bin("incidentbook"), Into::into);
        let mut child = Command::new(bin)
            .arg("serve")
            .arg(root)
            .args(["-p", "0"])
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_owned();
        // Keep reading stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            let _ = out.read_to_string(&mut sink);
        });
        Server { child, url }
    }

    /// The server's process id, to read its memory in /proc.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn get(&self, path: &str) -> Response {
        self.request(path, &[])
    }

    /// A GET with raw `path` (sent exactly as given) and extra headers.
    pub fn request(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        let host = self.url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(host).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
        for (k, v) in headers {
            request.push_str(&format!("{k}: {v}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Response::parse(&raw)
    }

    /// Subscribes to the live-reload events.
    pub fn events(&self) -> Events {
        let host = self
            .url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let (sender, receiver) = mpsc::channel();
        let (ready_tx, ready_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut stream = TcpStream::connect(&host).unwrap();
            let request = format!(
                "GET /__incidentbook/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
            );
            stream.write_all(request.as_bytes()).unwrap();
            let mut reader = BufReader::new(stream);
            let mut event = String::new();
            let mut data = String::new();
            let mut line = String::new();
            let mut ready = Some(ready_tx);
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if let Some(tx) = ready.take() {
                    let _ = tx.send(());
                }
                // Chunked encoding puts size lines between the event lines: only
                // `event:` and `data:` lines matter; a blank line ends an event.
                let line = line.trim_end();
                if let Some(name) = line.strip_prefix("event:") {
                    event = name.trim().to_owned();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data.push_str(d.strip_prefix(' ').unwrap_or(d));
                } else if line.is_empty() && !event.is_empty() {
                    let done = (std::mem::take(&mut event), std::mem::take(&mut data));
                    if sender.send((done.0, done.1, Instant::now())).is_err() {
                        return;
                    }
                }
            }
        });
        ready_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the event stream answers");
        Events { receiver }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Events {
    receiver: mpsc::Receiver<(String, String, Instant)>,
}

impl Events {
    /// The next event named `name` (others are skipped), with its data and arrival.
    pub fn wait_for(&self, name: &str) -> (String, Instant) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (event, data, at) = self
                .receiver
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no `{name}` event within 30 s"));
            if event == name {
                return (data, at);
            }
        }
    }

    /// Every event received so far, without waiting.
    pub fn drain(&self) -> Vec<String> {
        self.receiver.try_iter().map(|(e, _, _)| e).collect()
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete response");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&body[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 2 + size + 2..];
    }
}
