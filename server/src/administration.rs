//! The administrators' console and "Mes habilitations" (PRODUCT.md §5): who may act, on
//! whom, and what they are told. SQL lives in `db::administration`.

use inscription_shared::pages::Page;
use std::collections::HashMap;

use inscription_shared::account::Role;
use inscription_shared::administration::{
    Console, MyRights, Service, UserStatus, UserSummary, REASON_MAX_CHARS,
};

use crate::db::administration::{self as sql, Actor, Applied, UserRow};
use crate::db::Db;
use crate::domain::Change;
use crate::email::Mailer;
use crate::session::{FullSession, EXPIRED, NOT_ACTIVATED};
use crate::settings::Settings;

pub const ADMINISTRATORS_ONLY: &str =
    "Cette page est réservée aux administrateurs de votre établissement.";

/// An active administrator with a full session: the only one who may use the console.
#[derive(Debug, Clone, Copy)]
pub struct Administrator(pub Actor);

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("Cet utilisateur n’existe pas dans votre établissement, ou sa situation a changé. Rechargez la page.")]
    NotFound,
    #[error("Votre établissement doit garder au moins un administrateur actif. Nommez d’abord un autre administrateur.")]
    LastAdministrator,
    #[error("{}", ADMINISTRATORS_ONLY)]
    NotAdministrator,
    /// The account is gone since the session began.
    #[error("{}", EXPIRED)]
    SignedOut,
    /// Not active (any more): nothing to show.
    #[error("{}", NOT_ACTIVATED)]
    NotActive,
    #[error("Le service «\u{a0}{0}\u{a0}» n’existe pas.")]
    UnknownService(String),
    #[error("Le second facteur d’un administrateur est réinitialisé par le prêteur\u{a0}: appelez l’assistance.")]
    ForTheLender,
    #[error("{}", inscription_shared::second_factor::REAUTHENTICATE)]
    FreshFactor,
    #[error("{}", inscription_shared::second_factor::FACTOR_OWED)]
    FactorOwed,
    #[error("Le motif du refus ne peut pas dépasser 500 caractères.")]
    ReasonTooLong,
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

/// A user as the console lists them; `None` for a status it does not list (the query
/// reads only those it does).
fn summary(row: UserRow, rights: &HashMap<i64, Vec<String>>) -> Option<UserSummary> {
    Some(UserSummary {
        id: row.id,
        role: row.role.into(),
        status: row.status.in_console()?,
        services: rights.get(&row.id).cloned().unwrap_or_default(),
        civility: row.civility,
        first_name: row.first_name,
        last_name: row.last_name,
        email: row.email,
        job_title: row.job_title,
        phone: row.phone,
        second_factor: row.second_factor,
    })
}

async fn catalogue(db: &Db) -> Result<Vec<Service>, sqlx::Error> {
    Ok(sql::services(db)
        .await?
        .into_iter()
        .map(|(code, label)| Service { code, label })
        .collect())
}

pub async fn console(
    db: &Db,
    Administrator(actor): Administrator,
) -> Result<Console, ConsoleError> {
    let second_factor_owed_by = crate::account::second_factor::owed_by(db, actor.user_id).await?;
    let mut rights: HashMap<i64, Vec<String>> = HashMap::new();
    for (user, service) in sql::rights(db, actor.establishment_id).await? {
        rights.entry(user).or_default().push(service);
    }
    let (requests, users): (Vec<_>, Vec<_>) = sql::users(db, actor.establishment_id)
        .await?
        .into_iter()
        .filter_map(|row| summary(row, &rights))
        .partition(|u| u.status == UserStatus::Pending);
    let active_administrators = users
        .iter()
        .filter(|u| u.role == Role::Administrator && u.status == UserStatus::Active)
        .count() as i64;
    Ok(Console {
        services: catalogue(db).await?,
        requests,
        users,
        active_administrators,
        second_factor_owed_by,
    })
}

