-- History for the Monitoring page and the alert rules: the gateway's own figures per minute
-- (written by server/monitoring/sampler.ts) and the browser's inference aggregates per minute of
-- receipt. Latency buckets are JSON arrays of counts per bound, not cumulative, +Inf last
-- (server/monitoring/histogram.ts). Rows older than 30 days are pruned by housekeeping.
CREATE TABLE monitor_minutes (
  minute INTEGER PRIMARY KEY,
  requests INTEGER NOT NULL,
  server_errors INTEGER NOT NULL,
  latency_buckets TEXT NOT NULL,
  sync_in_bytes INTEGER NOT NULL,
  sync_out_bytes INTEGER NOT NULL,
  sync_failures INTEGER NOT NULL
) STRICT;

CREATE TABLE inference_minutes (
  minute INTEGER NOT NULL,
  task TEXT NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  count INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  sum_ms REAL NOT NULL,
  buckets TEXT NOT NULL,
  PRIMARY KEY (minute, task, model, provider)
) STRICT;
