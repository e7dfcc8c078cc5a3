-- History for the Monitoring page and the alert rules: the gateway's own figures per minute
-- (written by server/monitoring/sampler.ts) and the browser's inference aggregates per minute of
-- receipt. Latency histograms are one column per bucket, counts not cumulative, +Inf last:
-- l0…l14 for the bounds of gatewayBoundsMs, b0…b12 for inferenceBoundsMs
-- (server/monitoring/histogram.ts), so windows are summed by SQL (JSON arrays were ~50× slower
-- to add up, bench/monitoring). Rows older than 30 days are pruned by housekeeping.
CREATE TABLE monitor_minutes (
  minute INTEGER PRIMARY KEY,
  requests INTEGER NOT NULL,
  server_errors INTEGER NOT NULL,
  sync_in_bytes INTEGER NOT NULL,
  sync_out_bytes INTEGER NOT NULL,
  sync_failures INTEGER NOT NULL,
  l0 INTEGER NOT NULL DEFAULT 0,
  l1 INTEGER NOT NULL DEFAULT 0,
  l2 INTEGER NOT NULL DEFAULT 0,
  l3 INTEGER NOT NULL DEFAULT 0,
  l4 INTEGER NOT NULL DEFAULT 0,
  l5 INTEGER NOT NULL DEFAULT 0,
  l6 INTEGER NOT NULL DEFAULT 0,
  l7 INTEGER NOT NULL DEFAULT 0,
  l8 INTEGER NOT NULL DEFAULT 0,
  l9 INTEGER NOT NULL DEFAULT 0,
  l10 INTEGER NOT NULL DEFAULT 0,
  l11 INTEGER NOT NULL DEFAULT 0,
  l12 INTEGER NOT NULL DEFAULT 0,
  l13 INTEGER NOT NULL DEFAULT 0,
  l14 INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE inference_minutes (
  minute INTEGER NOT NULL,
  task TEXT NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  count INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  sum_ms REAL NOT NULL,
  b0 INTEGER NOT NULL DEFAULT 0,
  b1 INTEGER NOT NULL DEFAULT 0,
  b2 INTEGER NOT NULL DEFAULT 0,
  b3 INTEGER NOT NULL DEFAULT 0,
  b4 INTEGER NOT NULL DEFAULT 0,
  b5 INTEGER NOT NULL DEFAULT 0,
  b6 INTEGER NOT NULL DEFAULT 0,
  b7 INTEGER NOT NULL DEFAULT 0,
  b8 INTEGER NOT NULL DEFAULT 0,
  b9 INTEGER NOT NULL DEFAULT 0,
  b10 INTEGER NOT NULL DEFAULT 0,
  b11 INTEGER NOT NULL DEFAULT 0,
  b12 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (minute, task, model, provider)
) STRICT;
