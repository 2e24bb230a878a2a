-- Every rejected input row, from sources and reference data, with its reason and raw text.
-- Reasons read '<what is wrong>: <detail>'; reason_code is the part before the colon.
-- The raw values (and so the reasons quoting them) come from raw_<table> rows already
-- scrubbed of personal identifiers when read (assets/identifiers.py, docs/sources.md):
-- reporter ids hashed, e-mail / phone / NIK in any column replaced by keyed tokens, every
-- value of a malformed or shifted row included. Nothing here may add a value from elsewhere.
CREATE OR REPLACE TABLE quarantine AS
WITH rejected AS (
    -- raw_row: the row as the canonical columns read it; original_row: a mapped source's
    -- own record (its export's fields), as JSON
    SELECT 'complaints' AS input_table, source, file, row_number, reason,
           to_json({'source': source, 'file': file, 'row_number': row_number,
                    'reason': reason, 'source_id': source_id, 'channel': channel,
                    'received_at': received_at, 'category': category,
                    'complaint_class': complaint_class, 'title': title,
                    'description': description, 'district': district, 'village': village,
                    'lat': lat, 'lon': lon, 'reporter_hash': reporter_id,
                    'is_anonymous': is_anonymous, 'is_confidential': is_confidential,
                    'due_at': due_at})::VARCHAR AS raw_row,
           original_row
    FROM checked_complaints
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'events', e.source, e.file, e.row_number, e.reason,
           to_json({'source': e.source, 'file': e.file, 'row_number': e.row_number,
                    'reason': e.reason, 'source_id': e.source_id, 'event_at': e.event_at,
                    'event_type': e.event_type, 'unit_code': e.unit_code,
                    'officer_nip': e.officer_nip, 'note': e.note})::VARCHAR,
           -- an event a mapping made from a one-row-per-case record shares that record's
           -- original_row, kept once, on the complaint row of the same file and row number
           coalesce(e.original_row, c.original_row)
    FROM checked_events AS e
    LEFT JOIN raw_complaints AS c
        ON contains(e.file, '#') AND c.source = e.source
        AND c.file = regexp_replace(e.file, '#[^#]*$', '') AND c.row_number = e.row_number
    WHERE e.reason IS NOT NULL
    UNION ALL
    SELECT 'ratings', source, file, row_number, reason,
           to_json({'source': source, 'file': file, 'row_number': row_number,
                    'reason': reason, 'source_id': source_id, 'rated_at': rated_at,
                    'score': score, 'resolved': resolved, 'comment': comment})::VARCHAR,
           original_row
    FROM checked_ratings
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'units', source, file, row_number, reason, to_json(r)::VARCHAR, NULL
    FROM (SELECT source, file, row_number, reason, unit_code, name, kind, parent_code,
                 workweek, valid_from, valid_to
          FROM checked_units) AS r
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'officers', source, file, row_number, reason, to_json(r)::VARCHAR, NULL
    FROM (SELECT source, file, row_number, reason, nip, name, unit_code, position, grade,
                 valid_from, valid_to
          FROM checked_officers) AS r
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'calendar_overrides', source, file, row_number, reason, to_json(r)::VARCHAR, NULL
    FROM (SELECT source, file, row_number, reason, date, is_working_day, note, applies_to
          FROM checked_calendar_overrides) AS r
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'behaviour_ratings', source, file, row_number, reason, to_json(r)::VARCHAR, NULL
    FROM (SELECT source, file, row_number, reason, nip, period, behaviour_rating, note
          FROM checked_behaviour_ratings) AS r
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'organisation_ratings', source, file, row_number, reason, to_json(r)::VARCHAR, NULL
    FROM (SELECT source, file, row_number, reason, unit_code, period, organisation_rating,
                 note
          FROM checked_organisation_ratings) AS r
    WHERE reason IS NOT NULL
    UNION ALL
    SELECT 'case_links', source, file, row_number, reason,
           to_json({'source': source, 'file': file, 'row_number': row_number,
                    'reason': reason, 'action': action, 'source_a': source_a,
                    'source_id_a': source_id_a, 'source_b': source_b,
                    'source_id_b': source_id_b, 'link_reason': link_reason,
                    'reviewed_by': reviewed_by, 'reviewed_at': reviewed_at})::VARCHAR,
           NULL
    FROM checked_case_links
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
    raw_row,
    original_row
FROM rejected
ORDER BY input_table, source, file, row_number;
