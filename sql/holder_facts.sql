-- Every countable fact of every month, with the unit and officer it is credited to. The
-- month tables are sums, rates and quantiles of these rows (see month_measures.sql).
--   received           a holder segment started (month of its start)
--   response           a response deadline judged (month it falls due)
--   resolution         a resolution deadline judged (month it falls due), with category
--   forwarding         a forwarding deadline judged (month it falls due), admin holder
--   resolved           a final resolution (month resolved), its working days, rated or not
--   resolution_event   any resolution, also one later undone; reopened within the window?
--   rating             a citizen rating (month given), credited to the holder then
--   backlog            a case open and held at the end of the month; overdue or not
CREATE OR REPLACE TABLE holder_facts AS
WITH holder_at AS (
    -- helper: the instants at which we need to know who held a case
    SELECT case_id, 'resolved' AS fact, resolved_at AS at_time, CAST(NULL AS INTEGER) AS score,
           CAST(NULL AS BOOLEAN) AS says_resolved
    FROM cases WHERE resolved_at IS NOT NULL
    UNION ALL
    SELECT case_id, 'resolution_event', event_at, NULL, NULL
    FROM case_events WHERE event_type = 'resolved'
    UNION ALL
    SELECT m.case_id, 'rating', r.rated_at, r.score, r.resolved
    FROM stg_ratings AS r JOIN case_members AS m USING (source, source_id)
), located AS (
    SELECT a.case_id, a.fact, a.at_time, a.score, a.says_resolved, s.unit_code, s.officer_nip
    FROM holder_at AS a
    LEFT JOIN segments AS s
        ON s.case_id = a.case_id AND s.start_at <= a.at_time
        AND (s.next_start_at IS NULL OR a.at_time < s.next_start_at)
), month_ends AS (
    SELECT
        strftime(m, '%Y-%m') AS month,
        least(m + INTERVAL 1 MONTH, CAST($as_of_date AS TIMESTAMP) + INTERVAL 1 DAY) AS at_time
    FROM generate_series(
        (SELECT date_trunc('month', min(received_at)) FROM cases),
        date_trunc('month', CAST($as_of_date AS TIMESTAMP)),
        INTERVAL 1 MONTH
    ) AS g(m)
), state_changes AS (
    SELECT case_id, seq, event_at, event_type
    FROM case_events
    WHERE event_type IN ('resolved', 'reopened', 'archived', 'rejected')
    UNION ALL
    SELECT case_id, 0, received_at, 'received' FROM cases
), open_spans AS (
    SELECT *
    FROM (
        SELECT
            case_id, event_at AS from_at, event_type,
            lead(event_at) OVER (PARTITION BY case_id ORDER BY seq) AS to_at
        FROM state_changes
    )
    WHERE event_type IN ('received', 'reopened')
), backlog AS (
    SELECT e.month, o.case_id, s.unit_code, s.officer_nip, c.category,
           c.resolution_due_date < CAST(e.at_time AS DATE) AS overdue
    FROM month_ends AS e
    JOIN open_spans AS o ON o.from_at < e.at_time AND (o.to_at IS NULL OR o.to_at >= e.at_time)
    JOIN cases AS c ON c.case_id = o.case_id
    LEFT JOIN segments AS s
        ON s.case_id = o.case_id AND s.start_at < e.at_time
        AND (s.next_start_at IS NULL OR s.next_start_at >= e.at_time)
)
SELECT strftime(start_at, '%Y-%m') AS month, unit_code, officer_nip, 'received' AS fact,
       case_id, CAST(NULL AS VARCHAR) AS category, CAST(NULL AS BOOLEAN) AS met,
       CAST(NULL AS INTEGER) AS wd, CAST(NULL AS INTEGER) AS score, CAST(NULL AS BOOLEAN) AS flag
FROM segments WHERE kind = 'holder'
UNION ALL
SELECT k.due_month, s.unit_code, s.officer_nip, 'response', k.case_id, NULL, k.met,
       k.elapsed_wd, NULL, NULL
FROM clocks AS k
JOIN segments AS s USING (case_id, segment_no)
WHERE k.clock = 'response' AND k.judged AND s.kind = 'holder'
UNION ALL
SELECT k.due_month, s.unit_code, s.officer_nip, 'forwarding', k.case_id, NULL, k.met,
       k.elapsed_wd, NULL, NULL
FROM clocks AS k
JOIN segments AS s ON s.case_id = k.case_id AND s.segment_no = 0
WHERE k.clock = 'forwarding' AND k.judged
UNION ALL
SELECT resolution_judged_month, credited_unit_code, credited_officer_nip, 'resolution', case_id,
       category, resolution_met, resolution_wd, NULL, NULL
FROM cases WHERE resolution_judged_month IS NOT NULL
UNION ALL
SELECT strftime(l.at_time, '%Y-%m'), l.unit_code, l.officer_nip, 'resolved', l.case_id, c.category,
       NULL, c.resolution_wd, NULL,
       c.rated_at IS NOT NULL
           AND c.rated_at <= c.resolved_at + to_days(CAST($rating_window_days AS INTEGER))
FROM located AS l JOIN cases AS c USING (case_id)
WHERE l.fact = 'resolved'
UNION ALL
SELECT strftime(l.at_time, '%Y-%m'), l.unit_code, l.officer_nip, 'resolution_event', l.case_id, NULL,
       NULL, NULL, NULL,
       EXISTS (
           SELECT 1 FROM case_events AS r
           WHERE r.case_id = l.case_id AND r.event_type = 'reopened' AND r.event_at >= l.at_time
             AND r.event_at <= l.at_time + to_days(CAST($reopen_window_days AS INTEGER))
       )
FROM located AS l WHERE l.fact = 'resolution_event'
UNION ALL
SELECT strftime(at_time, '%Y-%m'), unit_code, officer_nip, 'rating', case_id, NULL, NULL, NULL,
       score, says_resolved
FROM located WHERE fact = 'rating'
UNION ALL
SELECT month, unit_code, officer_nip, 'backlog', case_id, category, NULL, NULL, NULL, overdue
FROM backlog;
