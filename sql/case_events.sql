-- The lifecycle of each case: the events of all its members, in order. Archiving or
-- rejecting a duplicate copy is bookkeeping of the merge, not an act on the case, so only
-- the primary member's archived / rejected events count.
-- segment_no counts the forwarded / reassigned events so far: the holding segment each
-- event falls in (0 = the admin's, before the first forward; see segments.sql). It comes
-- from the same sort as seq, so segments need no window of their own.
CREATE OR REPLACE TABLE case_events AS
SELECT
    m.case_key,
    row_number() OVER w AS seq,
    CAST(count(*) FILTER (WHERE e.event_type IN ('forwarded', 'reassigned')) OVER (
        w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS INTEGER) AS segment_no,
    e.event_at,
    e.event_type,
    e.unit_code,
    e.officer_nip,
    e.event_key,  -- finds the staged event (its source, file, row and note) again
    -- the flags of the complaint the event belongs to, not of its case: the app hides a
    -- confidential member's notes by them (app/data.py, docs/access.md)
    m.is_confidential,
    m.is_anonymous
FROM stg_events AS e
JOIN case_members AS m USING (complaint_key)
WHERE m.is_primary OR e.event_type NOT IN ('archived', 'rejected')
WINDOW w AS (PARTITION BY m.case_key
             ORDER BY e.event_at, e.type_order, e.complaint_key, e.event_key);
