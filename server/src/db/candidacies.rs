//! The statements that end a candidacy: one per effect of the [`Closing`] that
//! `domain::candidacy` decides for each [`Ending`].
//!
//! [`Closing`]: crate::domain::candidacy::Closing
//! [`Ending`]: crate::domain::candidacy::Ending

/// The account leaves the candidate status, if it is still in it (`$4`): the first
/// ending wins. An administrator activated owes a second factor from then on. Returns the
/// establishment and the e-mail address, for what follows.
pub(crate) const ACCOUNT: &str = "UPDATE users SET status = $3, updated_at = $2, \
    second_factor_due_at = CASE WHEN $3 = 'active' AND role = 'administrator' THEN $2 \
    ELSE second_factor_due_at END \
    WHERE id = $1 AND status = $4 RETURNING establishment_id, email";
pub(crate) const SPEND_CODE: &str =
    "UPDATE temporary_passwords SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL";
pub(crate) const DISPATCH_QUEUED_LETTERS: &str = "UPDATE letters SET status = 'dispatched', \
    dispatched_at = $2, temporary_password = NULL, opposition_code = NULL \
    WHERE user_id = $1 AND status = 'queued'";
pub(crate) const CANCEL_QUEUED_LETTERS: &str = "UPDATE letters SET status = 'cancelled', \
    cancelled_at = $2, temporary_password = NULL, opposition_code = NULL \
    WHERE user_id = $1 AND status = 'queued'";
pub(crate) const EVERY_RIGHT: &str =
    "INSERT INTO user_rights (user_id, service_code) SELECT $1, code FROM services";
/// The establishment's candidates whose code has expired (at most one).
pub(crate) const EXPIRED: &str = "SELECT u.id FROM users u \
    JOIN temporary_passwords t ON t.user_id = u.id \
    WHERE u.establishment_id = $1 AND u.status = $3 AND t.expires_at < $2";

/// Ends the candidacy of `$user_id` as `$ending` says, in the transaction `$tx`, at `$at`.
/// Evaluates to the candidacy's (establishment id, e-mail address), or `None` when it was
/// no longer open (nothing is changed then). Notifying the candidate and auditing are the
/// caller's, who knows what to say.
macro_rules! close {
    ($tx:expr, $user_id:expr, $ending:expr, $at:expr) => {{
        use $crate::db::candidacies as sql;
        let ending: $crate::domain::candidacy::Ending = $ending;
        let closing = ending.closing();
        let user_id: i64 = $user_id;
        let closed: Option<(i64, String)> = sqlx::query_as(sql::ACCOUNT)
            .bind(user_id)
            .bind($at)
            .bind(closing.account.as_db())
            .bind($crate::domain::candidacy::Ending::OPEN.as_db())
            .fetch_optional(&mut *$tx)
            .await?;
        if closed.is_some() {
            if closing.spend_code {
                sqlx::query(sql::SPEND_CODE)
                    .bind(user_id)
                    .bind($at)
                    .execute(&mut *$tx)
                    .await?;
            }
            let letters = if closing.letters_dispatched {
                sql::DISPATCH_QUEUED_LETTERS
            } else {
                sql::CANCEL_QUEUED_LETTERS
            };
            sqlx::query(letters)
                .bind(user_id)
                .bind($at)
                .execute(&mut *$tx)
                .await?;
            if closing.end_sessions {
                sqlx::query($crate::db::sessions::END_ALL_OF_USER)
                    .bind(user_id)
                    .execute(&mut *$tx)
                    .await?;
            }
            if closing.every_right {
                sqlx::query(sql::EVERY_RIGHT)
                    .bind(user_id)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        closed
    }};
}
pub(crate) use close;

/// Ends, as expired, the candidacy of the establishment `$establishment_id` whose code
/// has expired by `$at`, if any.
macro_rules! close_expired {
    ($tx:expr, $establishment_id:expr, $at:expr) => {{
        let expired: Vec<i64> = sqlx::query_scalar($crate::db::candidacies::EXPIRED)
            .bind($establishment_id)
            .bind($at)
            .bind($crate::domain::candidacy::Ending::OPEN.as_db())
            .fetch_all(&mut *$tx)
            .await?;
        for user_id in expired {
            $crate::db::candidacies::close!(
                $tx,
                user_id,
                $crate::domain::candidacy::Ending::Expired,
                $at
            );
        }
    }};
}
pub(crate) use close_expired;
