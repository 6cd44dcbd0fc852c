//! Helpers the command-line tests share: the binary, and input files written for a test.

// Each test file uses some of these helpers, not all.
#![allow(dead_code)]

use assert_cmd::Command;

/// The binary cargo built for this test run, wherever `CARGO_TARGET_DIR` put it.
pub(crate) fn cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_growthcast"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// Writes `text` to a file `name` in a directory of the test run (a broken or made-up input).
pub(crate) fn broken(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A monthly series, 2024-01 to 2025-06, growing 5% a month with a little wobble.
pub(crate) fn monthly() -> std::path::PathBuf {
    let mut text = String::from("date,value\n");
    for i in 0..18 {
        let (y, m) = (2024 + i / 12, 1 + i % 12);
        let v = 1000.0 * (0.05 * i as f64).exp() * (1.0 + 0.01 * ((i * 7 % 5) as f64 - 2.0));
        text.push_str(&format!("{y}-{m:02},{v}\n"));
    }
    broken("monthly.csv", &text)
}

/// Six years of pure exponential growth (`100 e^{0.5 t}` with a little noise): no ceiling.
pub(crate) fn exponential_csv() -> std::path::PathBuf {
    let noise = [1.0, 1.03, 0.98, 1.01, 0.99, 1.02];
    let mut text = String::from("date,value\n");
    for (i, n) in noise.iter().enumerate() {
        text += &format!("{},{}\n", 2020 + i, 100.0 * (0.5 * i as f64).exp() * n);
    }
    broken("exp6.csv", &text)
}
