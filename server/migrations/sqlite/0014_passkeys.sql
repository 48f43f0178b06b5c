-- Passkeys ("clés d'accès", WebAuthn, PRODUCT.md §3bis; server/src/account/passkeys.rs).
-- The same text runs on both databases.

-- A person's passkeys, as webauthn-rs keeps them (public key, signature counter), named by
-- the person. `user_handle` is the random id the authenticator keeps for the person (the
-- same for all their passkeys): it names nobody.
CREATE TABLE passkeys (
    credential_id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    user_handle TEXT NOT NULL,
    name TEXT NOT NULL,
    passkey TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- A passkey ceremony between its two requests: the challenge webauthn-rs must find again,
-- for one use and a few minutes, on whichever instance answers. `user_id` is empty for a
-- sign-in with a passkey alone (the passkey names the person).
CREATE TABLE passkey_ceremonies (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT REFERENCES users (id),
    purpose TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX passkey_ceremonies_expires ON passkey_ceremonies (expires_at);
