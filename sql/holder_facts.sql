-- Every countable fact of every month, with the unit and officer it is credited to. The
-- month tables are sums, rates and quantiles of these rows (see month_measures.sql).
--   received           a holder segment started (month of its start)
--   response           a response deadline judged (month it falls due)
--   resolution         a resolution deadline judged (month it falls due), with category
--                      (the case mix needs it; other facts leave category NULL: the
--                      case's category is in `cases`)
--   forwarding         a forwarding deadline judged (month it falls due), admin holder
--   resolved           a final resolution (month resolved), its working days, rated or not
--   resolution_event   any resolution, also one later undone; reopened within the window?
--   rating             a citizen rating (month given), credited to the holder then
--   backlog            a case open and held at the end of the month; overdue or not
-- The first four are the rows of segments, clocks and cases themselves, each with the
-- holder credited there; `holder_facts` is a view that reads them from those tables, so
-- they are not written twice (writing is a third of the build's time). The facts of an
-- instant and the backlog need a holder looked up at a time and are written to
-- `holder_instants`, in parts so each part's joins hold memory only while it runs; one
-- transaction, so a reader never sees a partial table.
BEGIN TRANSACTION;

-- closing events (resolved, reopened, archived, rejected), each with the next one
CREATE OR REPLACE TEMP TABLE case_closings AS
SELECT
    case_key, seq, event_at, event_type,
    lead(event_type) OVER (PARTITION BY case_key ORDER BY seq) AS next_type,
    lead(event_at) OVER (PARTITION BY case_key ORDER BY seq) AS next_at
FROM case_events
WHERE event_type IN ('resolved', 'reopened', 'archived', 'rejected');

-- the facts of an instant, credited to whoever held the case then: the final resolution
-- (with its working days and whether it was rated in time), every resolution (reopened
-- within the window?), every rating; one join to the segments for all three
CREATE OR REPLACE TABLE holder_instants AS
WITH instants AS (
    SELECT c.case_key, c.resolved_at AS at_time, 'resolved' AS fact, c.resolution_wd AS wd,
           CAST(NULL AS INTEGER) AS score,
           c.rated_at IS NOT NULL
               AND c.rated_at <= c.resolved_at + to_days(CAST($rating_window_days AS INTEGER))
               AS flag
    FROM cases AS c
    WHERE c.resolved_at IS NOT NULL
    UNION ALL
    SELECT r.case_key, r.event_at, 'resolution_event', NULL, NULL,
           coalesce(r.next_type = 'reopened'
                    AND r.next_at <= r.event_at
                                     + to_days(CAST($reopen_window_days AS INTEGER)),
                    false)
    FROM case_closings AS r
    WHERE r.event_type = 'resolved'
    UNION ALL
    SELECT m.case_key, r.rated_at, 'rating', NULL, r.score, r.resolved
    FROM stg_ratings AS r JOIN case_members AS m USING (complaint_key)
)
SELECT strftime(i.at_time, '%Y-%m') AS month, s.unit_code, s.officer_nip, i.fact, i.case_key,
       CAST(NULL AS VARCHAR) AS category, CAST(NULL AS BOOLEAN) AS met,
       CAST(i.wd AS INTEGER) AS wd, CAST(i.score AS INTEGER) AS score, i.flag
FROM instants AS i
LEFT JOIN segments AS s
    ON s.case_key = i.case_key AND s.start_at <= i.at_time
    AND (s.next_start_at IS NULL OR i.at_time < s.next_start_at);

-- the backlog at each month end: cases open then, with their holder then
INSERT INTO holder_instants
WITH month_ends AS (
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
    LEFT JOIN (SELECT case_key, min(event_at) AS event_at FROM case_closings GROUP BY case_key)
        AS f USING (case_key)
    UNION ALL
    SELECT case_key, event_at, next_at FROM case_closings WHERE event_type = 'reopened'
)
SELECT e.month, s.unit_code, s.officer_nip, 'backlog', o.case_key, NULL, NULL, NULL,
       NULL, c.resolution_due_date < CAST(e.at_time AS DATE)
FROM month_ends AS e
JOIN open_spans AS o
    ON o.from_at < e.at_time AND (o.to_at IS NULL OR o.to_at >= e.at_time)
JOIN cases AS c ON c.case_key = o.case_key
LEFT JOIN segments AS s
    ON s.case_key = o.case_key AND s.start_at < e.at_time
    AND (s.next_start_at IS NULL OR s.next_start_at >= e.at_time);

DROP TABLE case_closings;

CREATE OR REPLACE VIEW holder_facts AS
SELECT strftime(start_at, '%Y-%m') AS month, unit_code, officer_nip, 'received' AS fact,
       case_key, CAST(NULL AS VARCHAR) AS category, CAST(NULL AS BOOLEAN) AS met,
       CAST(NULL AS INTEGER) AS wd, CAST(NULL AS INTEGER) AS score, CAST(NULL AS BOOLEAN) AS flag
FROM segments WHERE kind = 'holder'
UNION ALL
SELECT due_month, holder_unit_code, holder_officer_nip, clock, case_key, NULL, met,
       elapsed_wd, NULL, NULL
FROM clocks WHERE clock IN ('response', 'forwarding') AND judged
UNION ALL
SELECT resolution_judged_month, credited_unit_code, credited_officer_nip, 'resolution',
       case_key, category, resolution_met, resolution_wd, NULL, NULL
FROM cases WHERE resolution_judged_month IS NOT NULL
UNION ALL
SELECT * FROM holder_instants;

COMMIT;
