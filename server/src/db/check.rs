//! The database's invariants, checked by `inscription-server check` (after a crash, a
//! restore, or any doubt): each is a query counting the rows that break it.

use super::{on_db, Db};

/// One invariant: what must hold, and the query counting what breaks it.
pub struct Invariant {
    pub rule: &'static str,
    sql: &'static str,
}

pub const INVARIANTS: &[Invariant] = &[
    Invariant {
        rule: "chaque candidat administrateur a un courrier en file ou envoyé",
        sql: "SELECT COUNT(*) FROM users u WHERE u.status = 'candidate' AND NOT EXISTS \
              (SELECT 1 FROM letters l WHERE l.user_id = u.id AND l.status IN ('queued', 'dispatched'))",
    },
    Invariant {
        rule: "chaque candidat administrateur a un mot de passe temporaire",
        sql: "SELECT COUNT(*) FROM users u WHERE u.status = 'candidate' AND NOT EXISTS \
              (SELECT 1 FROM temporary_passwords t WHERE t.user_id = u.id)",
    },
    Invariant {
        rule: "chaque courrier en file appartient à un candidat administrateur",
        sql: "SELECT COUNT(*) FROM letters l WHERE l.status = 'queued' AND NOT EXISTS \
              (SELECT 1 FROM users u WHERE u.id = l.user_id AND u.status = 'candidate')",
    },
    Invariant {
        rule: "au plus un candidat administrateur par établissement",
        sql: "SELECT COUNT(*) FROM (SELECT establishment_id FROM users WHERE status = 'candidate' \
              GROUP BY establishment_id HAVING COUNT(*) > 1) AS doubles",
    },
    Invariant {
        rule: "au plus un courrier en file par établissement",
        sql: "SELECT COUNT(*) FROM (SELECT establishment_id FROM letters WHERE status = 'queued' \
              GROUP BY establishment_id HAVING COUNT(*) > 1) AS doubles",
    },
    Invariant {
        rule: "un courrier envoyé ou annulé ne garde aucun code en clair",
        sql: "SELECT COUNT(*) FROM letters WHERE status <> 'queued' \
              AND (temporary_password IS NOT NULL OR opposition_code IS NOT NULL)",
    },
    Invariant {
        rule: "un courrier est adressé au candidat de son propre établissement",
        sql: "SELECT COUNT(*) FROM letters l WHERE NOT EXISTS (SELECT 1 FROM users u \
              WHERE u.id = l.user_id AND u.establishment_id = l.establishment_id)",
    },
    Invariant {
        rule: "chaque compte actif a un mot de passe",
        sql: "SELECT COUNT(*) FROM users WHERE status = 'active' AND password_hash IS NULL",
    },
    Invariant {
        rule: "un compte effacé est clos et ne garde aucune donnée personnelle",
        sql: "SELECT COUNT(*) FROM users WHERE erased_at IS NOT NULL \
              AND (status NOT IN ('refused', 'cancelled') OR email <> '' OR civility <> '' \
                   OR first_name <> '' OR last_name <> '' OR job_title <> '' OR phone <> '' \
                   OR password_hash IS NOT NULL)",
    },
    Invariant {
        rule: "aucun compte sans établissement",
        sql: "SELECT COUNT(*) FROM users u WHERE NOT EXISTS \
              (SELECT 1 FROM establishments e WHERE e.id = u.establishment_id)",
    },
    Invariant {
        rule: "aucune donnée orpheline (mots de passe temporaires, sessions, habilitations, \
               liens de vérification ou de réinitialisation sans compte)",
        sql: "SELECT (SELECT COUNT(*) FROM temporary_passwords t WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id)) \
              + (SELECT COUNT(*) FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)) \
              + (SELECT COUNT(*) FROM user_rights r WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id)) \
              + (SELECT COUNT(*) FROM email_verifications v WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = v.user_id)) \
              + (SELECT COUNT(*) FROM password_resets p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id)) \
              + (SELECT COUNT(*) FROM operator_sessions o WHERE NOT EXISTS (SELECT 1 FROM operators p WHERE p.id = o.operator_id))",
    },
];

/// Each invariant with the number of rows that break it (0 when it holds).
pub async fn run(db: &Db) -> Result<Vec<(&'static Invariant, i64)>, sqlx::Error> {
    let mut found = Vec::with_capacity(INVARIANTS.len());
    for invariant in INVARIANTS {
        let broken: i64 =
            on_db!(db, pool => sqlx::query_scalar(invariant.sql).fetch_one(pool).await)?;
        found.push((invariant, broken));
    }
    Ok(found)
}
