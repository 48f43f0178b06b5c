-- The establishment directory, loaded by operators from CSV (PRODUCT.md §9).
-- Times are Unix seconds, the same type on SQLite and PostgreSQL.
CREATE TABLE establishments (
    id INTEGER PRIMARY KEY,
    client_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    legal_representative_title TEXT NOT NULL,
    address_line1 TEXT NOT NULL,
    address_line2 TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'closed')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
