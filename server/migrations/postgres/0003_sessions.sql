-- Server-side sessions (PRODUCT.md §3): valid on every instance; only the token's hash
-- is stored. An 'activation' session may only choose the account's own password.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('activation', 'full')),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
