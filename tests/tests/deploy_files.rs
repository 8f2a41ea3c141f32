//! The deployment examples under `deploy/` keep working: the systemd unit passes
//! `systemd-analyze verify` (when the tool is there) and a check of its sections and
//! hardening keys; the Dockerfile's instructions are checked (multi-stage, a slim or
//! distroless runtime, a non-root user) and every path it copies exists, with every
//! workspace member among them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A unit file as section -> (key -> values), every line accounted for.
fn parse_unit(text: &str) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut section: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name.to_owned());
            out.entry(name.to_owned()).or_default();
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("line {}: not key=value: {line}", i + 1));
        let section = section
            .clone()
            .unwrap_or_else(|| panic!("line {}: a key before any section", i + 1));
        out.entry(section)
            .or_default()
            .entry(key.trim().to_owned())
            .or_default()
            .push(value.trim().to_owned());
    }
    out
}

#[test]
fn the_systemd_unit_is_valid_and_hardened() {
    let text = read("deploy/gateway.service");
    let unit = parse_unit(&text);
    assert_eq!(
        unit.keys().collect::<Vec<_>>(),
        ["Install", "Service", "Unit"],
        "sections"
    );
    let service = &unit["Service"];
    let one = |key: &str| -> &str {
        service
            .get(key)
            .and_then(|v| v.last())
            .unwrap_or_else(|| panic!("[Service] {key} missing"))
    };
    for (key, value) in [
        ("DynamicUser", "yes"),
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("PrivateDevices", "yes"),
        ("RestrictSUIDSGID", "yes"),
        ("MemoryDenyWriteExecute", "yes"),
        ("CapabilityBoundingSet", ""),
        ("UMask", "0077"),
    ] {
        assert_eq!(one(key), value, "[Service] {key}");
    }
    assert!(one("ExecStart").starts_with("/usr/local/bin/gateway "));
    assert!(one("ExecStart").ends_with(" serve"));
    assert_eq!(one("ExecStartPre"), "/usr/local/bin/gateway migrate");
    assert!(one("EnvironmentFile").starts_with("/etc/gateway/"));
    assert!(
        !text.contains("GATEWAY_SECRET_KEY="),
        "no secret in the unit itself"
    );
    assert_eq!(unit["Install"]["WantedBy"], ["multi-user.target"]);

    // systemd's own check, with the binary replaced by one that exists here.
    let Ok(probe) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        eprintln!("systemd-analyze not installed: the parser check above stands alone");
        return;
    };
    assert!(probe.status.success());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gateway.service");
    std::fs::write(&path, text.replace("/usr/local/bin/gateway", "/bin/true")).expect("write");
    let out = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze verify");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Only complaints about this unit count (the host's own units may have some).
    let ours: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("gateway.service"))
        .collect();
    assert!(out.status.success() && ours.is_empty(), "{stderr}");
}

/// One Dockerfile instruction: its keyword and arguments (continuation lines joined).
fn instructions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
            continue;
        }
        current.push_str(trimmed);
        let (keyword, args) = current.split_once(' ').unwrap_or((current.as_str(), ""));
        out.push((keyword.to_ascii_uppercase(), args.trim().to_owned()));
        current.clear();
    }
    assert!(current.is_empty(), "a continued line ends the file");
    out
}

#[test]
fn the_dockerfile_builds_from_paths_that_exist() {
    let text = read("deploy/Dockerfile");
    let steps = instructions(&text);
    const KNOWN: [&str; 10] = [
        "FROM",
        "WORKDIR",
        "COPY",
        "RUN",
        "ENV",
        "USER",
        "EXPOSE",
        "ENTRYPOINT",
        "CMD",
        "ARG",
    ];
    for (keyword, _) in &steps {
        assert!(
            KNOWN.contains(&keyword.as_str()),
            "unknown instruction {keyword}"
        );
    }
    let froms: Vec<&String> = steps
        .iter()
        .filter(|(k, _)| k == "FROM")
        .map(|(_, a)| a)
        .collect();
    assert_eq!(froms.len(), 2, "a build stage and a runtime stage");
    assert!(froms[0].ends_with(" AS build"), "{}", froms[0]);
    let runtime = froms[1].as_str();
    assert!(
        runtime.starts_with("gcr.io/distroless/") || runtime.contains("-slim"),
        "the runtime image is distroless or Debian slim: {runtime}"
    );
    let user = steps
        .iter()
        .rev()
        .find(|(k, _)| k == "USER")
        .map(|(_, a)| a.as_str())
        .expect("a USER");
    assert!(
        !user.starts_with("root") && !user.starts_with('0'),
        "{user}"
    );
    let entry = steps
        .iter()
        .find(|(k, _)| k == "ENTRYPOINT")
        .map(|(_, a)| a.as_str())
        .expect("an ENTRYPOINT");
    let entry: Vec<String> = serde_json::from_str(entry).expect("ENTRYPOINT in exec form");
    assert_eq!(entry[0], "/usr/local/bin/gateway");

    // Every COPY from the build context names a path that exists; a COPY --from copies
    // what the build stage produced.
    let mut copied = Vec::new();
    for (_, args) in steps.iter().filter(|(k, _)| k == "COPY") {
        let parts: Vec<&str> = args.split_whitespace().collect();
        if parts[0].starts_with("--from=") {
            assert!(parts[1].starts_with("/src/target/release/"), "{args}");
            continue;
        }
        let (dest, sources) = parts.split_last().expect("COPY src dest");
        assert!(!dest.is_empty());
        for s in sources {
            assert!(root().join(s).exists(), "COPY {s}: no such path");
            copied.push((*s).to_owned());
        }
    }
    // Every workspace member is in the build context.
    let manifest: toml::Value = read("Cargo.toml").parse().expect("Cargo.toml");
    let members = manifest["workspace"]["members"]
        .as_array()
        .expect("members");
    for m in members {
        let m = m.as_str().expect("member");
        assert!(
            copied
                .iter()
                .any(|c| m == c || m.starts_with(&format!("{c}/"))),
            "workspace member {m} is not copied"
        );
    }
    assert!(copied.iter().any(|c| c == "migrations"));
}
