-- The second factor (PRODUCT.md §3bis, server/src/account/second_factor.rs). The same text
-- runs on both databases.

-- A person's one-time code app: its secret (base32), unconfirmed until a first code is
-- typed back, and the last time step a code was accepted for (a code serves once).
CREATE TABLE totp_factors (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step BIGINT NOT NULL DEFAULT 0
);

-- Single-use recovery codes, kept hashed.
CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- A sign-in whose password was right and whose second factor is awaited: no session yet.
CREATE TABLE second_factor_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    expires_at BIGINT NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX second_factor_challenges_expires ON second_factor_challenges (expires_at);
