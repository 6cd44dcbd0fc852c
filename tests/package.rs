//! What a user of the published crate reads: the README renders off the repository (crates.io,
//! docs.rs), and the features it and the crate docs describe are the manifest's.

use std::path::Path;

fn read(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The targets of the Markdown images `![alt](target)` in `text`.
fn image_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("![") {
        rest = &rest[i + 2..];
        let Some(close) = rest.find("](") else { break };
        let after = &rest[close + 2..];
        let Some(end) = after.find(')') else { break };
        out.push(after[..end].to_string());
        rest = &after[end..];
    }
    out
}

/// The manifest's features, each with whether it is a default one, from `[features]` (as written
/// here or as `cargo package` normalizes it, one array element a line).
fn manifest_features() -> Vec<(String, bool)> {
    let manifest = read("Cargo.toml");
    let section = manifest
        .split("\n[features]\n")
        .nth(1)
        .expect("Cargo.toml has a [features] table");
    let section: String = section
        .split("\n[")
        .next()
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = Vec::new();
    let mut defaults = Vec::new();
    // Each entry is `name = [ "a", "b", ... ]`, on one line or several.
    for entry in section.split(']') {
        let Some((name, value)) = entry.split_once('=') else {
            continue;
        };
        let name = name.trim().trim_matches(|c| c == ',' || c == '"').trim();
        let values: Vec<String> = value
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        if name == "default" {
            defaults = values;
        } else {
            names.push(name.to_string());
        }
    }
    assert!(!names.is_empty(), "no features found in Cargo.toml");
    names
        .into_iter()
        .map(|n| {
            let d = defaults.contains(&n);
            (n, d)
        })
        .collect()
}

/// Checks that `text` has a table row `| `name` | yes/no |` for every feature of the manifest.
fn check_feature_table(what: &str, text: &str) {
    for (name, default) in manifest_features() {
        let row = text
            .lines()
            .map(|l| l.trim_start_matches("//!").trim())
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| {
                panic!("{what} has no row for feature `{name}` in its feature table")
            });
        let cell = row.split('|').nth(2).unwrap().trim();
        let want = if default { "yes" } else { "no" };
        assert_eq!(
            cell, want,
            "{what}: feature `{name}` is {}a default feature in Cargo.toml; fix the table row {row:?}",
            if default { "" } else { "not " }
        );
    }
}

#[test]
fn readme_images_are_absolute_urls() {
    let targets = image_targets(&read("README.md"));
    assert!(!targets.is_empty(), "the README shows the charts");
    for t in &targets {
        assert!(
            t.starts_with("https://"),
            "README image `{t}` is a relative path: it does not render on crates.io or docs.rs \
             (and docs/ is not in the package); link it by absolute URL"
        );
    }
}

#[test]
fn readme_and_crate_docs_list_the_manifests_features() {
    check_feature_table("README.md", &read("README.md"));
    check_feature_table("the crate docs (src/lib.rs)", &read("src/lib.rs"));
}
