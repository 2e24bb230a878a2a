-- Every rejected input row, from sources and reference data, with its reason and raw text.
-- Reasons read '<what is wrong>: <detail>'; reason_code is the part before the colon.
CREATE OR REPLACE TABLE quarantine AS
WITH rejected AS (
    SELECT 'complaints' AS input_table, source, file, row_number, reason,
           to_json(r)::VARCHAR AS raw_row
    FROM (SELECT source, file, row_number, reason, source_id, channel, received_at, category,
                 complaint_class, title, description, district, village, lat, lon,
                 reporter_id AS reporter_hash, is_anonymous, is_confidential, due_at
          FROM checked_complaints) AS r
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'events', source, file, row_number, reason, to_json(r)::VARCHAR
    FROM (SELECT source, file, row_number, reason, source_id, event_at, event_type, unit_code,
                 officer_nip, note
          FROM checked_events) AS r
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'ratings', source, file, row_number, reason, to_json(r)::VARCHAR
    FROM (SELECT source, file, row_number, reason, source_id, rated_at, score, resolved, comment
          FROM checked_ratings) AS r
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'units', source, file, row_number, reason, to_json(r)::VARCHAR
    FROM (SELECT source, file, row_number, reason, unit_code, name, kind, parent_code,
                 workweek, valid_from, valid_to
          FROM checked_units) AS r
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'officers', source, file, row_number, reason, to_json(r)::VARCHAR
    FROM (SELECT source, file, row_number, reason, nip, name, unit_code, position, grade,
                 valid_from, valid_to
          FROM checked_officers) AS r
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'calendar_overrides', source, file, row_number, reason, to_json(r)::VARCHAR
    FROM (SELECT source, file, row_number, reason, date, is_working_day, note, applies_to
          FROM checked_calendar_overrides) AS r
    WHERE reason IS NOT NULL
)
SELECT
    $run_id AS run_id,
    input_table,
    source,
    file,
    row_number,
    split_part(reason, ':', 1) AS reason_code,
    reason,
    raw_row
FROM rejected
ORDER BY input_table, source, file, row_number;
