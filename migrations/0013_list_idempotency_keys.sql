-- A mailer's Idempotency-Key on an upload: a retried upload with the same key finds the list the
-- first one made instead of starting a second job. Keys are per mailer; most uploads have none.
ALTER TABLE list_jobs ADD COLUMN IF NOT EXISTS idempotency_key text;
CREATE UNIQUE INDEX IF NOT EXISTS list_jobs_idempotency_key ON list_jobs (mailer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
