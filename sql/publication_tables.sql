-- The publication history (docs/publications.md). Append-only: a version, once written, is
-- never updated or deleted. One row per (tenant, month, version) in `publications`; the
-- month's rows as they were published, per version, in `published_*_month`,
-- `published_recommendations`, `published_predikat_distribution` and `published_flags`;
-- the content hash of every staged input row behind a version in `publication_inputs`.
CREATE TABLE IF NOT EXISTS publications (
    tenant VARCHAR NOT NULL,
    month VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    published_at TIMESTAMP NOT NULL,
    input_fingerprint VARCHAR NOT NULL,
    policy_version VARCHAR NOT NULL,
    policy_hash VARCHAR NOT NULL,
    calendar_hash VARCHAR NOT NULL,
    code_version VARCHAR NOT NULL,
    snapshot_hash VARCHAR NOT NULL,
    supersedes INTEGER,
    change_summary VARCHAR NOT NULL,
    provisional BOOLEAN NOT NULL,
    reference_hash VARCHAR NOT NULL,
    input_rows BIGINT NOT NULL,
    run_id VARCHAR,
    PRIMARY KEY (tenant, month, version)
);

-- added later, so warehouses made before them gain them (NULL in their older versions):
-- the data cut-off a version was computed to, and the fingerprint of the input rows of
-- the 11 months before it, which its trailing 12-month means read
ALTER TABLE publications ADD COLUMN IF NOT EXISTS as_of_date DATE;
ALTER TABLE publications ADD COLUMN IF NOT EXISTS window_fingerprint VARCHAR;

CREATE TABLE IF NOT EXISTS publication_inputs (
    tenant VARCHAR NOT NULL,
    month VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    input_table VARCHAR NOT NULL,
    source VARCHAR,
    file VARCHAR,
    row_number BIGINT,
    row_hash VARCHAR NOT NULL,
    detail VARCHAR
);

CREATE TABLE IF NOT EXISTS published_officer_month AS
SELECT 0::INTEGER AS version, * FROM officer_month WITH NO DATA;

CREATE TABLE IF NOT EXISTS published_unit_month AS
SELECT 0::INTEGER AS version, * FROM unit_month WITH NO DATA;

CREATE TABLE IF NOT EXISTS published_tenant_month AS
SELECT 0::INTEGER AS version, * FROM tenant_month WITH NO DATA;

CREATE TABLE IF NOT EXISTS published_recommendations AS
SELECT 0::INTEGER AS version, * FROM recommendations WITH NO DATA;

CREATE TABLE IF NOT EXISTS published_predikat_distribution AS
SELECT 0::INTEGER AS version, * FROM predikat_distribution WITH NO DATA;

CREATE TABLE IF NOT EXISTS published_flags AS
SELECT 0::INTEGER AS version, * FROM flags WITH NO DATA;
