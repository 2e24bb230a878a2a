-- Which staged complaints are the same citizen problem (one case), and which is primary.
-- Same reporter, same category and same place (kelurahan, else kecamatan) with receipts no
-- more than $merge_window_days apart chain into one case. No reporter: never merged.
-- The primary member is the one with the most lifecycle events (the one that was handled),
-- then the earliest; its complaint_key is the case_key.
CREATE OR REPLACE TABLE case_members AS
WITH event_counts AS (
    SELECT complaint_key, count(*) AS events FROM stg_events GROUP BY complaint_key
), keyed AS (
    SELECT
        c.complaint_key, c.source, c.source_id, c.channel, c.received_at, c.reporter_hash,
        c.category, lower(coalesce(c.village, c.district, '')) AS place,
        coalesce(n.events, 0) AS events
    FROM stg_complaints AS c
    LEFT JOIN event_counts AS n USING (complaint_key)
), shared_keys AS (
    -- only complaints whose reporter, category and place recur can merge: the windows below
    -- run on those few instead of on every complaint
    SELECT reporter_hash, category, place
    FROM keyed
    WHERE reporter_hash IS NOT NULL
    GROUP BY ALL
    HAVING count(*) > 1
), gaps AS (
    SELECT
        k.*,
        CASE WHEN received_at - lag(received_at) OVER w
                  <= to_days(CAST($merge_window_days AS INTEGER)) THEN 0 ELSE 1
        END AS starts_group
    FROM keyed AS k
    SEMI JOIN shared_keys USING (reporter_hash, category, place)
    WINDOW w AS (PARTITION BY reporter_hash, category, place
                 ORDER BY received_at, complaint_key)
), chained AS (
    SELECT
        *,
        sum(starts_group) OVER (
            PARTITION BY reporter_hash, category, place ORDER BY received_at, complaint_key
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS group_no
    FROM gaps
), groups AS (
    SELECT
        reporter_hash, category, place, group_no,
        arg_min(complaint_key, (-events, received_at, complaint_key)) AS case_key,
        count(*) AS member_count
    FROM chained
    GROUP BY ALL
), members AS (
    SELECT k.complaint_key, g.case_key, g.member_count
    FROM chained AS k
    JOIN groups AS g USING (reporter_hash, category, place, group_no)
    UNION ALL
    SELECT complaint_key, complaint_key, 1
    FROM keyed AS k
    ANTI JOIN shared_keys USING (reporter_hash, category, place)
)
SELECT
    m.case_key,
    p.source || ':' || p.source_id AS case_id,
    k.complaint_key,
    k.source,
    k.source_id,
    k.channel,
    k.received_at,
    k.complaint_key = m.case_key AS is_primary,
    m.member_count,
    CASE WHEN m.member_count > 1
        THEN 'same reporter, category and place within ' || $merge_window_days || ' days'
    END AS match_evidence
FROM members AS m
JOIN keyed AS k USING (complaint_key)
JOIN keyed AS p ON p.complaint_key = m.case_key;
