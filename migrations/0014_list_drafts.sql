-- A list uploaded in the portal waits as a draft while the mailer checks the columns it will be
-- read by; it is queued when they confirm. An API upload is queued at once.
ALTER TABLE list_jobs DROP CONSTRAINT IF EXISTS list_jobs_status_check;
ALTER TABLE list_jobs ADD CONSTRAINT list_jobs_status_check CHECK (status IN ('draft', 'queued', 'running', 'completed', 'failed'));
