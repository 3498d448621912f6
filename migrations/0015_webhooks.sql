-- A mailer's webhook (mailers/webhook-settings-store.ts) and every attempt to deliver a list's
-- event to it (lists/webhooks/webhook-deliveries-store.ts).
CREATE TABLE IF NOT EXISTS mailer_webhooks (
  mailer_id         integer PRIMARY KEY REFERENCES mailers (id) ON DELETE CASCADE,
  url               text NOT NULL,
  sealed_secret     text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  secret_rotated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS list_webhook_deliveries (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  list_id      uuid NOT NULL REFERENCES list_jobs (id) ON DELETE CASCADE,
  event        text NOT NULL,
  attempt      integer NOT NULL,
  url          text NOT NULL,
  attempted_at timestamptz NOT NULL,
  status_code  integer,
  error        text,
  duration_ms  integer NOT NULL,
  delivered    boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS list_webhook_deliveries_list ON list_webhook_deliveries (list_id, id);
