-- Gaming and anomaly signals for the inspectorate (docs/flags.md): one row per flagged case
-- (its case_id: no internal key, so a frozen version's hash does not move when the same
-- rows are read from another file) and signal, with the month of the act that raised it,
-- the officer and unit it concerns, and a detail citing what was seen. A flag is a reason
-- to look at a case, never a finding: it feeds inspectorate_review recommendations, not
-- sanctions.
--   closed_without_text      resolved with no response text, or template-only text
--   reopen_loop              reopened $flag_reopen_loop times or more
--   rated_not_fixed          resolved, but the citizen's latest rating says not fixed
--   ping_pong                passed between units $flag_ping_pong_transfers times or more
--   deadline_bunching        resolved on its due date, by an officer who resolves most
--                            cases of the month on their due date
--   late_clarification       clarification requested on or after the last working day
--                            before the resolution deadline (it stops the clock)
--   archived_as_duplicate    archived / rejected as a duplicate, but merged with nothing
--   bulk_closure             one of at least $flag_bulk_closure_min closures by the same hand
--                            (officer, or unit when no officer is named) within
--                            $flag_bulk_closure_minutes minutes
-- Automatic closures (automatic_closures.sql) are the source system's acts, not an
-- officer's: they raise neither closed_without_text nor bulk_closure.
--   missed_deadline_data_problem
--                            the resolution deadline was missed, but an event of the case
--                            was quarantined: a data problem, not (or not only) the
--                            officer's delay; not counted towards recommendations
-- Reclassification after a missed deadline cannot be seen: the contract's events carry no
-- change of category or class.
CREATE OR REPLACE TABLE flags AS
WITH duplicate_words AS (
    SELECT unnest($flag_duplicate_words) AS word
), closing_notes AS (
    SELECT e.case_key, e.event_type, e.event_at, e.unit_code, e.officer_nip, s.note,
           lower(trim(coalesce(s.note, ''))) AS note_key
    FROM case_events AS e
    JOIN stg_events AS s USING (event_key)
    WHERE e.event_type IN ('resolved', 'archived', 'rejected')
      AND s.event_type IN ('resolved', 'archived', 'rejected')  -- filters the wide side too
      AND e.event_key NOT IN (SELECT event_key FROM automatic_closures)
), bare AS (
    SELECT strftime(event_at, '%Y-%m') AS month, case_key, officer_nip, unit_code,
           'closed_without_text' AS flag,
           'diselesaikan pada ' || strftime(event_at, '%Y-%m-%d %H:%M') || CASE
               WHEN note_key = '' THEN ' tanpa teks tanggapan'
               ELSE ' hanya dengan "' || trim(note) || '" sebagai tanggapan'
           END AS detail
    FROM closing_notes
    WHERE event_type = 'resolved'
      AND (length(note_key) < $flag_min_note_chars
           OR list_contains($flag_template_notes, note_key))
), loops AS (
    SELECT strftime(max(e.event_at), '%Y-%m') AS month, e.case_key,
           any_value(c.officer_nip) AS officer_nip, any_value(c.unit_code) AS unit_code,
           'reopen_loop' AS flag,
           'dibuka kembali ' || count(*) || ' kali, terakhir pada '
               || strftime(max(e.event_at), '%Y-%m-%d') AS detail
    FROM case_events AS e
    JOIN cases AS c USING (case_key)
    WHERE e.event_type = 'reopened'
    GROUP BY e.case_key
    HAVING count(*) >= $flag_reopen_loop
), not_fixed AS (
    SELECT strftime(rated_at, '%Y-%m') AS month, case_key, officer_nip, unit_code,
           'rated_not_fixed' AS flag,
           'ditandai selesai pada ' || strftime(resolved_at, '%Y-%m-%d')
               || '; penilaian warga tanggal ' || strftime(rated_at, '%Y-%m-%d')
               || ' (skor ' || rating_score || ') menyatakan masalahnya belum teratasi'
               AS detail
    FROM cases
    WHERE status = 'resolved' AND rating_says_resolved = false
), transfers AS (
    SELECT e.case_key, count(*) AS n, max(e.event_at) AS last_at,
           string_agg(e.unit_code, ' -> ' ORDER BY e.seq) AS path
    FROM case_events AS e
    WHERE e.event_type IN ('forwarded', 'reassigned')
    GROUP BY e.case_key
    HAVING count(*) >= $flag_ping_pong_transfers
), ping_pong AS (
    SELECT strftime(t.last_at, '%Y-%m') AS month, t.case_key, c.officer_nip, c.unit_code,
           'ping_pong' AS flag,
           'berpindah antarunit ' || t.n || ' kali: ' || t.path AS detail
    FROM transfers AS t
    JOIN cases AS c USING (case_key)
), on_due_date AS (
    SELECT strftime(resolved_at, '%Y-%m') AS month, case_key, credited_officer_nip,
           credited_unit_code, resolution_due_date,
           CAST(resolved_at AS DATE) = resolution_due_date AS on_due
    FROM cases
    WHERE resolved_at IS NOT NULL AND resolution_met AND credited_officer_nip IS NOT NULL
), bunched_officers AS (
    SELECT month, credited_officer_nip, count(*) AS n, count(*) FILTER (WHERE on_due) AS k
    FROM on_due_date
    GROUP BY ALL
    HAVING count(*) >= $flag_bunching_min_resolved
       AND count(*) FILTER (WHERE on_due) >= $flag_bunching_share * count(*)
), bunching AS (
    SELECT d.month, d.case_key, d.credited_officer_nip AS officer_nip,
           d.credited_unit_code AS unit_code, 'deadline_bunching' AS flag,
           'diselesaikan tepat pada tanggal tenggatnya '
               || strftime(d.resolution_due_date, '%Y-%m-%d') || '; ' || b.k || ' dari '
               || b.n || ' penyelesaian pegawai ini pada ' || d.month
               || ' jatuh pada tanggal tenggatnya' AS detail
    FROM on_due_date AS d
    JOIN bunched_officers AS b USING (month, credited_officer_nip)
    WHERE d.on_due
), late_asks AS (
    SELECT strftime(e.event_at, '%Y-%m') AS month, e.case_key,
           coalesce(e.officer_nip, c.officer_nip) AS officer_nip,
           coalesce(e.unit_code, c.unit_code) AS unit_code,
           'late_clarification' AS flag,
           'klarifikasi diminta pada ' || strftime(e.event_at, '%Y-%m-%d')
               || ', pada hari kerja terakhir sebelum tenggat penyelesaian atau sesudahnya '
               || '(tenggat ' || strftime(due.day, '%Y-%m-%d') || ' sebelum jeda)' AS detail
    FROM case_events AS e
    JOIN clocks AS k ON k.case_key = e.case_key AND k.clock = 'resolution'
    JOIN cases AS c ON c.case_key = e.case_key
    JOIN calendar_days AS s
        ON s.calendar_key = k.calendar_key AND s.day = CAST(k.start_at AS DATE)
    JOIN calendar_days AS q
        ON q.calendar_key = k.calendar_key AND q.day = CAST(e.event_at AS DATE)
    JOIN calendar_days AS due
        ON due.calendar_key = k.calendar_key AND due.wd_index = s.wd_index + k.allowed_wd
        AND due.is_working_day
    WHERE e.event_type = 'clarification_requested'
      AND q.wd_index >= s.wd_index + k.allowed_wd - 1
      AND (k.end_at IS NULL OR e.event_at < k.end_at)
), archived_dupes AS (
    SELECT strftime(n.event_at, '%Y-%m') AS month, n.case_key, n.officer_nip, n.unit_code,
           'archived_as_duplicate' AS flag,
           CASE n.event_type WHEN 'archived' THEN 'diarsipkan' ELSE 'ditolak' END
               || ' pada ' || strftime(n.event_at, '%Y-%m-%d') || ' sebagai "'
               || trim(n.note) || '", tetapi tidak ada pengaduan lain yang digabung dengannya'
               AS detail
    FROM closing_notes AS n
    JOIN cases AS c USING (case_key)
    WHERE n.event_type IN ('archived', 'rejected') AND c.member_count = 1
      AND EXISTS (SELECT 1 FROM duplicate_words AS w WHERE contains(n.note_key, w.word))
), -- bulk_closure ---------------------------------------------------------------------
hand_closings AS (
    -- every closure by an officer's (or, when none is named, a unit's) hand
    SELECT n.*, coalesce('NIP ' || n.officer_nip, 'unit ' || n.unit_code) AS hand
    FROM closing_notes AS n
    WHERE coalesce(n.officer_nip, n.unit_code) IS NOT NULL
), bulk_windows AS (
    -- the closures by the same hand from each one on, within the next M minutes
    SELECT *, count(*) OVER (
        PARTITION BY hand ORDER BY event_at
        RANGE BETWEEN CURRENT ROW
              AND to_minutes(CAST($flag_bulk_closure_minutes AS INTEGER)) FOLLOWING
    ) AS n_after
    FROM hand_closings
), bulk_hands AS (
    SELECT DISTINCT hand FROM bulk_windows WHERE n_after >= $flag_bulk_closure_min
), bulk_members AS (
    -- a closure belongs to a bulk when a window of at least N closures starting at most
    -- M minutes before it (or at it) holds it
    SELECT *, max(CASE WHEN n_after >= $flag_bulk_closure_min THEN event_at END) OVER (
        PARTITION BY hand ORDER BY event_at
        RANGE BETWEEN to_minutes(CAST($flag_bulk_closure_minutes AS INTEGER)) PRECEDING
              AND CURRENT ROW
    ) AS window_from
    FROM bulk_windows
    SEMI JOIN bulk_hands USING (hand)
), bulk_runs AS (
    -- consecutive bulk members of a hand, no more than M minutes apart, make one run
    SELECT *, sum(CASE WHEN gap_ok THEN 0 ELSE 1 END) OVER (
        PARTITION BY hand ORDER BY event_at, case_key ROWS UNBOUNDED PRECEDING
    ) AS run_no
    FROM (
        SELECT *, coalesce(event_at - lag(event_at) OVER (
            PARTITION BY hand ORDER BY event_at, case_key)
            <= to_minutes(CAST($flag_bulk_closure_minutes AS INTEGER)), false) AS gap_ok
        FROM bulk_members
        WHERE window_from IS NOT NULL
    )
), bulk AS (
    SELECT strftime(event_at, '%Y-%m') AS month, case_key, officer_nip, unit_code,
           'bulk_closure' AS flag,
           CASE event_type WHEN 'resolved' THEN 'diselesaikan' WHEN 'archived' THEN 'diarsipkan'
                ELSE 'ditolak' END
               || ' pada ' || strftime(event_at, '%Y-%m-%d %H:%M') || ' oleh ' || hand
               || ', satu dari ' || count(*) OVER run || ' penutupan oleh tangan yang sama antara '
               || strftime(min(event_at) OVER run, '%Y-%m-%d %H:%M') || ' dan '
               || strftime(max(event_at) OVER run, '%H:%M')
               || ' (ambang kebijakan: ' || $flag_bulk_closure_min || ' penutupan dalam '
               || $flag_bulk_closure_minutes || ' menit)' AS detail
    FROM bulk_runs
    WINDOW run AS (PARTITION BY hand, run_no)
), data_problems AS (
    SELECT resolution_judged_month AS month, case_key,
           credited_officer_nip AS officer_nip, credited_unit_code AS unit_code,
           'missed_deadline_data_problem' AS flag,
           'tenggat penyelesaian ' || strftime(resolution_due_date, '%Y-%m-%d')
               || ' terlewat, tetapi ' || quarantined_events
               || ' peristiwa kasus ini dikarantina' || CASE
                   WHEN quarantined_closing_events > 0
                   THEN ' (' || quarantined_closing_events || ' di antaranya penutupan)'
                   ELSE '' END
               || ': masalah data, bukan (hanya) keterlambatan petugas' AS detail
    FROM cases
    WHERE resolution_met = false AND quarantined_events > 0
)
SELECT $tenant AS tenant, f.month, c.case_id, f.officer_nip, f.flag, f.detail, f.unit_code
FROM (
    SELECT * FROM bare
    UNION ALL SELECT * FROM loops
    UNION ALL SELECT * FROM not_fixed
    UNION ALL SELECT * FROM ping_pong
    UNION ALL SELECT * FROM bunching
    UNION ALL SELECT * FROM late_asks
    UNION ALL SELECT * FROM archived_dupes
    UNION ALL SELECT * FROM bulk
    UNION ALL SELECT * FROM data_problems
) AS f
JOIN cases AS c USING (case_key);
