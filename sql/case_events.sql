-- The lifecycle of each case: the events of all its members, in order. Archiving or
-- rejecting a duplicate copy is bookkeeping of the merge, not an act on the case, so only
-- the primary member's archived / rejected events count.
CREATE OR REPLACE TABLE case_events AS
SELECT
    m.case_key,
    row_number() OVER (
        PARTITION BY m.case_key
        ORDER BY e.event_at, e.type_order, e.complaint_key, e.row_number
    ) AS seq,
    e.event_at,
    e.event_type,
    e.unit_code,
    e.officer_nip,
    e.source,
    e.row_number  -- with source, finds the staged event (and its note) again
FROM stg_events AS e
JOIN case_members AS m USING (complaint_key)
WHERE m.is_primary OR e.event_type NOT IN ('archived', 'rejected');
