-- Schedules are defined here and mirrored into BullMQ job schedulers. BullMQ has no paused
-- scheduler, so a paused schedule keeps its row and its scheduler is removed until resumed.
CREATE TABLE IF NOT EXISTS schedules (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  kind        text NOT NULL,
  pattern     text NOT NULL,
  tz          text NOT NULL DEFAULT 'UTC',
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  paused      boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per attempt of any job, written from worker events, so the history outlives BullMQ's
-- own job retention in Redis. A failed run can be retried from its stored name and data.
CREATE TABLE IF NOT EXISTS job_runs (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind           text NOT NULL,
  job_id         text NOT NULL,
  job_name       text NOT NULL,
  schedule_id    integer REFERENCES schedules (id) ON DELETE SET NULL,
  attempt        integer NOT NULL,
  data           jsonb NOT NULL DEFAULT '{}'::jsonb,
  started_at     timestamptz NOT NULL,
  finished_at    timestamptz,
  outcome        text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'completed', 'failed', 'interrupted')),
  result         jsonb,
  failure_reason text,
  will_retry     boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS job_runs_started ON job_runs (started_at DESC);
CREATE INDEX IF NOT EXISTS job_runs_job ON job_runs (kind, job_id);
CREATE INDEX IF NOT EXISTS job_runs_schedule ON job_runs (schedule_id, started_at DESC);
