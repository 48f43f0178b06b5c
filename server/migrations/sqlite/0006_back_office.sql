-- The operators' back office (PRODUCT.md §4, §9): operator accounts and their sessions,
-- the "not you?" code of each letter, contact messages, and an audit trail that refuses
-- to be rewritten.

-- The lender's staff, created from the command line only.
CREATE TABLE operators (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Same cookie, same timeouts as the establishments' sessions; only the token's hash.
CREATE TABLE operator_sessions (
    token_hash TEXT PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

-- "Not you?": the legal representative cancels a candidacy with this code from the letter.
-- Like the temporary password, the plain code lives only in the queued letter; the hash stays.
ALTER TABLE letters ADD COLUMN opposition_code TEXT;
ALTER TABLE letters ADD COLUMN opposition_code_hash TEXT;
ALTER TABLE letters ADD COLUMN cancelled_at BIGINT;
CREATE INDEX letters_opposition ON letters (opposition_code_hash);

-- The online contact form's messages, worked by operators.
CREATE TABLE contact_messages (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    client_number TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    ip TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'handled')),
    created_at BIGINT NOT NULL,
    handled_at BIGINT,
    handled_by BIGINT REFERENCES operators (id)
);

CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX users_email ON users (email);

-- Append-only: no update or delete reaches the audit trail, whoever asks.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
