-- Registration (PRODUCT.md §2–§4): users, the letters queued for operators, e-mail
-- verification, e-mails waiting to be sent, the audit trail, and the shared state that
-- must hold across instances (CAPTCHA uses, rate limits, the signing secret).

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    email TEXT NOT NULL,
    civility TEXT NOT NULL,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    job_title TEXT NOT NULL,
    phone TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'user')),
    -- candidate: waits for the letter's code; email_unverified, pending: case 2 request.
    status TEXT NOT NULL CHECK (status IN ('candidate', 'email_unverified', 'pending',
        'active', 'disabled', 'refused', 'cancelled')),
    password_hash TEXT,
    -- The step-1 ticket that created the account: a repeated submission finds it again.
    registration_ticket TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- At most one administrator candidate per establishment, whatever the concurrency.
CREATE UNIQUE INDEX users_one_candidate ON users (establishment_id) WHERE status = 'candidate';
-- One live account or request per person and establishment.
CREATE UNIQUE INDEX users_one_live_account ON users (establishment_id, email)
    WHERE status NOT IN ('refused', 'cancelled');

-- The temporary password of a candidate: only its hash (PRODUCT.md §3).
CREATE TABLE temporary_passwords (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    password_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    used_at BIGINT
);

-- Postal letters to the legal representative. The plain code lives here only until the
-- letter is dispatched (then NULL); the PDF is rendered from this row.
CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    establishment_id BIGINT NOT NULL REFERENCES establishments (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('queued', 'dispatched', 'cancelled')),
    temporary_password TEXT,
    code_expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    dispatched_at BIGINT
);
CREATE UNIQUE INDEX letters_one_queued ON letters (establishment_id) WHERE status = 'queued';

-- Single-use e-mail verification links: only the token's hash is kept.
CREATE TABLE email_verifications (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- E-mails: sent over SMTP when configured, otherwise kept here for the operators.
CREATE TABLE emails (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);

-- Append-only audit trail of security-relevant events.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    ip TEXT NOT NULL,
    establishment_id BIGINT,
    user_id BIGINT,
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_establishment ON audit_events (establishment_id, at);

-- CAPTCHA tokens already used, until they expire (single use on every instance).
CREATE TABLE captcha_uses (
    token_key TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

-- Fixed-window counters shared by all instances.
CREATE TABLE rate_limits (
    bucket TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- Server-wide settings, such as the signing secret every instance shares.
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
