-- Head office (总部) schema, version 1. PostgreSQL 15+ and PGlite (same SQL).
--
-- Every station table carries station_id and every key starts with it, so on Citus each table is
-- distributed by station_id and co-located: one station's import, cursor and dashboard rows live
-- on one shard (docs/hq.md). Fact tables are partitioned by LIST (station_id): enrolment creates a
-- station's partitions (electron/hq/partitions.ts); a DEFAULT partition catches a station
-- whose partitions were not made yet, so nothing is ever refused for want of one.
-- Head-office-wide tables (migrations, head-office users, reference items and packs) carry no
-- station: on Citus they are reference tables (copied to every node).

CREATE TABLE hq_schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------- stations, keys, cursors
CREATE TABLE stations (
  station_id     text PRIMARY KEY,
  code           text NOT NULL,
  name           text NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  epoch          integer NOT NULL DEFAULT 1,       -- the epoch whose key is in force (bootstrap/rotation raise it)
  acked_seq      bigint NOT NULL DEFAULT 0,        -- highest seq applied contiguously in that epoch (the cursor)
  last_batch_sha text,                             -- the batch that moved the cursor last
  last_batch_at  timestamptz,                      -- when it was applied
  schema_version integer,                          -- station's PRAGMA user_version from its last batch
  app_version    text,
  reference_version bigint,                        -- last reference pack the station says it applied
  flagged        text,                             -- equivocation etc.: shown on the dashboard until cleared
  customers      bigint NOT NULL DEFAULT 0,        -- customer files not closed, recounted after each import
  enrolled_at    timestamptz NOT NULL DEFAULT now()
);
-- Station codes are unique across head office (a reference-style lookup; Citus: enforced on the
-- coordinator by the enrolment, which checks first).
CREATE INDEX stations_code ON stations (code);

CREATE TABLE station_keys (
  station_id  text NOT NULL REFERENCES stations (station_id),
  key_id      text NOT NULL,                       -- first 16 hex of SHA-256 of the raw public key
  public_key  text NOT NULL,                       -- raw 32-byte Ed25519 key, base64
  epoch       integer NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
  added_at    timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  reason      text NOT NULL DEFAULT '',
  PRIMARY KEY (station_id, key_id)
);

-- Every batch file head office has seen from a station, by its hash. status: applied, held (a
-- gap before it), rejected (equivocation, …). The ack is kept so a replay answers the same bytes.
CREATE TABLE batches (
  station_id    text NOT NULL REFERENCES stations (station_id),
  sha256        text NOT NULL,
  epoch         integer NOT NULL,
  from_seq      bigint NOT NULL,
  to_seq        bigint NOT NULL,
  row_count     integer NOT NULL,
  status        text NOT NULL CHECK (status IN ('applied', 'held', 'rejected')),
  reason        text NOT NULL DEFAULT '',
  previous_sha  text,
  reference_version bigint,
  manifest      jsonb NOT NULL,
  file_name     text NOT NULL,                     -- raw file kept under files/batches/, named by its hash
  received_at   timestamptz NOT NULL DEFAULT now(),
  applied_at    timestamptz,
  ack           bytea,                             -- the signed ack file last answered for it
  PRIMARY KEY (station_id, sha256)
);
CREATE INDEX batches_range ON batches (station_id, epoch, from_seq);

-- Refused files (bad signature, unknown station, truncated, …): what a station screen and the
-- dashboard show. Nothing else is written for them.
CREATE TABLE import_refusals (
  station_id  text NOT NULL,                        -- as claimed by the file ('' if unreadable)
  id          bigint GENERATED ALWAYS AS IDENTITY,
  at          timestamptz NOT NULL DEFAULT now(),
  code        text NOT NULL,
  reason      text NOT NULL,
  file_sha256 text NOT NULL,
  source      text NOT NULL,                        -- cli / push / upload
  PRIMARY KEY (station_id, id)
);

-- ---------------------------------------------------------------- facts, partitioned by station
-- The journal: every row of every applied batch exactly once. Unique (station_id, epoch, seq):
-- a station's seq restarts only with a new epoch (bootstrap), so (station_id, seq) is unique
-- within an epoch.
CREATE TABLE station_rows (
  station_id text NOT NULL,
  epoch      integer NOT NULL,
  seq        bigint NOT NULL,
  entity     text NOT NULL,
  entity_id  text NOT NULL,
  op         text NOT NULL,
  row        jsonb NOT NULL,
  tbl        text,                                  -- the station table a referenced fact was read from
  children   jsonb,                                 -- rows written with the fact (bill lines, settlements, ledger entries)
  PRIMARY KEY (station_id, epoch, seq)
) PARTITION BY LIST (station_id);
CREATE TABLE station_rows_default PARTITION OF station_rows DEFAULT;

