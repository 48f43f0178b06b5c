//! Activation against each operation that can close or change a candidacy: the operator's
//! cancellation, "Pas vous ?", a re-sent letter, a dispatch and a re-designation — sent at
//! once (the database picks the order), and one strictly after the other both ways (the
//! race's two outcomes, each for sure). Whatever the order, `check` holds afterwards, no
//! answer is a server error, and the two that exclude each other never both succeed.

use serde_json::json;

use crate::administration::PASSWORD;
use crate::back_office::{registered, CANDIDATE};
use crate::helpers::{assert_check_passes, demo, TestApp};
use crate::on_both_databases;

/// How activation and its rival are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Together,
    ActivationFirst,
    RivalFirst,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rival {
    Cancel,
    NotYou,
    Resend,
    Dispatch,
    Redesignate,
}

/// Activation and `rival` on a fresh candidacy, in `order`, then what must hold.
async fn race(app: TestApp, rival: Rival, order: Order) {
    let (letter, code, opposition) = registered(&app).await;
    let op = app.operator().await;
    let establishment = app
        .count("SELECT id FROM establishments WHERE client_number = '237517'")
        .await;
    let candidate = app.signed_in(CANDIDATE, &code).await;
    let activate = candidate.activate(PASSWORD);
    let reason = "course avec l’activation";
    let other = async {
        match rival {
            Rival::Cancel => op.cancel_candidacy(letter, reason).await,
            Rival::NotYou => {
                let request = json!({ "client_number": "237517", "code": opposition });
                app.oppose(&request).await
            }
            Rival::Resend => op.resend(letter).await,
            Rival::Dispatch => op.dispatch(&[letter]).await,
            Rival::Redesignate => op.redesignate(establishment, reason).await,
        }
    };
    let (activated, other) = match order {
        Order::Together => tokio::join!(activate, other),
        Order::ActivationFirst => {
            let activated = activate.await;
            (activated, other.await)
        }
        Order::RivalFirst => {
            let other = other.await;
            (activate.await, other)
        }
    };
    let (activated, other) = (activated.status().as_u16(), other.status().as_u16());
    let what = format!("{rival:?}, {order:?}: activation {activated}, rival {other}");
    assert!(activated < 500 && other < 500, "{what}");
    assert_check_passes(&app).await;
    let active = app
        .count("SELECT COUNT(*) FROM users WHERE status = 'active'")
        .await;
    assert_eq!(active == 1, activated == 200, "{what}");
    if matches!(rival, Rival::Cancel | Rival::NotYou) {
        let rival_won = (200..300).contains(&other);
        assert!(
            activated == 200 || rival_won,
            "one of them succeeds: {what}"
        );
        assert!(!(activated == 200 && rival_won), "never both: {what}");
        let cancelled = app
            .count("SELECT COUNT(*) FROM users WHERE status = 'cancelled'")
            .await;
        assert_eq!(cancelled == 1, rival_won, "{what}");
    }
}

/// One test per rival and order, on both databases.
macro_rules! races {
    ($($name:ident: $rival:ident, $order:ident;)*) => {$(
        async fn $name(app: TestApp) {
            race(app, Rival::$rival, Order::$order).await;
        }
        on_both_databases!($name, demo);
    )*};
}

races! {
    cancellation_at_once: Cancel, Together;
    cancellation_after_activation: Cancel, ActivationFirst;
    cancellation_before_activation: Cancel, RivalFirst;
    not_you_at_once: NotYou, Together;
    not_you_after_activation: NotYou, ActivationFirst;
    not_you_before_activation: NotYou, RivalFirst;
    resend_at_once: Resend, Together;
    resend_after_activation: Resend, ActivationFirst;
    resend_before_activation: Resend, RivalFirst;
    dispatch_at_once: Dispatch, Together;
    dispatch_after_activation: Dispatch, ActivationFirst;
    dispatch_before_activation: Dispatch, RivalFirst;
    redesignation_at_once: Redesignate, Together;
    redesignation_after_activation: Redesignate, ActivationFirst;
    redesignation_before_activation: Redesignate, RivalFirst;
}
