-- Point-in-time figures taken by the `statistics` job; the console charts them over time.
CREATE TABLE IF NOT EXISTS statistics_snapshots (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  taken_at  timestamptz NOT NULL DEFAULT now(),
  figures   jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS statistics_snapshots_taken_at ON statistics_snapshots (taken_at);
