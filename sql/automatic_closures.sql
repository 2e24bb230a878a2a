-- Automatic closures (docs/metrics.md, "Automatic closures"): a `resolved` event that the
-- source's own system made, not an officer. SP4N-LAPOR! closes a report by itself when the
-- reporter does not reply to the follow-up: at 01:00 on the 9th working day after the
-- report's last activity. A resolved event is automatic when
--   * its complaint came through a channel of $auto_close_channels (policy
--     closures.automatic.channels; default: lapor only),
--   * it falls at $auto_close_at local time (HH:MM, to the minute), and
--   * its date is the $auto_close_after_wd-th working day after the date of the case's
--     event just before it (its last activity), on the tenant's standard calendar
--     (tenant-5d: national holidays, cuti bersama and the tenant's overrides for all units).
--     A last activity on a non-working day counts from the next working day, as
--     numpy.busday_offset(day, n, roll='forward') does.
-- The officer's work ended at that last activity: case_heads.sql ends the case's
-- resolution there (resolved_at = last_activity_at), and the closure itself stays an event
-- of its own (published case_events.is_automatic). Few rows: only resolved events at that
-- minute of the day are looked at.
CREATE OR REPLACE TABLE automatic_closures AS
WITH candidates AS (
    SELECT e.case_key, e.seq, e.event_key, e.event_at
    FROM case_events AS e
    JOIN stg_events AS s USING (event_key)
    JOIN stg_complaints AS c ON c.complaint_key = s.complaint_key
    WHERE e.event_type = 'resolved'
      AND strftime(e.event_at, '%H:%M') = $auto_close_at
      AND list_contains($auto_close_channels, c.channel)
), previous AS (
    -- the case's event just before the closure: its last activity
    SELECT k.case_key, k.seq, k.event_key, k.event_at,
           arg_max(p.event_at, p.seq) AS last_activity_at,
           arg_max(p.event_type, p.seq) AS last_activity_type
    FROM candidates AS k
    JOIN case_events AS p ON p.case_key = k.case_key AND p.seq < k.seq
    GROUP BY k.case_key, k.seq, k.event_key, k.event_at
)
SELECT
    p.case_key,
    p.seq,
    p.event_key,
    p.event_at AS closed_at,
    p.last_activity_at,
    p.last_activity_type,
    CAST($auto_close_after_wd AS INTEGER) AS after_wd
FROM previous AS p
JOIN calendar_days AS a
    ON a.calendar_key = 'tenant-5d' AND a.day = CAST(p.last_activity_at AS DATE)
JOIN calendar_days AS d
    ON d.calendar_key = 'tenant-5d' AND d.day = CAST(p.event_at AS DATE)
WHERE d.is_working_day
  AND d.wd_index = a.wd_index + CAST($auto_close_after_wd AS INTEGER)
                   + CASE WHEN a.is_working_day THEN 0 ELSE 1 END;
