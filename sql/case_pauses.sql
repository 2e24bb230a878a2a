-- Clarification pauses: from a clarification_requested to the next clarified (open if none).
-- A second request while one is pending does not start another pause.
CREATE OR REPLACE TEMP TABLE case_pauses AS
WITH pause_events AS (
    SELECT
        case_key, seq, event_at, event_type,
        lag(event_type) OVER (PARTITION BY case_key ORDER BY seq) AS previous_type
    FROM case_events
    WHERE event_type IN ('clarification_requested', 'clarified')
), boundaries AS (
    SELECT
        *,
        lead(event_type) OVER (PARTITION BY case_key ORDER BY seq) AS next_type,
        lead(event_at) OVER (PARTITION BY case_key ORDER BY seq) AS next_at
    FROM pause_events
    WHERE event_type = 'clarified'
       OR previous_type IS DISTINCT FROM 'clarification_requested'
)
SELECT
    case_key,
    row_number() OVER (PARTITION BY case_key ORDER BY seq) AS pause_no,
    event_at AS paused_at,
    CASE WHEN next_type = 'clarified' THEN next_at END AS resumed_at
FROM boundaries
WHERE event_type = 'clarification_requested';
