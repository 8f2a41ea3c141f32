-- Every node serves sessions from memory and evicts one when told: a change to a session
-- (ended, structure or services switched, anything but its last activity) notifies
-- `gateway_sessions` with its token hash, delivered to every listening node at commit.
-- A trigger catches every writer (logout, back-channel logout, ending a session from the
-- account page, deactivation, purge); activity touches do not notify.
CREATE FUNCTION sessions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gateway_sessions', OLD.token_hash);
    RETURN NULL;
END;
$$;
CREATE TRIGGER sessions_notify_delete AFTER DELETE ON sessions
FOR EACH ROW EXECUTE FUNCTION sessions_notify();
CREATE TRIGGER sessions_notify_update AFTER UPDATE OF
    token_hash, sid, user_id, display_name, provider, idp_issuer, idp_subject, idp_sid,
    acr, amr, structure_id, services, created_at, expires_at, user_agent, ip
ON sessions
FOR EACH ROW EXECUTE FUNCTION sessions_notify();
