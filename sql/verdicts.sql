-- The source's own verdict (source.yaml `verdict:`, docs/sources.md) beside rapor's: one
-- row per case whose source gives one (source_verdicts), and their agreement per unit
-- (verdict_agreement). rapor's verdict is the judged resolution deadline (cases.sql):
-- on_time when met, overdue when missed, null when not judged (still open before its due
-- date, or a deadline basis of 'none'). The unit is the one credited with the deadline,
-- else the case's final unit.
CREATE OR REPLACE TABLE source_verdicts AS
SELECT
    case_key,
    case_id,
    coalesce(credited_unit_code, unit_code) AS unit_code,
    resolution_judged_month AS month,
    resolution_deadline_basis AS deadline_basis,
    source_verdict,
    CASE resolution_met WHEN true THEN 'on_time' WHEN false THEN 'overdue' END
        AS rapor_verdict,
    CASE
        WHEN source_verdict NOT IN ('on_time', 'overdue') OR resolution_met IS NULL THEN NULL
        ELSE source_verdict = CASE WHEN resolution_met THEN 'on_time' ELSE 'overdue' END
    END AS agrees
FROM cases
WHERE source_verdict IS NOT NULL;

CREATE OR REPLACE TABLE verdict_agreement AS
SELECT
    unit_code,
    count(*) AS with_verdict,                                       -- the source gives one
    count(*) FILTER (WHERE agrees IS NOT NULL) AS compared,         -- both give one
    count(*) FILTER (WHERE agrees) AS agree,
    count(*) FILTER (WHERE NOT agrees) AS disagree,
    count(*) FILTER (WHERE source_verdict = 'on_time' AND NOT agrees) AS source_on_time_rapor_overdue,
    count(*) FILTER (WHERE source_verdict = 'overdue' AND NOT agrees) AS source_overdue_rapor_on_time,
    count(*) FILTER (WHERE source_verdict IN ('on_time', 'overdue') AND rapor_verdict IS NULL)
        AS rapor_not_judged,
    count(*) FILTER (WHERE source_verdict = 'unknown') AS source_unknown,
    CAST(count(*) FILTER (WHERE agrees) AS DOUBLE)
        / nullif(count(*) FILTER (WHERE agrees IS NOT NULL), 0) AS agreement_rate
FROM source_verdicts
GROUP BY unit_code
ORDER BY unit_code NULLS LAST;
