-- Lifecycle events, typed and checked against their complaint and the reference data.
-- Events made by a mapping from a one-row-per-case record (file 'export.csv#resolved')
-- share that record's fate: when the complaint row is quarantined or superseded, so are
-- they. Other event files of a source add up (an event log in several files): an exact
-- copy of an event, in the same file or another, is quarantined as a duplicate.
-- Clock skew: an event stamped before its complaint's receipt by no more than
-- $clock_skew_tolerance_minutes (policy events.clock_skew_tolerance_minutes; a field app's
-- clock) is not a fault: its event_at is set to the receipt time, and the time it was
-- stamped is kept in event_at_recorded. Further before receipt, it is quarantined.
CREATE OR REPLACE TEMP TABLE checked_events AS
WITH repeated AS (
    -- exact duplicate rows: grouping compares every column exactly (NULLs equal); only the
    -- few groups with more than one row are unnested back to their file and row numbers
    SELECT source, rows_.file, rows_.row_number, first_.file AS same_as_file,
           first_.row_number AS same_as_row
    FROM (
        SELECT source, unnest(rows) AS rows_, list_min(rows) AS first_
        FROM (
            SELECT source, list({'file': file, 'row_number': row_number}) AS rows
            FROM raw_events
            GROUP BY source, CASE WHEN contains(file, '#') THEN file END, source_id, event_at,
                event_type, unit_code, officer_nip, note
            HAVING count(*) > 1
        )
    )
), nips AS (
    -- each distinct NIP is checked once, not once per event
    SELECT nip_t, nip_problem(nip_t, $now) AS problem,
           nip_t IN (SELECT nip FROM ref_officers) AS known
    FROM (SELECT DISTINCT trim(officer_nip) AS nip_t FROM raw_events)
    WHERE nip_t IS NOT NULL
), typed AS (
    SELECT
        r.*,
        trim(r.source_id) AS source_id_t,
        parse_local_ts(r.event_at, $tz) AS event_at_t,
        lower(trim(r.event_type)) AS event_type_t,
        upper(trim(r.unit_code)) AS unit_code_t,
        trim(r.officer_nip) AS nip_t,
        coalesce(d.same_as_file, r.file) AS same_as_file,
        coalesce(d.same_as_row, r.row_number) AS same_as_row,
        CASE WHEN contains(r.file, '#') THEN split_part(r.file, '#', 1) END AS record_file
    FROM raw_events AS r
    LEFT JOIN repeated AS d USING (source, file, row_number)
), record_fate AS (
    -- the complaint rows that mapped events were made from, where those were rejected
    SELECT source, file AS record_file, row_number, reason
    FROM checked_complaints
    WHERE reason IS NOT NULL
)
SELECT
    t.*,
    c.complaint_key,
    c.received_at AS complaint_received_at,
    coalesce(
        t.file_problem,
        CASE WHEN f.reason LIKE 'superseded:%' THEN f.reason || ', with its complaint row' END,
        CASE WHEN f.reason IS NOT NULL
            THEN 'complaint row quarantined: ' || split_part(f.reason, ':', 1) END,
        CASE WHEN t.file <> t.same_as_file
            THEN 'exact duplicate: of ' || t.same_as_file || ' row ' || t.same_as_row END,
        CASE WHEN t.row_number <> t.same_as_row THEN 'exact duplicate: of row ' || t.same_as_row END,
        CASE WHEN t.source_id_t IS NULL OR t.source_id_t = '' THEN 'missing source_id' END,
        CASE WHEN c.source_id IS NULL AND q.source_id_t IS NOT NULL
            THEN 'complaint quarantined: ' || t.source_id_t END,
        CASE WHEN c.source_id IS NULL THEN 'unknown complaint: ' || t.source_id_t END,
        CASE WHEN t.event_at IS NULL THEN 'missing event_at' END,
        CASE WHEN t.event_at_t IS NULL THEN 'event_at is not a timestamp: ' || t.event_at END,
        CASE WHEN t.event_at_t > $now THEN 'event_at is in the future: ' || t.event_at END,
        CASE WHEN t.event_at_t < c.received_at
                  AND t.event_at_t < c.received_at - to_minutes($clock_skew_tolerance_minutes)
            THEN 'event before the complaint was received: ' || t.event_at || ' < '
                 || strftime(c.received_at, '%Y-%m-%d %H:%M:%S') END,
        CASE WHEN t.event_type_t IS NULL THEN 'missing event_type' END,
        CASE WHEN t.event_type_t NOT IN ('verified', 'forwarded', 'reassigned', 'responded',
                                         'clarification_requested', 'clarified', 'resolved',
                                         'reopened', 'archived', 'rejected', 'postponed')
            THEN 'unknown event_type: ' || t.event_type END,
        CASE WHEN t.event_type_t IN ('forwarded', 'reassigned') AND t.unit_code_t IS NULL
            THEN 'missing unit_code: on a ' || t.event_type_t || ' event' END,
        CASE WHEN t.unit_code_t IS NOT NULL
                  AND t.unit_code_t NOT IN (SELECT unit_code FROM ref_units)
            THEN 'unknown unit: ' || t.unit_code_t END,
        'invalid NIP: ' || n.problem,
        CASE WHEN NOT n.known THEN 'unknown officer: ' || t.nip_t END
    ) AS reason,
    -- within the tolerance before receipt: clamped to the receipt time (if not rejected)
    coalesce(t.event_at_t < c.received_at, false) AS clock_skewed
