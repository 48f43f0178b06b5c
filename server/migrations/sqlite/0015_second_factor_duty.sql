-- An administrator must hold a second factor (PRODUCT.md §3bis): from this time on, their
-- console refuses changes until they add one. Set at activation and when a user is named
-- administrator (at once); for the administrators there were before this rule, the server
-- sets it at start, SECOND_FACTOR_GRACE_DAYS ahead. The same text runs on both databases.
ALTER TABLE users ADD COLUMN second_factor_due_at BIGINT;
