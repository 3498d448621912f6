-- Mailer portal sessions: the browser holds a random token, we keep its SHA-256. A session is
-- tied to the API key it was opened with, so revoking the key ends the session at once.
CREATE TABLE IF NOT EXISTS mailer_sessions (
  token_hash  text PRIMARY KEY,
  api_key_id  integer NOT NULL REFERENCES api_keys (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS mailer_sessions_expires ON mailer_sessions (expires_at);