FROM typed AS t
LEFT JOIN record_fate AS f USING (source, record_file, row_number)
LEFT JOIN nips AS n ON n.nip_t = t.nip_t
LEFT JOIN stg_complaints AS c ON c.source = t.source AND c.source_id = t.source_id_t
LEFT JOIN (SELECT DISTINCT source, source_id_t FROM checked_complaints WHERE reason IS NOT NULL)
    AS q ON q.source = t.source AND q.source_id_t = t.source_id_t;

CREATE OR REPLACE TABLE stg_events AS
WITH file_numbers AS (
    SELECT source, file, row_number() OVER (ORDER BY source, file) AS file_no
    FROM (SELECT DISTINCT source, file FROM checked_events)
)
SELECT
    -- an integer key for each event: its file's number and its row in the file
    (CAST(n.file_no AS BIGINT) << 32) + e.row_number AS event_key,
    complaint_key,
    -- the order of events that share a timestamp
    CASE event_type_t
        WHEN 'verified' THEN 1 WHEN 'forwarded' THEN 2 WHEN 'reassigned' THEN 3
        WHEN 'clarification_requested' THEN 4 WHEN 'clarified' THEN 5
        WHEN 'responded' THEN 6 WHEN 'postponed' THEN 7 WHEN 'resolved' THEN 8
        WHEN 'reopened' THEN 9 WHEN 'archived' THEN 10 ELSE 11
    END AS type_order,
    source,
    source_id_t AS source_id,
    CASE WHEN clock_skewed THEN complaint_received_at ELSE event_at_t END AS event_at,
    event_type_t AS event_type,
    unit_code_t AS unit_code,
    nip_t AS officer_nip,
    note,
    file,
    row_number,
    -- the time the source stamped, where clock skew moved event_at to the receipt time
    CASE WHEN clock_skewed THEN event_at_t END AS event_at_recorded
FROM checked_events AS e
JOIN file_numbers AS n USING (source, file)
WHERE reason IS NULL;

-- Per complaint, the events that did not reach the case as stamped: quarantined ones (a
-- lost act: exact duplicates and superseded versions lose nothing and are not counted) and
-- ones clamped for clock skew. cases.sql carries them to the case, so its page and its
-- missed deadlines say the data, not the officer, may be why.
CREATE OR REPLACE TABLE stg_event_notes AS
SELECT
    complaint_key,
    count(*) FILTER (WHERE reason IS NOT NULL) AS quarantined_events,
    count(*) FILTER (WHERE reason IS NOT NULL
                     AND event_type_t IN ('resolved', 'archived', 'rejected'))
        AS quarantined_closing_events,
    count(*) FILTER (WHERE reason IS NULL AND clock_skewed) AS clamped_events
FROM checked_events
WHERE complaint_key IS NOT NULL
  AND (reason IS NULL OR (reason NOT LIKE 'exact duplicate:%' AND reason NOT LIKE 'superseded:%'))
GROUP BY complaint_key
HAVING count(*) FILTER (WHERE reason IS NOT NULL OR clock_skewed) > 0;
