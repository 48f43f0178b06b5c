-- The periodic sweep (server/src/db/sweep.rs) deletes by expiry and by window start.
CREATE INDEX captcha_uses_expires ON captcha_uses (expires_at);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
