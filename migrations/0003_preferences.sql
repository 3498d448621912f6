-- Households' choices. preference_events is append-only and proves every change (who, when,
-- which category, from what to what); preferences is the current state, written in the same
-- transaction as its event. No preferences row means the household never answered: it accepts.
CREATE TABLE IF NOT EXISTS delivery_points (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key         text NOT NULL UNIQUE,
  line        text NOT NULL,
  city        text NOT NULL DEFAULT '',
  state       text NOT NULL DEFAULT '',
  zip5        text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS preference_events (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_point_id  bigint NOT NULL REFERENCES delivery_points (id),
  category_id        integer NOT NULL REFERENCES categories (id),
  accepted           boolean NOT NULL,
  -- the state before this event; NULL when the household had never answered (default: accepts)
  previous           boolean,
  source             text NOT NULL CHECK (source IN ('web', 'card', 'operator', 'move')),
  -- who: an access code id, an operator's email, an import file and row
  actor              text NOT NULL,
  -- groups the events of one submission (the reference number shown to the household)
  reference          text,
  at                 timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS preference_events_point ON preference_events (delivery_point_id, at);
CREATE INDEX IF NOT EXISTS preference_events_category_at ON preference_events (category_id, at);

CREATE TABLE IF NOT EXISTS preferences (
  delivery_point_id  bigint NOT NULL REFERENCES delivery_points (id),
  category_id        integer NOT NULL REFERENCES categories (id),
  accepted           boolean NOT NULL,
  updated_at         timestamptz NOT NULL,
  event_id           bigint NOT NULL REFERENCES preference_events (id),
  PRIMARY KEY (delivery_point_id, category_id)
);
CREATE INDEX IF NOT EXISTS preferences_category_refused ON preferences (category_id) WHERE NOT accepted;
