-- Bulk mailers and their API keys. A key is shown once when created; only its SHA-256 is kept,
-- with a short public prefix to find the row (and to name the key when revoking it).
CREATE TABLE IF NOT EXISTS mailers (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS api_keys (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  mailer_id   integer NOT NULL REFERENCES mailers (id),
  prefix      text NOT NULL UNIQUE,
  hash        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX IF NOT EXISTS api_keys_mailer ON api_keys (mailer_id);
