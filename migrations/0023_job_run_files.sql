-- Files a job read or wrote (its data's inputKey, its result's …Key fields) are deleted by
-- purge-expired after the retention window; the run and its counts stay, marked here.
ALTER TABLE job_runs ADD COLUMN IF NOT EXISTS files_purged_at timestamptz;
CREATE INDEX IF NOT EXISTS job_runs_unpurged ON job_runs (finished_at) WHERE files_purged_at IS NULL;
