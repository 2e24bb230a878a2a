-- The staged events as the quality gate reads them, each with the receipt time of its
-- complaint (NULL when no staged complaint has its complaint_key).
CREATE OR REPLACE TEMP VIEW quality_events AS
SELECT
    e.event_key,
    e.complaint_key,
    e.source,
    e.source_id,
    e.event_type,
    e.event_at,
    e.event_at_recorded,  -- set where clock skew moved event_at to receipt (a note)
    c.received_at AS complaint_received_at,
    e.unit_code,
    e.officer_nip,
    e.file,
    e.row_number
FROM stg_events AS e
LEFT JOIN stg_complaints AS c USING (complaint_key);
