-- Holding segments: who held each case when. Segment 0 is the admin's (received until the
-- first forward; held by the verifying officer); each forwarded / reassigned event starts a
-- holder segment that lasts until the next one. A holder segment's response clock ends at
-- the holder's first responded, reassigned, forwarded, resolved, archived or rejected.
CREATE OR REPLACE TABLE segments AS
WITH heads AS (
    SELECT case_key, min(received_at) AS received_at FROM case_members GROUP BY case_key
), verifier AS (
    SELECT case_key, arg_min(officer_nip, seq) AS officer_nip, arg_min(unit_code, seq) AS unit_code,
           min(event_at) AS verified_at
    FROM case_events
    WHERE event_type = 'verified'
    GROUP BY case_key
), starts AS (
    SELECT case_key, seq, event_at AS start_at, 'holder' AS kind, unit_code, officer_nip
    FROM case_events
    WHERE event_type IN ('forwarded', 'reassigned')
    UNION ALL
    SELECT h.case_key, 0, h.received_at, 'admin',
           coalesce(v.unit_code, o.unit_code), v.officer_nip
    FROM heads AS h
    LEFT JOIN verifier AS v USING (case_key)
    LEFT JOIN ref_officers AS o
        ON o.nip = v.officer_nip
        AND CAST(v.verified_at AS DATE) BETWEEN o.valid_from
            AND coalesce(o.valid_to, DATE '9999-12-31')
), chained AS (
    SELECT
        *,
        row_number() OVER w - 1 AS segment_no,
        lead(start_at) OVER w AS next_start_at,
        lead(seq) OVER w AS next_seq
    FROM starts
    WINDOW w AS (PARTITION BY case_key ORDER BY seq)
), response_end AS (
    SELECT s.case_key, s.seq, min(e.seq) AS end_seq
    FROM chained AS s
    JOIN case_events AS e
        ON e.case_key = s.case_key AND e.seq > s.seq
        AND e.event_type IN ('responded', 'reassigned', 'forwarded', 'resolved', 'archived',
                             'rejected')
    WHERE s.kind = 'holder'
    GROUP BY ALL
), acting AS (
    -- forwarded to a unit without naming an officer: the first officer who acts holds it
    SELECT s.case_key, s.seq, arg_min(e.officer_nip, e.seq) AS officer_nip
    FROM chained AS s
    JOIN case_events AS e
        ON e.case_key = s.case_key AND e.seq > s.seq
        AND (s.next_seq IS NULL OR e.seq < s.next_seq)
        AND e.officer_nip IS NOT NULL
    WHERE s.officer_nip IS NULL AND s.kind = 'holder'
    GROUP BY ALL
)
SELECT
    s.case_key,
    s.segment_no,
    s.kind,
    s.start_at,
    s.next_start_at,
    s.unit_code,
    coalesce(s.officer_nip, a.officer_nip) AS officer_nip,
    coalesce(u.calendar_key, 'tenant-5d') AS calendar_key,
    e.event_at AS response_end_at,
    e.event_type AS response_end_type
FROM chained AS s
LEFT JOIN response_end AS r USING (case_key, seq)
LEFT JOIN case_events AS e ON e.case_key = s.case_key AND e.seq = r.end_seq
LEFT JOIN acting AS a USING (case_key, seq)
LEFT JOIN ref_units AS u ON u.unit_code = s.unit_code;
