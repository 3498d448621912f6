-- Postcard codes, the lost-card queue, recipient web sessions and returned-card imports.

-- One postcard run (a file of addresses, or the queued lost-card requests).
CREATE TABLE IF NOT EXISTS postcard_batches (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source        text NOT NULL,
  rows_in       integer NOT NULL DEFAULT 0,
  printed       integer NOT NULL DEFAULT 0,
  rejected      integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);

-- The code printed on a card. Only a keyed hash (HMAC-SHA-256 with the server secret) is kept,
-- so a copy of the database does not let anyone use the codes.
CREATE TABLE IF NOT EXISTS access_codes (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_point_id  bigint NOT NULL REFERENCES delivery_points (id),
  code_hash          text NOT NULL UNIQUE,
  batch_id           bigint REFERENCES postcard_batches (id),
  issued_at          timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  revoked_at         timestamptz
);
-- At most one live code per address: issuing a new card revokes the old code first.
CREATE UNIQUE INDEX IF NOT EXISTS access_codes_one_live ON access_codes (delivery_point_id) WHERE revoked_at IS NULL;

-- "I didn't get a card / I lost it": picked up by the next issue-postcards run. Holds the address
-- only (no name, no contact details), and never says whether the address is known.
CREATE TABLE IF NOT EXISTS postcard_requests (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key           text NOT NULL,
  line          text NOT NULL,
  city          text NOT NULL DEFAULT '',
  state         text NOT NULL DEFAULT '',
  zip5          text NOT NULL DEFAULT '',
  requested_at  timestamptz NOT NULL DEFAULT now(),
  batch_id      bigint REFERENCES postcard_batches (id)
);
CREATE UNIQUE INDEX IF NOT EXISTS postcard_requests_one_pending ON postcard_requests (key) WHERE batch_id IS NULL;

-- A household's web session after it entered a valid code. The browser holds a random token in a
-- cookie; the table holds its SHA-256 only. The code itself is never stored here nor in the cookie.
CREATE TABLE IF NOT EXISTS recipient_sessions (
  token_hash         text PRIMARY KEY,
  access_code_id     bigint NOT NULL REFERENCES access_codes (id),
  delivery_point_id  bigint NOT NULL REFERENCES delivery_points (id),
  last_reference     text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS recipient_sessions_expires ON recipient_sessions (expires_at);

-- One returned-card scanner file; its SHA-256 makes a re-import a no-op.
CREATE TABLE IF NOT EXISTS card_imports (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sha256       text NOT NULL UNIQUE,
  file_name    text NOT NULL,
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  rows_in      integer NOT NULL DEFAULT 0,
  applied      integer NOT NULL DEFAULT 0,
  rejected     integer NOT NULL DEFAULT 0,
  error        text,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

-- One row of a card file, written in the same transaction as the choices it applied, so that a
-- retried import (worker killed mid-way) skips the rows already done.
CREATE TABLE IF NOT EXISTS card_import_rows (
  import_id  bigint NOT NULL REFERENCES card_imports (id),
  line       integer NOT NULL,
  outcome    text NOT NULL CHECK (outcome IN ('applied', 'rejected')),
  reason     text,
  message    text,
  code_hint  text,
  reference  text,
  PRIMARY KEY (import_id, line)
);
