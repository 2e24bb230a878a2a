-- The lifecycle of each case: the events of all its members, in order. Archiving or
-- rejecting a duplicate copy is bookkeeping of the merge, not an act on the case, so only
-- the primary member's archived / rejected events count.
-- segment_no counts the forwarded / reassigned events so far: the holding segment each
-- event falls in (0 = the admin's, before the first forward; see segments.sql). It comes
-- from the same sort as seq, so segments need no window of their own.
CREATE OR REPLACE TABLE case_events AS
WITH merged AS (
    SELECT complaint_key, case_key, is_primary FROM case_members WHERE member_count > 1
), kept AS (
    -- a complaint that was not merged is its own case (staging quarantines events of
    -- unknown complaints, so every event's complaint is in case_members): only the few
    -- merged ones need looking up
    SELECT e.complaint_key AS case_key, e.event_at, e.type_order, e.complaint_key,
           e.row_number, e.event_type, e.unit_code, e.officer_nip, e.source
    FROM stg_events AS e
    ANTI JOIN merged USING (complaint_key)
    UNION ALL
    SELECT m.case_key, e.event_at, e.type_order, e.complaint_key,
           e.row_number, e.event_type, e.unit_code, e.officer_nip, e.source
    FROM stg_events AS e
    JOIN merged AS m USING (complaint_key)
    WHERE m.is_primary OR e.event_type NOT IN ('archived', 'rejected')
)
SELECT
    case_key,
    row_number() OVER w AS seq,
    CAST(count(*) FILTER (WHERE event_type IN ('forwarded', 'reassigned')) OVER (
        w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS INTEGER) AS segment_no,
    event_at,
    event_type,
    unit_code,
    officer_nip,
    source,
    row_number  -- with source, finds the staged event (and its note) again
FROM kept
WINDOW w AS (PARTITION BY case_key ORDER BY event_at, type_order, complaint_key, row_number);
