-- Retention (PRODUCT.md §12, server/src/retention.rs): personal data past its duration is
-- erased by the periodic sweep.

-- An erased account keeps its row (letters and the audit trail point to it), with nothing
-- left about the person.
ALTER TABLE users ADD COLUMN erased_at BIGINT;
CREATE INDEX users_closed ON users (updated_at)
    WHERE status IN ('email_unverified', 'refused', 'cancelled') AND erased_at IS NULL;

-- Audit events past their duration keep what happened, when, and the pseudonymous ids of
-- who and on what; they lose the address and the free-text details. That one update is
-- the only change the trail accepts.
ALTER TABLE audit_events ADD COLUMN pseudonymised_at BIGINT;
CREATE INDEX audit_events_identified ON audit_events (at) WHERE pseudonymised_at IS NULL;
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.pseudonymised_at IS NULL AND NEW.pseudonymised_at IS NOT NULL
        AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
        AND NEW.actor = OLD.actor
        AND NEW.establishment_id IS NOT DISTINCT FROM OLD.establishment_id
        AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id AND NEW.ip = '' AND NEW.details = ''
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;

CREATE INDEX contact_messages_handled ON contact_messages (handled_at) WHERE status = 'handled';
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_created ON sessions (created_at);
CREATE INDEX operator_sessions_last_seen ON operator_sessions (last_seen_at);
CREATE INDEX operator_sessions_created ON operator_sessions (created_at);
CREATE INDEX email_verifications_expires ON email_verifications (expires_at);
CREATE INDEX password_resets_expires ON password_resets (expires_at);
