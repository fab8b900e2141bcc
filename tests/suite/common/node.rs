//! Runs `tests/js/harness.js`, which loads the site's `static/search.js` in Node
//! exactly as the browser loads it (the index chunks as scripts).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Runs the Node harness with `args` and `input` (JSON) on stdin; its JSON output.
pub fn harness(args: &[&str], input: &Value) -> Value {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/harness.js");
    let mut child = Command::new("node")
        .arg(harness)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs the browser script in the tests: install Node.js (scripts/test does)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
