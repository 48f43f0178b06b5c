-- The product as the OpenID Connect provider of the lender's online services (PRODUCT.md
-- §11, server/src/oidc/). The same text runs on both databases.

-- The keys that sign the ID tokens (ES256, PKCS#8 in base64). The newest key not retired
-- signs; a retired key stays published until the tokens it signed have expired.
CREATE TABLE oidc_keys (
    kid TEXT PRIMARY KEY,
    private_key TEXT NOT NULL,
    x TEXT NOT NULL,
    y TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);

-- The services that sign people in (relying parties). A service stands for one entry of
-- the rights catalogue: only the holders of a right on it get a token. No secret: a
-- public client, which proves itself with PKCE alone. Redirect URIs: one per line,
-- matched exactly.
CREATE TABLE oidc_clients (
    client_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    service_code TEXT NOT NULL,
    secret_hash TEXT,
    redirect_uris TEXT NOT NULL,
    post_logout_redirect_uris TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    secret_rotated_at BIGINT
);

-- Each person's `sub`: random, so that it says nothing of the account's id, and stable.
CREATE TABLE oidc_subjects (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    subject TEXT NOT NULL UNIQUE
);

-- One authorization: its single-use code, then the access token the code was exchanged
-- for. Both live only as long as the portal session they came from (`session_hash`).
CREATE TABLE oidc_grants (
    code_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES oidc_clients (client_id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    session_hash TEXT NOT NULL,
    sid TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    nonce TEXT,
    auth_time BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    code_expires_at BIGINT NOT NULL,
    redeemed_at BIGINT,
    access_hash TEXT UNIQUE,
    access_expires_at BIGINT
);
CREATE INDEX oidc_grants_sid ON oidc_grants (sid);
CREATE INDEX oidc_grants_created ON oidc_grants (created_at);
CREATE INDEX oidc_grants_user ON oidc_grants (user_id);
