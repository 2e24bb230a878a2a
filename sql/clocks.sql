-- Every deadline clock of every case, measured in working days on its calendar.
--   forwarding: received -> first forwarded (or archived / rejected): admin clock, no pauses
--   response:   each holder segment -> the holder's first action (see segments.sql)
--   resolution: received -> final resolution; archived / rejected cases have none
-- wd(a, b) = index[date(b)] - index[date(a)] (the day of receipt does not count).
-- Clarification pauses stop the response and resolution clocks: the working days d with
-- date(requested) < d <= date(clarified) are not counted, and push the deadline back.
-- An open clock is measured up to $as_of_date; an open pause runs up to it too.
-- A forwarding or response clock belongs to one holder, who is credited with it: the
-- admin (segment 0) or the holder segment (holder_unit_code, holder_officer_nip). The
-- resolution clock spans holders; cases.sql says whom it is credited to.
-- The resolution deadline's basis (deadline_basis; docs/sources.md, "Deadlines"): the
-- policy's working days ('policy'), or the source's own due_at, compared as a timestamp
-- (met iff resolved_at <= due_at: 'source_timestamp') or as a date (met iff
-- date(resolved_at) <= date(due_at): 'source_date'), or no deadline ('none': a record
-- without due_at of a source whose mapping says not_judged; never judged, in no SLA
-- denominator). A source's source.yaml `deadlines:` (due_rule, undated_rule of its head
-- complaint) wins over the policy's deadlines.use_source_due_at (date comparison).
-- resolved_at and due_at are both staged as tenant-local time, each converted from its
-- own zone or offset, so comparing them compares the instants (except within a repeated
-- daylight-saving hour of the tenant's zone; the Indonesian zones have none).
CREATE OR REPLACE TABLE clocks AS
-- (clock_list is read twice, by base and by pause_parts: recomputing it is cheaper than
-- holding all its rows in memory)
WITH clock_list AS NOT MATERIALIZED (
    SELECT case_key, 0 AS segment_no, 'forwarding' AS clock, received_at AS start_at,
           admin_acted_at AS end_at, 'tenant-5d' AS calendar_key,
           CAST($forwarding_wd AS INTEGER) AS allowed_wd, false AS pausable,
           CAST(NULL AS DATE) AS fixed_due_date, CAST(NULL AS TIMESTAMP) AS fixed_due_at,
           'policy' AS deadline_basis, admin_unit_code AS holder_unit_code,
           admin_officer_nip AS holder_officer_nip
    FROM case_heads
    UNION ALL
    SELECT case_key, segment_no, 'response', start_at, response_end_at, calendar_key,
           CAST($response_wd AS INTEGER), true, NULL, NULL, 'policy', unit_code, officer_nip
    FROM segments
    WHERE kind = 'holder'
    UNION ALL
    SELECT case_key, 0, 'resolution', received_at, resolved_at,
           coalesce(calendar_key, 'tenant-5d'),
           CAST(CASE
               WHEN list_contains($field_inspection_categories, category)
                   THEN $due_field_inspection
               WHEN complaint_class = 'permintaan_informasi' THEN $due_permintaan_informasi
               WHEN complaint_class = 'aspirasi' THEN $due_aspirasi
               WHEN complaint_class = 'whistleblowing' THEN $due_whistleblowing
               ELSE $due_pengaduan
           END AS INTEGER),
           true,
           CASE WHEN deadline_basis LIKE 'source_%' THEN CAST(source_due_at AS DATE) END,
           CASE WHEN deadline_basis = 'source_timestamp' THEN source_due_at END,
           deadline_basis,
           NULL,  -- spans holders: cases.sql credits it
           NULL
    FROM (
        SELECT
            *,
            CASE
                WHEN coalesce(due_rule, CASE WHEN $use_source_due_at THEN 'date' END,
                              'policy') = 'policy' THEN 'policy'
                WHEN source_due_at IS NOT NULL
                    THEN 'source_' || coalesce(due_rule, 'date')
                WHEN undated_rule = 'not_judged' THEN 'none'
                ELSE 'policy'
            END AS deadline_basis
        FROM case_heads
    )
    WHERE status NOT IN ('archived', 'rejected')
), base AS (
    SELECT
        k.*,
        s.wd_index AS start_idx,
        e.wd_index AS end_idx,
        coalesce(e.wd_index, n.wd_index) AS eval_idx,
        f.wd_index AS fixed_due_idx
    FROM clock_list AS k
    JOIN calendar_days AS s
        ON s.calendar_key = k.calendar_key AND s.day = CAST(k.start_at AS DATE)
    LEFT JOIN calendar_days AS e
        ON e.calendar_key = k.calendar_key AND e.day = CAST(k.end_at AS DATE)
    JOIN calendar_days AS n
        ON n.calendar_key = k.calendar_key AND n.day = CAST($as_of_date AS DATE)
    LEFT JOIN calendar_days AS f
        ON f.calendar_key = k.calendar_key AND f.day = k.fixed_due_date
), pause_parts AS (
    -- the pauses within each pausable clock (few clocks have one: the calendar lookups
    -- come after the join)
    SELECT
        k.case_key, k.clock, k.segment_no, s.wd_index AS start_idx, k.allowed_wd,
        coalesce(e.wd_index, n.wd_index) AS eval_idx,
        p.pause_no,
        p.resumed_at IS NULL AS still_paused,
        pi.wd_index AS pause_idx,
        ri.wd_index AS resume_idx
    FROM clock_list AS k
    JOIN case_pauses AS p
        ON p.case_key = k.case_key AND k.pausable
        AND p.paused_at >= k.start_at AND (k.end_at IS NULL OR p.paused_at < k.end_at)
    JOIN calendar_days AS s
        ON s.calendar_key = k.calendar_key AND s.day = CAST(k.start_at AS DATE)
    LEFT JOIN calendar_days AS e
        ON e.calendar_key = k.calendar_key AND e.day = CAST(k.end_at AS DATE)
    JOIN calendar_days AS n
        ON n.calendar_key = k.calendar_key AND n.day = CAST($as_of_date AS DATE)
    JOIN calendar_days AS pi
        ON pi.calendar_key = k.calendar_key AND pi.day = CAST(p.paused_at AS DATE)
    JOIN calendar_days AS ri
        ON ri.calendar_key = k.calendar_key
        AND ri.day = CAST(coalesce(p.resumed_at, CAST($as_of_date AS DATE)) AS DATE)
), pause_running AS (
    SELECT
        *,
        resume_idx - pause_idx AS pause_len,
        coalesce(sum(resume_idx - pause_idx) OVER (
            PARTITION BY case_key, clock, segment_no ORDER BY pause_no
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ), 0) AS prior_len
    FROM pause_parts
), pause_totals AS (
    SELECT
        case_key, clock, segment_no,
        -- a pause requested after the (already shifted) deadline cannot move it
        coalesce(sum(pause_len) FILTER (
            WHERE pause_idx <= start_idx + allowed_wd + prior_len), 0) AS deadline_shift,
        sum(greatest(0, least(resume_idx, eval_idx) - pause_idx)) AS paused_wd,
        bool_or(still_paused) AS still_paused
    FROM pause_running
    GROUP BY ALL
), measured AS (
    SELECT
        b.*,
        CAST(coalesce(t.paused_wd, 0) AS INTEGER) AS paused_wd,
        coalesce(t.still_paused, false) AS still_paused,
        CAST(b.eval_idx - b.start_idx - coalesce(t.paused_wd, 0) AS INTEGER) AS elapsed_wd,
        CAST(coalesce(b.fixed_due_idx,
                      b.start_idx + b.allowed_wd + coalesce(t.deadline_shift, 0)) AS INTEGER)
            AS due_idx
    FROM base AS b
    LEFT JOIN pause_totals AS t USING (case_key, clock, segment_no)
)
SELECT
    m.case_key,
    m.clock,
    m.segment_no,
    m.calendar_key,
    m.start_at,
    m.end_at,
    CASE WHEN m.deadline_basis = 'none' THEN NULL
         WHEN m.fixed_due_idx IS NOT NULL THEN m.fixed_due_idx - m.start_idx
         ELSE m.allowed_wd END AS allowed_wd,
    m.paused_wd,
    m.elapsed_wd,
    CASE WHEN m.deadline_basis <> 'none' THEN coalesce(m.fixed_due_date, d.day) END AS due_date,
    m.deadline_basis <> 'none'
        AND (m.end_at IS NOT NULL
             OR (coalesce(m.fixed_due_date, d.day) <= CAST($as_of_date AS DATE)
                 AND NOT m.still_paused)) AS judged,
    CASE
        WHEN m.deadline_basis = 'none' THEN NULL
        WHEN m.end_at IS NULL THEN false
        WHEN m.fixed_due_at IS NOT NULL THEN m.end_at <= m.fixed_due_at
        WHEN m.fixed_due_date IS NOT NULL THEN CAST(m.end_at AS DATE) <= m.fixed_due_date
        ELSE m.elapsed_wd <= m.allowed_wd
    END AS met,
    CASE WHEN m.deadline_basis <> 'none'
        THEN strftime(coalesce(m.fixed_due_date, d.day), '%Y-%m') END AS due_month,
    m.deadline_basis,
    m.fixed_due_at AS due_at,
    m.holder_unit_code,
    m.holder_officer_nip
FROM measured AS m
LEFT JOIN calendar_days AS d
    ON d.calendar_key = m.calendar_key AND d.wd_index = m.due_idx AND d.is_working_day;
