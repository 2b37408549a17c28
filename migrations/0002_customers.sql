-- Customer files (客户档案): customers, their metering points and the meters installed there.
-- Core columns here are read by the reading, billing and collection desks: add columns and
-- tables freely, never rename or drop these.

CREATE TABLE customers (
  id               TEXT PRIMARY KEY,
  station_id       TEXT NOT NULL REFERENCES station (id),
  account_no       TEXT NOT NULL UNIQUE,            -- 户号: station code + counter, never reused
  name             TEXT NOT NULL,
  phone            TEXT NOT NULL DEFAULT '',
  phone2           TEXT NOT NULL DEFAULT '',
  id_card          TEXT NOT NULL DEFAULT '',         -- full number; answers mask it unless allowed
  township         TEXT NOT NULL,                   -- 乡镇
  village          TEXT NOT NULL,                   -- 村
  address_detail   TEXT NOT NULL DEFAULT '',
  transformer_area TEXT NOT NULL,                   -- 台区
  customer_class   TEXT NOT NULL CHECK (customer_class IN ('residential', 'commercial', 'large_industry', 'agricultural')),
  tariff_code      TEXT,                            -- head-office tariff code; NULL = none yet (a billing exception)
  household_size   INTEGER,                         -- persons, for residents
  multi_person     INTEGER NOT NULL DEFAULT 0 CHECK (multi_person IN (0, 1)), -- 多人口 tier bounds apply
  capacity_kva     INTEGER,                         -- contracted capacity where relevant
  status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
  status_date      TEXT NOT NULL,                   -- YYYY-MM-DD of the last status change
  opened_date      TEXT NOT NULL,                   -- YYYY-MM-DD supply started (pro-rates annual tiers)
  notes            TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  -- Added by the customers desk (not core): search and provenance.
  name_initials    TEXT NOT NULL DEFAULT '',        -- 拼音首字母 (surname read as a surname): 张三 → zs
  created_by       TEXT REFERENCES staff (id),      -- who opened the file (NULL: the system, e.g. the demo)
  import_batch     TEXT                             -- the import (audit entity_id) that created it, if any
);
CREATE INDEX customers_village ON customers (township, village, account_no);
CREATE INDEX customers_area ON customers (transformer_area);
CREATE INDEX customers_class ON customers (customer_class);
CREATE INDEX customers_status ON customers (status);
CREATE INDEX customers_name ON customers (name, account_no);
CREATE INDEX customers_initials ON customers (name_initials, account_no);

-- Search keys (查询索引), written with the customer by the customers module: 'n' + every pair of
-- neighbouring characters of the name and its last character alone (any part of a Chinese name:
-- a pair is a key, one character a key prefix, longer parts are looked up by a pair and
-- filtered), 't' + each phone number reversed (last-4-digits lookups become prefix lookups).
-- Account numbers, meter numbers, names and pinyin initials use the indexes on their own columns.
-- No index by customer and no foreign key: a change of name or phone deletes the old keys by key
-- (the module knows them), customers are never deleted, and `griddesk check` finds a customer
-- without keys; so filing 50,000 customers writes only the keys themselves.
CREATE TABLE customer_search_keys (
  key         TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  PRIMARY KEY (key, customer_id)
) WITHOUT ROWID;

-- The station's townships and villages (乡镇 / 村), kept in step with the customers: address words
-- in the search box and the village filter look here (a few hundred rows), then use
-- customers_village.
CREATE TABLE customer_places (
  township TEXT NOT NULL,
  village  TEXT NOT NULL,
  PRIMARY KEY (township, village)
) WITHOUT ROWID;

-- A metering point (计量点) keeps its place in a reading book while meters are replaced on it.
CREATE TABLE metering_points (
  id          TEXT PRIMARY KEY,
  station_id  TEXT NOT NULL REFERENCES station (id),
  customer_id TEXT NOT NULL REFERENCES customers (id),
  label       TEXT NOT NULL DEFAULT '',             -- e.g. 照明 / 动力
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at  INTEGER NOT NULL
);
CREATE INDEX metering_points_customer ON metering_points (customer_id);

-- Registers are in hundredths (centi) of a unit: 12345.67 → 1234567.
CREATE TABLE meters (
  id              TEXT PRIMARY KEY,
  station_id      TEXT NOT NULL REFERENCES station (id),
  point_id        TEXT NOT NULL REFERENCES metering_points (id),
  meter_no        TEXT NOT NULL,
  digits          INTEGER NOT NULL CHECK (digits BETWEEN 4 AND 12),   -- 表位数
  multiplier      INTEGER NOT NULL CHECK (multiplier >= 1),           -- 倍率
  tou             INTEGER NOT NULL DEFAULT 0 CHECK (tou IN (0, 1)),   -- has time-of-use registers
  install_date    TEXT NOT NULL,
  start_reading   INTEGER NOT NULL CHECK (start_reading >= 0),
  start_registers TEXT,                                               -- JSON {peak, flat, valley, …} centi (TOU)
  removed_date    TEXT,                                               -- set when replaced (换表) or removed
  final_reading   INTEGER,
  final_registers TEXT,
  replaced_by     TEXT REFERENCES meters (id),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  removed_reason  TEXT NOT NULL DEFAULT ''                            -- why it was replaced or removed (故障, 轮换, 增容 …)
);
-- A meter number is unique among installed meters.
CREATE UNIQUE INDEX meters_installed_no ON meters (meter_no) WHERE removed_date IS NULL;
CREATE INDEX meters_no ON meters (meter_no);
CREATE INDEX meters_point ON meters (point_id);
