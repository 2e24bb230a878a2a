-- Holding segments: who held each case when. Segment 0 is the admin's (received until the
-- first forward; held by the verifying officer); each forwarded / reassigned event starts a
-- holder segment that lasts until the next one. A holder segment's response clock ends at
-- the holder's first responded, resolved, archived or rejected, or at the next forward /
-- reassignment, whichever comes first.
-- Every event carries its segment_no (case_events.sql): a segment's start is its first
-- event, and its first act a GROUP BY over the acts alone.
CREATE OR REPLACE TABLE segments AS
WITH heads AS (
    SELECT case_key, received_at FROM case_members WHERE member_count = 1
    UNION ALL
    SELECT case_key, min(received_at) FROM case_members WHERE member_count > 1 GROUP BY case_key
), verifier AS (
    SELECT case_key, arg_min(officer_nip, seq) AS officer_nip, arg_min(unit_code, seq) AS unit_code,
           min(event_at) AS verified_at
    FROM case_events
    WHERE event_type = 'verified'
    GROUP BY case_key
), transfers AS (
    -- a holder segment's first event is the forward / reassignment that starts it
    SELECT case_key, segment_no, event_at AS start_at, event_type AS start_type, unit_code,
           officer_nip
    FROM case_events
    WHERE event_type IN ('forwarded', 'reassigned')
), acts AS (
    -- the holder's first act in the segment
    SELECT case_key, segment_no, min(event_at) AS acted_at,
           arg_min(event_type, seq) AS acted_type
    FROM case_events
    WHERE segment_no > 0 AND event_type IN ('responded', 'resolved', 'archived', 'rejected')
    GROUP BY case_key, segment_no
), named AS (
    -- forwarded to a unit without naming an officer: the first officer who acts holds it
    -- (arg_min skips NULLs: the first officer named in the segment)
    SELECT case_key, segment_no, arg_min(officer_nip, seq) AS officer_nip
    FROM case_events
    SEMI JOIN (SELECT case_key, segment_no FROM transfers WHERE officer_nip IS NULL)
        USING (case_key, segment_no)
    GROUP BY case_key, segment_no
), holder AS (
    SELECT t.case_key, t.segment_no, t.start_at, t.start_type, t.unit_code,
           coalesce(t.officer_nip, n.officer_nip) AS officer_nip, a.acted_at, a.acted_type
    FROM transfers AS t
    LEFT JOIN acts AS a USING (case_key, segment_no)
    LEFT JOIN named AS n USING (case_key, segment_no)
), starts AS (
    SELECT case_key, segment_no, start_at, 'holder' AS kind, unit_code, officer_nip,
           acted_at, acted_type
    FROM holder
    UNION ALL
    SELECT h.case_key, 0, h.received_at, 'admin', coalesce(v.unit_code, o.unit_code),
           v.officer_nip, NULL, NULL
    FROM heads AS h
    LEFT JOIN verifier AS v USING (case_key)
    LEFT JOIN ref_officers AS o
        ON o.nip = v.officer_nip
        AND CAST(v.verified_at AS DATE) BETWEEN o.valid_from
            AND coalesce(o.valid_to, DATE '9999-12-31')
)
SELECT
    s.case_key,
    s.segment_no,
    s.kind,
    s.start_at,
    n.start_at AS next_start_at,
    s.unit_code,
    s.officer_nip,
    coalesce(u.calendar_key, 'tenant-5d') AS calendar_key,
    CASE WHEN s.kind = 'holder' THEN coalesce(s.acted_at, n.start_at) END AS response_end_at,
    CASE WHEN s.kind = 'holder' THEN
        CASE WHEN s.acted_at IS NOT NULL THEN s.acted_type
             ELSE n.start_type END
    END AS response_end_type
FROM starts AS s
LEFT JOIN holder AS n ON n.case_key = s.case_key AND n.segment_no = s.segment_no + 1
LEFT JOIN ref_units AS u ON u.unit_code = s.unit_code;