/// What the user is told by e-mail of a decision on their request.
fn notification(change: &Change, public_url: &str, signature: &str) -> Option<(String, String)> {
    match change {
        Change::Validate { .. } => Some((
            "Votre accès aux services en ligne est validé".into(),
            format!(
                "Bonjour,\n\nL’administrateur de votre établissement a validé votre demande d’accès aux services en ligne des prêts sur fonds d’épargne.\n\nConnectez-vous\u{a0}: {public_url}{}\nVos habilitations sont indiquées dans «\u{a0}Mes habilitations\u{a0}».\n\n{signature}",
                Page::SignIn
            ),
        )),
        Change::Refuse { reason } => Some((
            "Votre demande d’accès aux services en ligne".into(),
            format!(
                "Bonjour,\n\nL’administrateur de votre établissement n’a pas validé votre demande d’accès aux services en ligne des prêts sur fonds d’épargne.{}\n\n{signature}",
                if reason.trim().is_empty() { String::new() } else { format!("\n\nMotif\u{a0}: {}", reason.trim()) }
            ),
        )),
        Change::ResetSecondFactor => Some((
            "Le second facteur de votre compte a été réinitialisé".into(),
            format!(
                "Bonjour,\n\nL’administrateur de votre établissement a réinitialisé le second facteur de votre compte (clés d’accès, application de codes à usage unique et codes de secours). Votre prochaine connexion ne demandera que votre mot de passe\u{a0}; ajoutez-les de nouveau depuis «\u{a0}Sécurité de mon compte\u{a0}»\u{a0}: {public_url}{}\n\nSi vous n’avez rien demandé, prévenez sans attendre votre administrateur.\n\n{signature}",
                Page::MySecurity
            ),
        )),
        _ => None,
    }
}

/// Before any change: an administrator who owes a second factor past its date adds one
/// first. Before a change that hands out access: an administrator with a second factor
/// whose session proved it longer ago than the settings allow proves it again first.
pub async fn check_fresh_factor(
    db: &Db,
    settings: &Settings,
    Administrator(actor): Administrator,
    change: &Change,
    factor_at: Option<i64>,
    at: i64,
) -> Result<(), ConsoleError> {
    use crate::account::second_factor::{overdue, required};
    let holder = crate::db::second_factor::Holder::User(actor.user_id);
    let has_factor = required(db, holder).await?;
    if !has_factor
        && overdue(
            crate::db::second_factor::due_at(db, actor.user_id).await?,
            at,
        )
    {
        return Err(ConsoleError::FactorOwed);
    }
    if !change.asks_a_fresh_factor() {
        return Ok(());
    }
    let window = settings.reauthentication_seconds;
    if crate::account::second_factor::proof_too_old(has_factor, factor_at, at, window) {
        return Err(ConsoleError::FreshFactor);
    }
    Ok(())
}

/// Applies a change to a user of the administrator's own establishment.
pub async fn change(
    db: &Db,
    settings: &Settings,
    mailer: &Mailer,
    Administrator(actor): Administrator,
    target: i64,
    change: Change,
    ip: &str,
) -> Result<(), ConsoleError> {
    if let Change::Refuse { reason } = &change {
        if reason.chars().count() > REASON_MAX_CHARS {
            return Err(ConsoleError::ReasonTooLong);
        }
    }
    if let Change::Validate { services } | Change::SetRights { services } = &change {
        let known = catalogue(db).await?;
        if let Some(unknown) = services
            .iter()
            .find(|s| !known.iter().any(|k| &k.code == *s))
        {
            return Err(ConsoleError::UnknownService(unknown.clone()));
        }
    }
    let notify = notification(&change, &settings.public_url, &settings.lender.signature());
    let details = match &change {
        Change::Validate { services } | Change::SetRights { services } => services.join(","),
        Change::Refuse { reason } => reason.trim().to_owned(),
        _ => String::new(),
    };
    let applied = sql::apply(
        db,
        actor,
        target,
        &change,
        notify.as_ref().map(|(s, b)| (s.as_str(), b.as_str())),
        ip,
        &details,
    )
    .await?;
    match applied {
        Applied::Done { .. } => {
            mailer.send_queued();
            Ok(())
        }
        Applied::NotFound => Err(ConsoleError::NotFound),
        Applied::LastAdministrator => Err(ConsoleError::LastAdministrator),
        Applied::NotAdministrator => Err(ConsoleError::NotAdministrator),
        Applied::ForTheLender => Err(ConsoleError::ForTheLender),
    }
}

/// "Mes habilitations" of any signed-in active user.
pub async fn my_rights(
    db: &Db,
    FullSession(session): &FullSession,
) -> Result<MyRights, ConsoleError> {
    let Some(standing) = sql::standing(db, session.user_id).await? else {
        return Err(ConsoleError::SignedOut);
    };
    let establishment_id = standing.establishment_id;
    if !standing.status.is_active() {
        return Err(ConsoleError::NotActive);
    }
    let mine: Vec<String> = sql::rights(db, establishment_id)
        .await?
        .into_iter()
        .filter(|(user, _)| *user == session.user_id)
        .map(|(_, code)| code)
        .collect();
    let services = catalogue(db)
        .await?
        .into_iter()
        .filter(|s| mine.contains(&s.code))
        .collect();
    let administrators = sql::administrator_names(db, establishment_id)
        .await?
        .into_iter()
        .map(|(civility, first, last)| format!("{civility} {first} {last}"))
        .collect();
    Ok(MyRights {
        services,
        administrators,
    })
}
