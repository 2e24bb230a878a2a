-- Which staged complaints are the same citizen problem (one case), and which is primary.
-- Same reporter, same category and same place (kelurahan, else kecamatan) with receipts no
-- more than $merge_window_days apart chain into one case. No reporter: never merged.
-- The primary member is the one with the most lifecycle events (the one that was handled).
CREATE OR REPLACE TABLE case_members AS
WITH keyed AS (
    SELECT
        c.source,
        c.source_id,
        c.channel,
        c.received_at,
        c.reporter_hash,
        c.category,
        lower(coalesce(c.village, c.district, '')) AS place,
        coalesce(n.events, 0) AS events
    FROM stg_complaints AS c
    LEFT JOIN (
        SELECT source, source_id, count(*) AS events FROM stg_events GROUP BY ALL
    ) AS n USING (source, source_id)
), flagged AS (
    SELECT
        *,
        CASE
            WHEN reporter_hash IS NULL THEN 1
            WHEN lag(received_at) OVER w IS NULL THEN 1
            WHEN received_at - lag(received_at) OVER w
                 > to_days(CAST($merge_window_days AS INTEGER)) THEN 1
            ELSE 0
        END AS starts_group
    FROM keyed
    WINDOW w AS (PARTITION BY reporter_hash, category, place
                 ORDER BY received_at, source, source_id)
), grouped AS (
    SELECT
        *,
        sum(starts_group) OVER (
            PARTITION BY reporter_hash, category, place
            ORDER BY received_at, source, source_id
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS group_no
    FROM flagged
), ranked AS (
    SELECT
        *,
        row_number() OVER g AS member_rank,
        count(*) OVER (PARTITION BY reporter_hash, category, place, group_no) AS member_count
    FROM grouped
    WINDOW g AS (PARTITION BY reporter_hash, category, place, group_no
                 ORDER BY events DESC, received_at, source, source_id)
)
SELECT
    first_value(source || ':' || source_id) OVER (
        PARTITION BY reporter_hash, category, place, group_no ORDER BY member_rank
    ) AS case_id,
    source,
    source_id,
    channel,
    received_at,
    member_rank = 1 AS is_primary,
    member_count,
    CASE WHEN member_count > 1
        THEN 'same reporter, category and place within ' || $merge_window_days || ' days'
    END AS match_evidence
FROM ranked;
