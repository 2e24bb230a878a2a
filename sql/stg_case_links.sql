-- Reviewed overrides of the cross-channel merge (reference/case_links.csv, docs/merging.md).
-- `link`: complaints a and b are one case. `unlink`: complaint a leaves the case the rules
-- put it in (complaint b, a member of that case, names it). A complaint is named by source
-- and source_id and must be among the staged complaints, so this runs after stg_complaints.
-- Rejected rows keep their reason (the reviewer's own reason is link_reason) for quarantine.
CREATE OR REPLACE TABLE checked_case_links AS
WITH typed AS (
    SELECT
        r.* EXCLUDE (reason),
        r.reason AS link_reason,
        lower(trim(r.action)) AS action_t,
        nullif(trim(r.source_a), '') AS source_a_t,
        nullif(trim(r.source_id_a), '') AS source_id_a_t,
        nullif(trim(r.source_b), '') AS source_b_t,
        nullif(trim(r.source_id_b), '') AS source_id_b_t,
        try_cast(trim(r.reviewed_at) AS DATE) AS reviewed_at_t,
        a.complaint_key AS complaint_key_a,
        b.complaint_key AS complaint_key_b
    FROM raw_case_links AS r
    LEFT JOIN stg_complaints AS a
        ON a.source = trim(r.source_a) AND a.source_id = trim(r.source_id_a)
    LEFT JOIN stg_complaints AS b
        ON b.source = trim(r.source_b) AND b.source_id = trim(r.source_id_b)
)
SELECT
    *,
    coalesce(
        file_problem,
        CASE WHEN action_t IS NULL OR action_t NOT IN ('link', 'unlink')
            THEN 'unknown action: ' || coalesce(action, '(empty)') || ' (link or unlink)' END,
        CASE WHEN source_a_t IS NULL OR source_id_a_t IS NULL
            THEN 'missing complaint: source_a and source_id_a name complaint a' END,
        CASE WHEN source_b_t IS NULL OR source_id_b_t IS NULL
            THEN 'missing complaint: source_b and source_id_b name complaint b' END,
        CASE WHEN complaint_key_a IS NULL
            THEN 'unknown complaint: ' || source_a_t || ':' || source_id_a_t
                 || ' is not among the staged complaints (missing or quarantined)' END,
        CASE WHEN complaint_key_b IS NULL
            THEN 'unknown complaint: ' || source_b_t || ':' || source_id_b_t
                 || ' is not among the staged complaints (missing or quarantined)' END,
        CASE WHEN complaint_key_a = complaint_key_b
            THEN 'same complaint twice: ' || source_a_t || ':' || source_id_a_t END,
        CASE WHEN nullif(trim(link_reason), '') IS NULL THEN 'missing reason' END,
        CASE WHEN nullif(trim(reviewed_by), '') IS NULL THEN 'missing reviewed_by' END,
        CASE WHEN reviewed_at_t IS NULL
            THEN 'reviewed_at is not a date: ' || coalesce(reviewed_at, '(empty)') END
    ) AS reason
FROM typed;

CREATE OR REPLACE TABLE stg_case_links AS
SELECT
    action_t AS action,
    complaint_key_a,
    complaint_key_b,
    source_a_t || ':' || source_id_a_t AS case_id_a,
    source_b_t || ':' || source_id_b_t AS case_id_b,
    trim(link_reason) AS reason,
    trim(reviewed_by) AS reviewed_by,
    reviewed_at_t AS reviewed_at,
    row_number
FROM checked_case_links
WHERE reason IS NULL;
