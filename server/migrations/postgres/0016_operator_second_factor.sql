-- Operators sign in with a second factor too (PRODUCT.md §3bis): their one-time code app,
-- their recovery codes and their sign-ins waiting for a code, shaped as the users' tables
-- (0012) so that one set of statements serves both (db/second_factor.rs, `Holder`). Their
-- sessions say when they last proved it. The same text runs on both databases.

CREATE TABLE operator_totp_factors (
    operator_id BIGINT PRIMARY KEY REFERENCES operators (id),
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE operator_recovery_codes (
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (operator_id, code_hash)
);

CREATE TABLE operator_second_factor_challenges (
    token_hash TEXT PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    expires_at BIGINT NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX operator_second_factor_challenges_expires
    ON operator_second_factor_challenges (expires_at);

ALTER TABLE operator_sessions ADD COLUMN factor_at BIGINT;
