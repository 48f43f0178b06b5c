-- Abuse resistance (issue 12).

-- Wrong tries of a letter's code are counted and shown, and never lock it.
ALTER TABLE temporary_passwords ADD COLUMN last_failed_at BIGINT;

-- E-mails are tried again with a growing delay, then abandoned (shown to operators); a
-- single-use link is made only when the e-mail is sent, so that no stored body holds one.
ALTER TABLE emails ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE emails ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE emails ADD COLUMN failed_at BIGINT;
ALTER TABLE emails ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE emails ADD COLUMN link_kind TEXT CHECK (link_kind IN ('password_reset', 'email_verification'));
ALTER TABLE emails ADD COLUMN link_user_id BIGINT REFERENCES users (id);
ALTER TABLE emails ADD COLUMN link_expires_at BIGINT;
CREATE INDEX emails_due ON emails (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX emails_created ON emails (created_at);
-- Bodies stored before this held their link's token (40 characters after "jeton="):
-- the links stay valid for whoever received them, the copies here go.
UPDATE emails SET body = substr(body, 1, strpos(body, 'jeton=') + 5) || '(lien retiré)' || substr(body, strpos(body, 'jeton=') + 46)
    WHERE strpos(body, 'jeton=') > 0;

-- First-user registrations per client address, for the operators' view of squatting.
CREATE INDEX audit_events_action ON audit_events (action, at);
