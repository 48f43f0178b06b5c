//! French typography in every text the product writes (PRODUCT.md §7): a non-breaking
//! space (U+00A0 or U+202F) before `: ; ! ?` and `»`, after `«`. Reads the string literals
//! of the app, the server and the shared crate, and the HTML pages; SQL is left out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// The string literals of a Rust source, with their line numbers.
fn literals(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = source.chars().collect();
    let mut found = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => line += 1,
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            // A character literal ('"', '\'', '\u{a0}') or a lifetime: never a string.
            '\'' => {
                if chars.get(i + 1) == Some(&'\\') {
                    i += 2;
                    while i < chars.len() && chars[i] != '\'' {
                        i += 1;
                    }
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 2;
                }
            }
            'r' if matches!(chars.get(i + 1), Some('#') | Some('"'))
                && (i == 0 || !chars[i - 1].is_alphanumeric()) =>
            {
                let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
                if chars.get(i + 1 + hashes) == Some(&'"') {
                    let start = i + 2 + hashes;
                    let closing: String = std::iter::once('"')
                        .chain("#".repeat(hashes).chars())
                        .collect();
                    let rest: String = chars[start..].iter().collect();
                    let end = rest.find(&closing).unwrap_or(rest.len());
                    let text: String = rest[..end].to_owned();
                    line += text.matches('\n').count();
                    found.push((line, text.clone()));
                    i = start + text.chars().count() + closing.chars().count();
                    continue;
                }
            }
            '"' => {
                let start_line = line;
                let mut text = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        text.push(chars[i]);
                        i += 1;
                    }
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    text.push(chars[i]);
                    i += 1;
                }
                found.push((start_line, unescape_spaces(&text)));
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The non-breaking spaces written as escapes, as the text holds them.
fn unescape_spaces(text: &str) -> String {
    text.replace("\\u{a0}", "\u{a0}")
        .replace("\\u{202f}", "\u{202f}")
}

/// What is wrong with a text's typography, if anything.
fn mistakes(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        match c {
            ':' | ';' | '!' | '?' | '»' if before == Some(' ') => {
                out.push(format!("espace ordinaire avant «\u{a0}{c}\u{a0}»"));
            }
            '»' if before.is_some_and(|b| !matches!(b, '\u{a0}' | '\u{202f}')) => {
                out.push("»\u{a0}sans espace insécable avant".into());
            }
            '«' if after.is_some_and(|a| !matches!(a, '\u{a0}' | '\u{202f}' | '\\')) => {
                out.push("«\u{a0}sans espace insécable après".into());
            }
            _ => {}
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            // SQL holds `?` placeholders, not French.
            if !path.ends_with("db") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// SQL statements and code held in strings are not French.
fn is_code(text: &str) -> bool {
    ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE "]
        .iter()
        .any(|k| text.contains(k))
}

#[test]
fn every_text_of_the_product_uses_french_spacing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["app/src", "server/src", "shared/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    let mut found = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        // The unit tests below `#[cfg(test)]` write what they check, not what people read.
        let shipped = source.split("#[cfg(test)]").next().unwrap_or_default();
        for (line, text) in literals(shipped) {
            if is_code(&text) {
                continue;
            }
            for mistake in mistakes(&text) {
                found.push(format!("{}:{line}: {mistake}: {text:?}", file.display()));
            }
        }
    }
    for page in [
        "index.html",
        "etape-2.html",
        "acces.html",
        "espaces.html",
        "back-office.html",
        "galerie.html",
    ] {
        let html = std::fs::read_to_string(root.join(page)).unwrap();
        for (n, line) in html.lines().enumerate() {
            for mistake in mistakes(line) {
                found.push(format!("{page}:{}: {mistake}", n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} fautes de typographie\u{a0}:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_scan_sees_the_mistakes() {
    let source = r#"let a = "Erreur : oui"; let b = '"'; let c = "« cité »"; // "Non : commentaire"
        let d = r"brut ?"; let e = "Bien\u{a0}: oui"; let f = "Bien : {x}";"#;
    let texts: Vec<String> = literals(source).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        texts,
        [
            "Erreur : oui",
            "« cité »",
            "brut ?",
            "Bien\u{a0}: oui",
            "Bien : {x}"
        ]
    );
    let counted: Vec<usize> = texts.iter().map(|t| mistakes(t).len()).collect();
    assert_eq!(counted, [1, 2, 1, 0, 1]);
    assert!(mistakes("Bien\u{a0}: «\u{a0}oui\u{a0}»").is_empty());
}
