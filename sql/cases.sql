-- The published case table: one row per case (complaints merged across channels), with its
-- resolution clock and who is credited with its resolution deadline: the holder at
-- resolution when it was met, else the holder when the deadline passed (end of due date).
CREATE OR REPLACE TABLE cases AS
WITH resolution AS (
    SELECT
        *,
        CASE WHEN met THEN end_at
             WHEN due_at IS NOT NULL THEN due_at  -- a source's due timestamp
             ELSE CAST(due_date AS TIMESTAMP) + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND
        END AS credit_at
    FROM clocks
    WHERE clock = 'resolution'
), credit AS (
    SELECT r.case_key, s.unit_code, s.officer_nip
    FROM resolution AS r
    JOIN segments AS s
        ON s.case_key = r.case_key AND s.start_at <= r.credit_at
        AND (s.next_start_at IS NULL OR r.credit_at < s.next_start_at)
), ratings AS (
    SELECT
        m.case_key,
        arg_max(r.score, r.rated_at) AS rating_score,
        arg_max(r.resolved, r.rated_at) AS rating_says_resolved,
        max(r.rated_at) AS rated_at,
        count(*) AS ratings_n
    FROM stg_ratings AS r
    JOIN case_members AS m USING (complaint_key)
    GROUP BY m.case_key
), event_notes AS (
    -- events of the case's complaints that did not reach it as stamped (stg_events.sql)
    SELECT m.case_key,
           CAST(sum(n.quarantined_events) AS INTEGER) AS quarantined_events,
           CAST(sum(n.quarantined_closing_events) AS INTEGER) AS quarantined_closing_events,
           CAST(sum(n.clamped_events) AS INTEGER) AS clamped_events
    FROM stg_event_notes AS n
    JOIN case_members AS m USING (complaint_key)
    GROUP BY m.case_key
)
SELECT
    h.case_key,
    h.case_id,
    $tenant AS tenant,
    h.channels,
    h.member_count,
    h.received_at,
    h.category,
    h.complaint_class,
    h.district,
    h.village,
    h.lat,
    h.lon,
    h.unit_code,
    h.officer_nip,
    h.status,
    h.forwarded_at,
    h.first_response_at,
    h.resolved_at,
    h.closed_at,  -- the closing event; after an automatic closure, later than resolved_at
    h.closed_automatically,
    r.elapsed_wd AS resolution_wd,
    r.allowed_wd AS resolution_due_wd,
    r.due_date AS resolution_due_date,
    r.paused_wd,
    r.deadline_basis AS resolution_deadline_basis,  -- policy, source_*, none (clocks.sql)
    r.due_at AS resolution_due_at,  -- a source's due timestamp, when it is compared as one
    CASE WHEN r.judged THEN r.met END AS resolution_met,
    CASE WHEN r.judged THEN r.due_month END AS resolution_judged_month,
    c.unit_code AS credited_unit_code,
    c.officer_nip AS credited_officer_nip,
    f.elapsed_wd AS forwarding_wd,
    CASE WHEN f.judged THEN f.met END AS forwarding_met,
    h.reopen_count,
    h.transfers,
    g.rating_score,
    g.rating_says_resolved,
    g.rated_at,
    h.is_confidential,  -- any member's, not only the head's (case_heads.sql)
    h.is_anonymous,
    -- a data problem of its events (0 when none): its page and missed deadlines say so
    coalesce(n.quarantined_events, 0) AS quarantined_events,
    coalesce(n.quarantined_closing_events, 0) AS quarantined_closing_events,
    coalesce(n.clamped_events, 0) AS clamped_events,
    h.source_verdict  -- the source's own verdict: on_time, overdue, unknown (verdicts.sql)
FROM case_heads AS h
LEFT JOIN resolution AS r USING (case_key)
LEFT JOIN credit AS c USING (case_key)
LEFT JOIN clocks AS f ON f.case_key = h.case_key AND f.clock = 'forwarding'
LEFT JOIN ratings AS g ON g.case_key = h.case_key
LEFT JOIN event_notes AS n ON n.case_key = h.case_key;

-- the stage's temporary tables are done with: free their memory for what follows
DROP TABLE case_heads;

DROP TABLE case_pauses;
