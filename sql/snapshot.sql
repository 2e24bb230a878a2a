-- The published snapshot's tables, written into the attached database `snap`. Tables keyed
-- by case get the readable case_id; free text joins back in from the staged tables.
CREATE TABLE snap.cases AS
SELECT c.*, s.source, s.source_id, s.title, s.description
FROM cases AS c
JOIN stg_complaints AS s ON s.complaint_key = c.case_key;

-- (each event carries its own complaint's is_confidential / is_anonymous: case_events.sql;
-- is_automatic: a closure the source's system made by itself, automatic_closures.sql)
CREATE TABLE snap.case_events AS
SELECT c.case_id, e.*, s.source, s.source_id, s.file, s.row_number, s.note,
       a.event_key IS NOT NULL AS is_automatic,
       s.event_at_recorded  -- the stamp, where clock skew moved event_at (stg_events.sql)
FROM case_events AS e
JOIN cases AS c USING (case_key)
JOIN stg_events AS s USING (event_key)
LEFT JOIN automatic_closures AS a ON a.event_key = e.event_key;

CREATE TABLE snap.segments AS
SELECT c.case_id, t.* FROM segments AS t JOIN cases AS c USING (case_key);

CREATE TABLE snap.clocks AS
SELECT c.case_id, t.* FROM clocks AS t JOIN cases AS c USING (case_key);

CREATE TABLE snap.holder_facts AS
SELECT c.case_id, t.* FROM holder_facts AS t JOIN cases AS c USING (case_key);

CREATE TABLE snap.flags AS SELECT * FROM flags;

-- a source's own verdicts beside rapor's (verdicts.sql), and their agreement per unit
CREATE TABLE snap.source_verdicts AS SELECT * EXCLUDE (case_key) FROM source_verdicts;

CREATE TABLE snap.verdict_agreement AS SELECT * FROM verdict_agreement;

CREATE TABLE snap.recommendations AS SELECT * FROM recommendations;

CREATE TABLE snap.predikat_distribution AS SELECT * FROM predikat_distribution;

CREATE TABLE snap.case_members AS SELECT * FROM case_members;

CREATE TABLE snap.officer_month AS SELECT * FROM officer_month;

CREATE TABLE snap.unit_month AS SELECT * FROM unit_month;

CREATE TABLE snap.tenant_month AS SELECT * FROM tenant_month;

CREATE TABLE snap.quarantine AS SELECT * FROM quarantine;

CREATE TABLE snap.units AS SELECT * FROM ref_units;

CREATE TABLE snap.officers AS SELECT * FROM ref_officers;

CREATE TABLE snap.calendar_days AS SELECT * FROM calendar_days;

-- the publication history (docs/publications.md): every version of every month, frozen
CREATE TABLE snap.publications AS SELECT * FROM publications ORDER BY tenant, month, version;

CREATE TABLE snap.published_officer_month AS SELECT * FROM published_officer_month;

CREATE TABLE snap.published_unit_month AS SELECT * FROM published_unit_month;

CREATE TABLE snap.published_tenant_month AS SELECT * FROM published_tenant_month;

CREATE TABLE snap.published_recommendations AS SELECT * FROM published_recommendations;

CREATE TABLE snap.published_predikat_distribution AS
SELECT * FROM published_predikat_distribution;

CREATE TABLE snap.published_flags AS SELECT * FROM published_flags;

CREATE TABLE snap.publication_inputs AS SELECT * FROM publication_inputs;

-- the quality gate this publication passed: every expectation of the latest gate run
CREATE TABLE snap.quality_results AS
SELECT *
FROM quality_results
WHERE run = (SELECT arg_max(run, checked_at) FROM quality_results)
ORDER BY "check", passed, family, expectation;
