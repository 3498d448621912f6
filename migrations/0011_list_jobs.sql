-- One row per uploaded list and its cleanse job. The files themselves live in file storage under
-- lists/<id>/…; this row keeps the summary after the files are deleted.
CREATE TABLE IF NOT EXISTS list_jobs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  mailer_id       integer NOT NULL REFERENCES mailers (id),
  category_id     integer NOT NULL REFERENCES categories (id),
  list_name       text NOT NULL,
  mode            text NOT NULL CHECK (mode IN ('suppress', 'flag')),
  dedupe          boolean NOT NULL DEFAULT false,
  keep_unreadable boolean NOT NULL DEFAULT false,
  mapping         jsonb NOT NULL DEFAULT '{}',
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  input_bytes     bigint NOT NULL DEFAULT 0,
  input_sha256    text,
  output_sha256   text,
  rows_processed  bigint NOT NULL DEFAULT 0,
  bytes_processed bigint NOT NULL DEFAULT 0,
  rows_in         bigint,
  rows_kept       bigint,
  rows_discarded  bigint,
  discards        jsonb,
  summary         jsonb,
  snapshot_at     timestamptz,
  valid_until     timestamptz,
  error           text,
  attempts        integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz,
  files_deleted_at timestamptz
);
CREATE INDEX IF NOT EXISTS list_jobs_mailer ON list_jobs (mailer_id, created_at DESC);
CREATE INDEX IF NOT EXISTS list_jobs_status ON list_jobs (status);

-- The cleanse job reads one category's choices as of its snapshot time, point by point.
CREATE INDEX IF NOT EXISTS preference_events_category_point ON preference_events (category_id, delivery_point_id, at DESC, id DESC);
