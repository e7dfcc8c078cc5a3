-- Accounts. The first account created is the admin (see users.create).
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) STRICT;

-- Server-side sessions: the cookie holds a random token, the database only its SHA-256.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

-- Synced records (images, results, recipes): the latest version of each, tombstones included.
-- `seq` is the user's sync cursor: the next number of the user's own counter on every change, so
-- it only grows, and says nothing about other users' activity.
CREATE TABLE records (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data TEXT,
  deleted INTEGER NOT NULL DEFAULT 0,
  blob_refs TEXT NOT NULL DEFAULT '[]',
  bytes INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  change_id TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, kind, id)
) STRICT;
CREATE UNIQUE INDEX records_user_seq ON records (user_id, seq);

-- Image files, content-addressed. A user may read a blob only through a `user_blobs` row, which
-- is also what counts against the quota.
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE user_blobs (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL REFERENCES blobs (sha256),
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, sha256)
) STRICT;
CREATE INDEX user_blobs_sha256 ON user_blobs (sha256);

-- Resumable uploads in progress; `received` counts bytes safely on disk.
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  received INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX uploads_user ON uploads (user_id);
