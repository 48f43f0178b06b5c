//! The live hint of the client-number field, keystroke by keystroke, from the table that
//! the browser test types too (`client_number_typing.json`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use inscription_shared::{NumberHint, Tone};
use serde::Deserialize;

#[derive(Deserialize)]
struct Table {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    how: String,
    input: String,
    shown: Vec<String>,
    on_leaving: String,
}

fn table() -> Vec<Case> {
    serde_json::from_str::<Table>(include_str!("client_number_typing.json"))
        .expect("the table parses")
        .cases
}

/// What was typed so far, after each key, or the pasted text at once.
fn steps(case: &Case) -> Vec<String> {
    match case.how.as_str() {
        "typed" => (1..=case.input.chars().count())
            .map(|n| case.input.chars().take(n).collect())
            .collect(),
        "pasted" => vec![case.input.clone()],
        other => panic!("{}: unknown way of entering {other:?}", case.name),
    }
}

/// The number a message names, which is exactly when a fix must be offered.
fn named_number(message: &str) -> Option<&str> {
    message
        .split_once("votre numéro client est ")
        .map(|(_, rest)| rest.trim_end_matches('.'))
}

fn check(case: &Case, what: &str, hint: &NumberHint, expected: &str) {
    assert_eq!(
        hint.message().unwrap_or_default(),
        expected,
        "{}: {what}",
        case.name
    );
    assert_eq!(
        hint.fix().map(|n| n.as_str()),
        named_number(expected),
        "{}: fix after {what}",
        case.name
    );
}

#[test]
fn every_keystroke_says_what_the_table_says() {
    for case in table() {
        let steps = steps(&case);
        assert_eq!(
            steps.len(),
            case.shown.len(),
            "{}: one message per step",
            case.name
        );
        for (typed, expected) in steps.iter().zip(&case.shown) {
            check(
                &case,
                &format!("{typed:?}"),
                &NumberHint::typing(typed),
                expected,
            );
        }
        let left = NumberHint::settled(&case.input);
        check(&case, "leaving the field", &left, &case.on_leaving);
    }
}

#[test]
fn a_number_that_can_still_become_valid_is_never_called_wrong() {
    for case in table() {
        let steps = steps(&case);
        for (i, typed) in steps.iter().enumerate() {
            let hint = NumberHint::typing(typed);
            // Some way of going on turns this prefix into a valid number...
            let can_become_valid = (0..=6).any(|k| {
                let completed = format!("{typed}{}", "1".repeat(k));
                inscription_shared::ClientNumber::parse(&completed).is_ok()
            });
            // ...then the hint guides instead of blaming.
            if can_become_valid {
                assert_ne!(
                    hint.tone(),
                    Tone::Error,
                    "{}: step {i} {typed:?}",
                    case.name
                );
            }
        }
    }
}
