-- Household web sessions moved to Redis (short-lived, no durable commit needed); see
-- src/choices/recipient-sessions-store.ts.
DROP TABLE IF EXISTS recipient_sessions;
