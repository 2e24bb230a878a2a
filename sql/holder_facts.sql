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
WITH closings AS (
    SELECT
        case_key, seq, event_at, event_type,
        lead(event_type) OVER (PARTITION BY case_key ORDER BY seq) AS next_type,
        lead(event_at) OVER (PARTITION BY case_key ORDER BY seq) AS next_at
    FROM case_events
    WHERE event_type IN ('resolved', 'reopened', 'archived', 'rejected')
), moments AS (
    -- the instants at which we need to know who held a case
    SELECT case_key, 'resolved' AS fact, resolved_at AS at_time, CAST(NULL AS INTEGER) AS score,
           CAST(NULL AS BOOLEAN) AS flag
    FROM cases WHERE resolved_at IS NOT NULL
    UNION ALL
    SELECT case_key, 'resolution_event', event_at, NULL,
           coalesce(next_type = 'reopened'
                    AND next_at <= event_at + to_days(CAST($reopen_window_days AS INTEGER)),
                    false)
    FROM closings WHERE event_type = 'resolved'
    UNION ALL
    SELECT m.case_key, 'rating', r.rated_at, r.score, r.resolved
    FROM stg_ratings AS r JOIN case_members AS m USING (complaint_key)
), located AS (
    SELECT a.*, s.unit_code, s.officer_nip
    FROM moments AS a
    LEFT JOIN segments AS s
        ON s.case_key = a.case_key AND s.start_at <= a.at_time
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
), open_spans AS (
    -- open from receipt to the first closing, and from each reopening to the next one
    SELECT c.case_key, c.received_at AS from_at, f.event_at AS to_at
    FROM cases AS c
    LEFT JOIN (SELECT case_key, min(event_at) AS event_at FROM closings GROUP BY case_key)
        AS f USING (case_key)
    UNION ALL
    SELECT case_key, event_at, next_at FROM closings WHERE event_type = 'reopened'
), backlog AS (
    SELECT e.month, o.case_key, s.unit_code, s.officer_nip, c.category,
           c.resolution_due_date < CAST(e.at_time AS DATE) AS overdue
    FROM month_ends AS e
    JOIN open_spans AS o
        ON o.from_at < e.at_time AND (o.to_at IS NULL OR o.to_at >= e.at_time)
    JOIN cases AS c ON c.case_key = o.case_key
    LEFT JOIN segments AS s
        ON s.case_key = o.case_key AND s.start_at < e.at_time
        AND (s.next_start_at IS NULL OR s.next_start_at >= e.at_time)
)
SELECT strftime(start_at, '%Y-%m') AS month, unit_code, officer_nip, 'received' AS fact,
       case_key, CAST(NULL AS VARCHAR) AS category, CAST(NULL AS BOOLEAN) AS met,
       CAST(NULL AS INTEGER) AS wd, CAST(NULL AS INTEGER) AS score, CAST(NULL AS BOOLEAN) AS flag
FROM segments WHERE kind = 'holder'
UNION ALL
SELECT k.due_month, s.unit_code, s.officer_nip, 'response', k.case_key, NULL, k.met,
       k.elapsed_wd, NULL, NULL
FROM clocks AS k
JOIN segments AS s USING (case_key, segment_no)
WHERE k.clock = 'response' AND k.judged
UNION ALL
SELECT k.due_month, s.unit_code, s.officer_nip, 'forwarding', k.case_key, NULL, k.met,
       k.elapsed_wd, NULL, NULL
FROM clocks AS k
JOIN segments AS s ON s.case_key = k.case_key AND s.segment_no = 0
WHERE k.clock = 'forwarding' AND k.judged
UNION ALL
SELECT resolution_judged_month, credited_unit_code, credited_officer_nip, 'resolution',
       case_key, category, resolution_met, resolution_wd, NULL, NULL
FROM cases WHERE resolution_judged_month IS NOT NULL
UNION ALL
SELECT strftime(l.at_time, '%Y-%m'), l.unit_code, l.officer_nip, 'resolved', l.case_key,
       c.category, NULL, c.resolution_wd, NULL,
       c.rated_at IS NOT NULL
           AND c.rated_at <= c.resolved_at + to_days(CAST($rating_window_days AS INTEGER))
FROM located AS l JOIN cases AS c USING (case_key)
WHERE l.fact = 'resolved'
UNION ALL
SELECT strftime(at_time, '%Y-%m'), unit_code, officer_nip, fact, case_key, NULL, NULL, NULL,
       score, flag
FROM located WHERE fact IN ('resolution_event', 'rating')
UNION ALL
SELECT month, unit_code, officer_nip, 'backlog', case_key, category, NULL, NULL, NULL, overdue
FROM backlog;
