//! A person's rights over their data (PRODUCT.md §12; RGPD articles 15, 16, 17 and 20):
//! seeing and downloading what is kept ("Mes données"), correcting it, closing their
//! account; and operators erasing a person on request. SQL lives in `db::my_data`.

use inscription_shared::my_data::{Correction, MyData, LAST_ADMINISTRATOR};
use inscription_shared::FieldError;

use crate::db::my_data::{self as sql, Erased, Erasure};
use crate::db::Db;
use crate::lender::Lender;
use crate::session::FullSession;
use crate::settings::Settings;

#[derive(Debug, thiserror::Error)]
pub enum MyDataError {
    #[error("Votre compte n’est plus actif. Connectez-vous de nouveau.")]
    Gone,
    #[error("Certains champs sont à corriger.")]
    Invalid(Vec<FieldError>),
    #[error("{}", LAST_ADMINISTRATOR)]
    LastAdministrator,
    #[error("C’est le dernier administrateur actif de son établissement\u{a0}: re-désignez d’abord l’établissement, puis effacez ses données.")]
    OnlyAdministrator,
    #[error("Cette personne est candidate administratrice\u{a0}: annulez d’abord sa candidature (son courrier), puis effacez ses données.")]
    Candidate,
    #[error("Ce compte n’existe pas ou ses données sont déjà effacées.")]
    NotFound,
    #[error(
        "Indiquez le motif (500 caractères au plus)\u{a0}: il est gardé dans le journal d’audit."
    )]
    Reason,
    #[error("erreur de base de données")]
    Database(#[from] sqlx::Error),
}

/// Everything kept about the signed-in person (article 15; its JSON is the copy of
/// article 20). A download (from the address `downloaded_from`) is audited.
pub async fn export(
    db: &Db,
    FullSession(session): &FullSession,
    downloaded_from: Option<&str>,
) -> Result<MyData, MyDataError> {
    let user_id = session.user_id;
    let data = sql::export(db, user_id).await?.ok_or(MyDataError::Gone)?;
    if let Some(ip) = downloaded_from {
        crate::db::audit::append(
            db,
            &crate::db::audit::AuditEvent {
                action: "account.data_downloaded",
                actor: format!("user:{user_id}"),
                ip: ip.into(),
                establishment_id: None,
                user_id: Some(user_id),
                details: "copie de ses données téléchargée (JSON)".into(),
            },
        )
        .await?;
    }
    Ok(data)
}

/// Corrects the person's name, civility, job title and phone (article 16), with the
/// registration's own rules; the audit trail names the fields that changed.
pub async fn correct(
    db: &Db,
    FullSession(session): &FullSession,
    correction: &Correction,
    ip: &str,
) -> Result<(), MyDataError> {
    let user_id = session.user_id;
    let corrected = correction.validate().map_err(MyDataError::Invalid)?;
    let before = sql::identity(db, user_id).await?.ok_or(MyDataError::Gone)?;
    let after = sql::Identity {
        civility: corrected.civility.label().into(),
        last_name: corrected.last_name.as_str().into(),
        first_name: corrected.first_name.as_str().into(),
        job_title: corrected.job_title.as_str().into(),
        phone: corrected.phone.as_str().into(),
    };
    if before == after {
        return Ok(());
    }
    let changed: Vec<&str> = [
        ("civilité", before.civility != after.civility),
        ("nom", before.last_name != after.last_name),
        ("prénom", before.first_name != after.first_name),
        ("fonction", before.job_title != after.job_title),
        ("téléphone", before.phone != after.phone),
    ]
    .into_iter()
    .filter_map(|(field, differs)| differs.then_some(field))
    .collect();
    let details = format!("corrigé par la personne\u{a0}: {}", changed.join(", "));
    if sql::correct(db, user_id, &corrected, ip, &details).await? {
        Ok(())
    } else {
        Err(MyDataError::Gone)
    }
}

/// Closes the signed-in person's account and erases their data (article 17), unless they
/// are their establishment's last active administrator.
pub async fn close(
    db: &Db,
    settings: &Settings,
    FullSession(session): &FullSession,
    ip: &str,
) -> Result<(), MyDataError> {
    let user_id = session.user_id;
    let (subject, body) = closing_notice(
        "vous avez fermé votre compte depuis «\u{a0}Mes données\u{a0}».",
        &settings.lender,
    );
    let erasure = Erasure {
        action: "account.closed",
        actor: &format!("user:{user_id}"),
        ip,
        details: "compte fermé par la personne, données effacées",
        notice: (&subject, &body),
    };
    match sql::erase(db, user_id, &erasure).await? {
        Erased::Done => Ok(()),
        Erased::LastAdministrator => Err(MyDataError::LastAdministrator),
        Erased::NotFound | Erased::Candidate => Err(MyDataError::Gone),
    }
}

/// An operator erases a person on their request (article 17), with the reason kept in the
/// audit trail; never a candidate (cancel the candidacy first) nor an establishment's last
/// active administrator (re-designate first).
pub async fn erase_on_request(
    db: &Db,
    settings: &Settings,
    operator_actor: &str,
    user_id: i64,
    reason: &str,
    ip: &str,
) -> Result<(), MyDataError> {
    let reason = crate::back_office::reason(reason).map_err(|_| MyDataError::Reason)?;
    let (subject, body) = closing_notice(
        "nous avons effacé vos données à votre demande.",
        &settings.lender,
    );
    let erasure = Erasure {
        action: "account.erased",
        actor: operator_actor,
        ip,
        details: &format!(
            "données effacées à la demande de la personne\u{a0}; motif\u{a0}: {reason}"
        ),
        notice: (&subject, &body),
    };
    match sql::erase(db, user_id, &erasure).await? {
        Erased::Done => Ok(()),
        Erased::NotFound => Err(MyDataError::NotFound),
        Erased::LastAdministrator => Err(MyDataError::OnlyAdministrator),
        Erased::Candidate => Err(MyDataError::Candidate),
    }
}

/// The e-mail that tells the person their account is closed and their data erased.
fn closing_notice(why: &str, lender: &Lender) -> (String, String) {
    (
        "Votre compte aux services en ligne est fermé".into(),
        format!(
            "Bonjour,\n\nVotre compte aux services en ligne des prêts sur fonds d’épargne est fermé et vos données sont effacées\u{a0}: {why}\nLe journal de sécurité n’en garde qu’une trace sans votre nom ni votre adresse.\n\nSi vous n’êtes pas à l’origine de cette demande, appelez le numéro vert {}.\n\n{}",
            lender.free_phone(),
            lender.signature()
        ),
    )
}
