-- The lifecycle of each case: the events of all its members, in order. Archiving or
-- rejecting a duplicate copy is bookkeeping of the merge, not an act on the case, so only
-- the primary member's archived / rejected events count.
CREATE OR REPLACE TABLE case_events AS
SELECT
    m.case_id,
    row_number() OVER (
        PARTITION BY m.case_id
        ORDER BY e.event_at,
            CASE e.event_type
                WHEN 'verified' THEN 1 WHEN 'forwarded' THEN 2 WHEN 'reassigned' THEN 3
                WHEN 'clarification_requested' THEN 4 WHEN 'clarified' THEN 5
                WHEN 'responded' THEN 6 WHEN 'postponed' THEN 7 WHEN 'resolved' THEN 8
                WHEN 'reopened' THEN 9 WHEN 'archived' THEN 10 ELSE 11
            END,
            e.source, e.row_number
    ) AS seq,
    e.event_at,
    e.event_type,
    e.unit_code,
    e.officer_nip,
    e.note,
    e.source,
    e.source_id,
    e.file,
    e.row_number
FROM stg_events AS e
JOIN case_members AS m USING (source, source_id)
WHERE m.is_primary OR e.event_type NOT IN ('archived', 'rejected');
