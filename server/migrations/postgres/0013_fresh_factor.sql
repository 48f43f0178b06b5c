-- When the session last proved a second factor (PRODUCT.md §3bis): at sign-in, or again
-- before a sensitive action once that proof is older than REAUTHENTICATION_MINUTES.
ALTER TABLE sessions ADD COLUMN factor_at BIGINT;
