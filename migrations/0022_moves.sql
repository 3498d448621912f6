-- Change-of-address imports (apply-moves). The uploaded file and its reject report live in file
-- storage under file_key / reject_key until purge-expired removes them; the counts stay.
CREATE TABLE IF NOT EXISTS move_imports (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  original_name    text NOT NULL,
  file_key         text NOT NULL,
  sha256           text NOT NULL,
  uploaded_by      text NOT NULL,
  uploaded_at      timestamptz NOT NULL DEFAULT now(),
  status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  started_at       timestamptz,
  completed_at     timestamptz,
  rows_in          integer,
  rows_applied     integer,
  rows_already     integer,
  rows_rejected    integer,
  choices_ended    integer,
  choices_carried  integer,
  reject_key       text,
  error            text,
  files_purged_at  timestamptz
);

-- One row per distinct move ever applied: the fingerprint makes re-importing a file harmless.
CREATE TABLE IF NOT EXISTS moves (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fingerprint     text NOT NULL UNIQUE,
  import_id       integer REFERENCES move_imports (id),
  line            integer NOT NULL,
  old_key         text NOT NULL,
  new_key         text,
  move_date       date NOT NULL,
  move_type       text NOT NULL CHECK (move_type IN ('individual', 'family')),
  choices_follow  boolean NOT NULL,
  applied_at      timestamptz NOT NULL DEFAULT now()
);
