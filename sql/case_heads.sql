-- One row per case with what its lifecycle says: receipt, first forward and response, the
-- final resolution (a resolution undone by a later reopening does not count), closing
-- status and the final holder. A final resolution the source's system made by itself
-- (automatic_closures.sql) resolves the case at its last activity: resolved_at is that
-- activity, closed_at the closure, closed_automatically true. Free text (title,
-- description, notes) stays in the staged tables and joins in at publication: carrying it
-- through every stage costs time.
-- Two statements: the per-case aggregate over all events first, then the joins; in one
-- statement both held their memory at once (at 10M complaints, more than a 3 GB limit).
CREATE OR REPLACE TEMP TABLE case_lifecycle AS
WITH lifecycle AS (
    SELECT
        case_key,
        min(event_at) FILTER (WHERE event_type = 'forwarded') AS forwarded_at,
        -- the admin's first act, which ends the forwarding clock
        min(event_at) FILTER (WHERE event_type IN ('forwarded', 'archived', 'rejected'))
            AS admin_acted_at,
        min(event_at) FILTER (WHERE event_type = 'responded') AS first_response_at,
        coalesce(max(seq) FILTER (WHERE event_type = 'resolved'), -1) AS resolved_seq,
        coalesce(max(seq) FILTER (WHERE event_type = 'reopened'), -1) AS reopened_seq,
        coalesce(max(seq) FILTER (WHERE event_type = 'archived'), -1) AS archived_seq,
        coalesce(max(seq) FILTER (WHERE event_type = 'rejected'), -1) AS rejected_seq,
        max(event_at) FILTER (WHERE event_type = 'resolved') AS last_resolved_at,
        count(*) FILTER (WHERE event_type = 'reopened') AS reopen_count,
        count(*) FILTER (WHERE event_type IN ('forwarded', 'reassigned')) AS transfers
    FROM case_events
    GROUP BY case_key
), closing AS (
    -- the last of the closing events (resolved, reopened, archived, rejected), if any
    SELECT
        *,
        CASE greatest(resolved_seq, reopened_seq, archived_seq, rejected_seq)
            WHEN -1 THEN NULL
            WHEN resolved_seq THEN 'resolved'
            WHEN reopened_seq THEN 'reopened'
            WHEN archived_seq THEN 'archived'
            ELSE 'rejected'
        END AS last_closing_type
    FROM lifecycle
)
SELECT * FROM closing;

CREATE OR REPLACE TEMP TABLE case_heads AS
WITH last_holder AS (
    -- the last segment is the one no later segment follows
    SELECT case_key, unit_code, officer_nip, calendar_key
    FROM segments
    WHERE next_start_at IS NULL
), admin AS (
    -- segment 0: the admin, credited with the forwarding clock
    SELECT case_key, unit_code, officer_nip FROM segments WHERE segment_no = 0
), members AS (
    -- most cases have one member: only the merged ones need grouping. A case is
    -- confidential (anonymous) when any of its members is: its text and events tell the
    -- member's story whichever complaint heads it (docs/access.md)
    SELECT case_key, case_id, received_at, [channel] AS channels, member_count,
           is_confidential, is_anonymous
    FROM case_members
    WHERE member_count = 1
    UNION ALL
    SELECT
        case_key,
        any_value(case_id),
        min(received_at),
        list_sort(list_distinct(list(channel))),
        count(*),
        bool_or(is_confidential),
        bool_or(is_anonymous)
    FROM case_members
    WHERE member_count > 1
    GROUP BY case_key
)
SELECT
    m.case_key,
    m.case_id,
    m.channels,
    m.member_count,
    m.received_at,
    c.category,
    c.complaint_class,
    c.district,
    c.village,
    c.lat,
    c.lon,
    m.is_anonymous,
    m.is_confidential,
    c.due_at AS source_due_at,
    c.due_rule,  -- the head complaint's source says how its deadline is judged
    c.undated_rule,
    c.source_verdict,
    l.forwarded_at,
    l.admin_acted_at,
    l.first_response_at,
    -- (automatic closures: the officer's resolution is the last activity before it)
    CASE WHEN l.last_closing_type = 'resolved'
        THEN coalesce(ac.last_activity_at, l.last_resolved_at) END AS resolved_at,
    CASE WHEN l.last_closing_type = 'resolved' THEN l.last_resolved_at END AS closed_at,
    ac.case_key IS NOT NULL AS closed_automatically,
    coalesce(l.reopen_count, 0) AS reopen_count,
    coalesce(l.transfers, 0) AS transfers,
    CASE
        WHEN l.last_closing_type = 'resolved' THEN 'resolved'
        WHEN l.last_closing_type IN ('archived', 'rejected') THEN l.last_closing_type
        WHEN l.first_response_at IS NOT NULL THEN 'in_progress'
        WHEN l.forwarded_at IS NOT NULL THEN 'forwarded'
        ELSE 'received'
    END AS status,
    h.unit_code,
    h.officer_nip,
    h.calendar_key,
    a.unit_code AS admin_unit_code,
    a.officer_nip AS admin_officer_nip
FROM members AS m
JOIN stg_complaints AS c ON c.complaint_key = m.case_key
LEFT JOIN case_lifecycle AS l USING (case_key)
LEFT JOIN automatic_closures AS ac
    ON ac.case_key = m.case_key AND ac.seq = l.resolved_seq AND l.last_closing_type = 'resolved'
LEFT JOIN last_holder AS h USING (case_key)
LEFT JOIN admin AS a USING (case_key);

DROP TABLE case_lifecycle;
