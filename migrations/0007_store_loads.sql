-- The national loader (mailpref store load FILE): an operator's delivery-point file, loaded with
-- COPY into a temporary staging table and written set-based into delivery_points,
-- preference_events and preferences (src/choices/store-load-store.ts). Its choices are events
-- like any other, with source 'load' (actor: the file and line), so they are provable as the
-- form's and the cards' are.
ALTER TABLE preference_events DROP CONSTRAINT IF EXISTS preference_events_source_check;
ALTER TABLE preference_events ADD CONSTRAINT preference_events_source_check
  CHECK (source IN ('web', 'card', 'operator', 'move', 'load'));

CREATE TABLE IF NOT EXISTS store_loads (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  file_name       text NOT NULL,
  sha256          text NOT NULL,
  rows_in         bigint NOT NULL,
  loaded          bigint NOT NULL,
  rejected        bigint NOT NULL,
  points_created  bigint NOT NULL,
  events_written  bigint NOT NULL,
  loaded_at       timestamptz NOT NULL DEFAULT now()
);
