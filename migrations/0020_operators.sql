-- Operator accounts, their server-side sessions and the audit trail of what each operator did.
CREATE TABLE IF NOT EXISTS operators (
  id                    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email                 text NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash         text NOT NULL,
  -- set for a one-time password: the operator must choose a new one at the next sign-in
  must_change_password  boolean NOT NULL DEFAULT true,
  created_at            timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at       timestamptz,
  disabled_at           timestamptz
);

-- Only the SHA-256 of the session cookie is stored: a database dump does not hand out sessions.
CREATE TABLE IF NOT EXISTS operator_sessions (
  token_hash    text PRIMARY KEY,
  operator_id   integer NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS operator_sessions_operator ON operator_sessions (operator_id);

-- Append-only: who (an operator's email, or cli:<user>), what, when, on what.
CREATE TABLE IF NOT EXISTS operator_audit (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  operator_id  integer REFERENCES operators (id),
  actor        text NOT NULL,
  action       text NOT NULL,
  target_type  text NOT NULL,
  target_id    text NOT NULL,
  details      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS operator_audit_at ON operator_audit (at DESC);
