-- Which staged complaints are the same citizen problem (one case), and which is primary.
-- Same reporter, same category and same place (kelurahan, else kecamatan) with receipts no
-- more than $merge_window_days apart chain into one case. No reporter: never merged.
-- The primary member is the one with the most lifecycle events (the one that was handled),
-- then the earliest; its complaint_key is the case_key.
CREATE OR REPLACE TABLE case_members AS
WITH keyed AS (
    SELECT
        complaint_key, source, source_id, channel, received_at, reporter_hash, category,
        lower(coalesce(village, district, '')) AS place
    FROM stg_complaints
), shared_keys AS (
    -- only complaints whose reporter, category and place recur can merge: the windows and
    -- event counts below run on those few instead of on every complaint
    SELECT reporter_hash, category, place
    FROM keyed
    WHERE reporter_hash IS NOT NULL
    GROUP BY ALL
    HAVING count(*) > 1
), candidates AS (
    SELECT * FROM keyed SEMI JOIN shared_keys USING (reporter_hash, category, place)
), event_counts AS (
    SELECT complaint_key, count(*) AS events
    FROM stg_events
    SEMI JOIN candidates USING (complaint_key)
    GROUP BY complaint_key
), gaps AS (
    SELECT
        c.*,
        coalesce(n.events, 0) AS events,
        CASE WHEN c.received_at - lag(c.received_at) OVER w
                  <= to_days(CAST($merge_window_days AS INTEGER)) THEN 0 ELSE 1
        END AS starts_group
    FROM candidates AS c
    LEFT JOIN event_counts AS n USING (complaint_key)
    WINDOW w AS (PARTITION BY c.reporter_hash, c.category, c.place
                 ORDER BY c.received_at, c.complaint_key)
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
)
SELECT
    g.case_key,
    p.source || ':' || p.source_id AS case_id,
    k.complaint_key,
    k.source,
    k.source_id,
    k.channel,
    k.received_at,
    k.complaint_key = g.case_key AS is_primary,
    g.member_count,
    CASE WHEN g.member_count > 1
        THEN 'same reporter, category and place within ' || $merge_window_days || ' days'
    END AS match_evidence
FROM chained AS k
JOIN groups AS g USING (reporter_hash, category, place, group_no)
JOIN candidates AS p ON p.complaint_key = g.case_key
UNION ALL
SELECT
    complaint_key,
    source || ':' || source_id,
    complaint_key,
    source,
    source_id,
    channel,
    received_at,
    true,
    1,
    NULL
FROM keyed
ANTI JOIN shared_keys USING (reporter_hash, category, place);
