-- Error events from the app's telemetry (Sentry envelopes), grouped into issues by fingerprint.
CREATE TABLE telemetry_issues (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  title TEXT NOT NULL,
  culprit TEXT,
  level TEXT,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  count INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE telemetry_events (
  event_id TEXT PRIMARY KEY,
  issue_id INTEGER NOT NULL REFERENCES telemetry_issues (id) ON DELETE CASCADE,
  received_at INTEGER NOT NULL,
  release TEXT,
  environment TEXT,
  user_key TEXT,
  payload TEXT NOT NULL
) STRICT;
CREATE INDEX telemetry_events_issue ON telemetry_events (issue_id, received_at);
