-- Every expectation of every quality gate run (assets/quality.py, pipelines/quality.py):
-- one row per run, check and expectation, kept across runs for the audit. The gate adds its
-- rows; it never changes earlier ones. failing_rows_sample is JSON text: up to five failing
-- rows with the columns that locate them (source, file, row_number, keys).
CREATE TABLE IF NOT EXISTS quality_results (
    run VARCHAR NOT NULL,                 -- the Dagster run id
    asset VARCHAR NOT NULL,               -- the asset checked (staged_sources)
    "check" VARCHAR NOT NULL,             -- the Dagster check: one suite
    family VARCHAR NOT NULL,              -- schema, keys, timestamps, nip, references, ...
    expectation VARCHAR NOT NULL,         -- the GX expectation and its column(s)
    passed BOOLEAN NOT NULL,
    observed VARCHAR,
    expected VARCHAR,
    failing_rows BIGINT,                  -- rows (or NIPs, months, columns) that fail it
    rows_checked BIGINT,
    failing_rows_sample VARCHAR,          -- JSON
    checked_at TIMESTAMP NOT NULL         -- UTC, one instant per gate run
);
