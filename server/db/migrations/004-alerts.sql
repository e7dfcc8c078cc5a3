-- Alerts raised by the rules in server/monitoring/alerts.ts. A row is one episode: it opens when a
-- condition starts and closes (resolved_at) when it clears; at most one open row per rule and key.
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  rule TEXT NOT NULL,
  key TEXT NOT NULL,
  title TEXT NOT NULL,
  detail TEXT NOT NULL,
  value REAL,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  resolved_at INTEGER,
  -- Whether the webhook has accepted the firing and the resolved notice (retried until it does).
  sent_firing INTEGER NOT NULL DEFAULT 0,
  sent_resolved INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX alerts_open ON alerts (rule, key) WHERE resolved_at IS NULL;
CREATE INDEX alerts_started ON alerts (started_at);

-- The error-rate and new-error-type rules count events by time of arrival.
CREATE INDEX telemetry_events_received ON telemetry_events (received_at);
