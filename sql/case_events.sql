-- The lifecycle of each case: the events of all its members, in order. Archiving or
-- rejecting a duplicate copy is bookkeeping of the merge, not an act on the case, so only
-- the primary member's archived / rejected events count.
-- The ordering runs on keys only and the event columns join back after: a window that
-- carries text columns through its sort costs several times more.
CREATE OR REPLACE TABLE case_events AS
WITH kept AS (
    SELECT m.case_key, e.source, e.row_number, e.event_at, e.type_order, e.complaint_key
    FROM stg_events AS e
    JOIN case_members AS m USING (complaint_key)
    WHERE m.is_primary OR e.event_type NOT IN ('archived', 'rejected')
), ordered AS (
    SELECT
        case_key, source, row_number,
        row_number() OVER (
            PARTITION BY case_key ORDER BY event_at, type_order, complaint_key, row_number
        ) AS seq
    FROM kept
)
SELECT
    o.case_key,
    o.seq,
    e.event_at,
    e.event_type,
    e.unit_code,
    e.officer_nip,
    e.source,
    e.row_number  -- with source, finds the staged event (and its note) again
FROM ordered AS o
JOIN stg_events AS e USING (source, row_number);
