CREATE TABLE "event_streams" (
	"kind" text PRIMARY KEY NOT NULL,
	"stream" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sale_emails" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "order_emails" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- The fields of a user.created / user.changed event (wire format: flat strings), from the row as it now is.
CREATE FUNCTION user_event_fields(u users, kind text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'version', '1',
    'event_id', gen_random_uuid()::text,
    'type', kind,
    'user_id', u.id::text,
    'email', u.email,
    'username', u.username,
    'role', u.role,
    'sale_emails', u.sale_emails::text,
    'order_emails', u.order_emails::text,
    'email_verified', u.email_verified::text,
    'occurred_at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
$$;
--> statement-breakpoint
-- Every insert, and every update of what the other services keep a copy of, puts its event in the
-- outbox in the same transaction: no code path (sign-up, admin, demo seed, CLI) can forget it.
-- An erased account publishes user.deleted from the code instead.
CREATE FUNCTION publish_user_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.deleted_at IS NOT NULL THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.email, NEW.username, NEW.role, NEW.sale_emails, NEW.order_emails, NEW.email_verified)
      IS NOT DISTINCT FROM (OLD.email, OLD.username, OLD.role, OLD.sale_emails, OLD.order_emails, OLD.email_verified) THEN
    RETURN NULL;
  END IF;
  INSERT INTO outbox (stream, fields)
  SELECT coalesce((SELECT stream FROM event_streams WHERE kind = 'user'), 'user_events_stream'),
    user_event_fields(NEW, CASE TG_OP WHEN 'INSERT' THEN 'user.created' ELSE 'user.changed' END);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_publish_change AFTER INSERT OR UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION publish_user_change();
--> statement-breakpoint
-- Backfill: every account that exists before this migration is announced once (user.changed), so
-- the notifications worker starts with a copy of every recipient. A stream configured under another
-- name than the default gets them again with the statement in the README (Notifications).
INSERT INTO outbox (stream, fields)
SELECT 'user_events_stream', user_event_fields(u, 'user.changed') FROM users AS u WHERE u.deleted_at IS NULL;
