-- The gate's own published file `serving/quality.duckdb` (attached as `quality_out`): the
-- results of the gate run $run_id, readable by the app even when publication was blocked.
CREATE TABLE quality_out.quality_results AS
SELECT *
FROM quality_results
WHERE run = $run_id
ORDER BY "check", passed, family, expectation;