-- Typed copies of the facts the dashboard reads (projections of the journal, same transaction).
CREATE TABLE hq_bills (
  station_id  text NOT NULL,
  id          text NOT NULL,
  customer_id text NOT NULL,
  period      text NOT NULL,
  kind        text NOT NULL,
  kwh_centi   bigint NOT NULL,
  total_fen   bigint NOT NULL,
  PRIMARY KEY (station_id, id)
) PARTITION BY LIST (station_id);
CREATE TABLE hq_bills_default PARTITION OF hq_bills DEFAULT;

CREATE TABLE hq_payments (
  station_id  text NOT NULL,
  id          text NOT NULL,
  customer_id text NOT NULL,
  amount_fen  bigint NOT NULL,
  pay_date    text NOT NULL,
  channel     text NOT NULL,
  clerk_id    text,
  PRIMARY KEY (station_id, id)
) PARTITION BY LIST (station_id);
CREATE TABLE hq_payments_default PARTITION OF hq_payments DEFAULT;

CREATE TABLE hq_readings (
  station_id   text NOT NULL,
  id           text NOT NULL,
  period       text NOT NULL,
  point_id     text NOT NULL,
  kind         text NOT NULL,
  needs_review boolean NOT NULL,
  supersedes   text,
  read_by      text,
  PRIMARY KEY (station_id, id)
) PARTITION BY LIST (station_id);
CREATE TABLE hq_readings_default PARTITION OF hq_readings DEFAULT;

-- The station's mutable records as last sent (customer file, staff, books): latest seq wins.
CREATE TABLE hq_records (
  station_id text NOT NULL,
  entity     text NOT NULL,
  id         text NOT NULL,
  seq        bigint NOT NULL,
  epoch      integer NOT NULL,
  row        jsonb NOT NULL,
  PRIMARY KEY (station_id, entity, id)
) PARTITION BY LIST (station_id);
CREATE TABLE hq_records_default PARTITION OF hq_records DEFAULT;

-- Monthly roll-up per station, added to in each import's transaction from that batch's rows only
-- (so the cross-station table reads a few rows per station, whatever the station's size).
CREATE TABLE station_month (
  station_id        text NOT NULL,
  period            text NOT NULL,                -- YYYY-MM
  bills             bigint NOT NULL DEFAULT 0,
  billed_kwh_centi  bigint NOT NULL DEFAULT 0,
  billed_fen        bigint NOT NULL DEFAULT 0,    -- bills of the period (ledger 'bill' + 'bill_credit')
  collected_fen     bigint NOT NULL DEFAULT 0,    -- payments by pay date, less reversals by their day
  settled_fen       bigint NOT NULL DEFAULT 0,    -- principal settled onto the period's bills, to date
  readings          bigint NOT NULL DEFAULT 0,    -- first readings of the period
  actual_reads      bigint NOT NULL DEFAULT 0,    -- of which 实抄
  corrected_reads   bigint NOT NULL DEFAULT 0,    -- corrections filed for the period (error rate)
  flagged_reads     bigint NOT NULL DEFAULT 0,
  appraisal_sum     numeric NOT NULL DEFAULT 0,
  appraisal_count   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (station_id, period)
);

-- Which reference pack each station applied (from the manifests of its batches).
CREATE TABLE station_reference (
  station_id text NOT NULL,
  version    bigint NOT NULL,
  seen_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (station_id, version)
);

-- ---------------------------------------------------------------- reference data (head-office wide)
CREATE TABLE reference_items (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type       text NOT NULL CHECK (type IN ('tariff', 'scoreSheet', 'policy', 'staff', 'notice', 'calendar', 'workOrder')),
  name       text NOT NULL,
  data       jsonb NOT NULL,
  loaded_at  timestamptz NOT NULL DEFAULT now(),
  loaded_by  text NOT NULL
);

CREATE TABLE reference_packs (
  version      bigint PRIMARY KEY,                -- monotonic
  stations     text[],                            -- NULL: every station
  item_ids     bigint[] NOT NULL,
  sha256       text NOT NULL,
  file_name    text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  published_by text NOT NULL
);

-- ---------------------------------------------------------------- head-office users
CREATE TABLE hq_users (
  login           text PRIMARY KEY,
  name            text NOT NULL,
  role            text NOT NULL CHECK (role IN ('admin', 'analyst')),
  password_hash   text NOT NULL,                  -- scrypt, as the station's (shared/security.ts)
  active          boolean NOT NULL DEFAULT true,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hq_audit (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at     timestamptz NOT NULL DEFAULT now(),
  actor  text NOT NULL,
  action text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'
);
