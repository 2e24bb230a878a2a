-- Complaints from every source, typed and checked; the first reason a row fails is kept.
-- Timestamps become local time of the tenant ($tz). reporter_id arrives already hashed.
-- Within a file a source_id is used once; across files of a source the newest file's
-- version wins and the older rows are quarantined as superseded (kept, with their values).
CREATE OR REPLACE TEMP TABLE checked_complaints AS
WITH repeated AS (
    -- exact duplicate rows (every column equal, NULLs too): only groups of 2+ come back
    SELECT source, file, unnest(rows) AS row_number, list_min(rows) AS same_as_row
    FROM (
        SELECT source, file, list(row_number) AS rows
        FROM raw_complaints
        GROUP BY source, file, source_id, channel, received_at, category, complaint_class,
            title, description, district, village, lat, lon, reporter_id, is_anonymous,
            is_confidential, due_at
        HAVING count(*) > 1
    )
), reused_ids AS (
    SELECT source, file, unnest(rows) AS row_number, list_min(rows) AS first_id_row
    FROM (
        SELECT source, file, list(row_number) AS rows
        FROM raw_complaints
        GROUP BY source, file, trim(source_id)
        HAVING count(*) > 1
    )
), file_numbers AS (
    SELECT source, file, row_number() OVER (ORDER BY source, file) AS file_no
    FROM (SELECT DISTINCT source, file FROM raw_complaints)
), typed AS (
    SELECT
        r.*,
        -- an integer key for the joins downstream: the file's number and the row in it
        (CAST(n.file_no AS BIGINT) << 32) + r.row_number AS complaint_key,
        trim(r.source_id) AS source_id_t,
        lower(trim(r.channel)) AS channel_t,
        parse_local_ts(r.received_at, $tz) AS received_at_t,
        lower(trim(r.category)) AS category_t,
        coalesce(lower(trim(r.complaint_class)), 'pengaduan') AS class_t,
        try_cast(trim(r.lat) AS DOUBLE) AS lat_t,
        try_cast(trim(r.lon) AS DOUBLE) AS lon_t,
        parse_local_ts(r.due_at, $tz) AS due_at_t,
        coalesce(d.same_as_row, r.row_number) AS same_as_row,
        coalesce(i.first_id_row, r.row_number) AS first_id_row
    FROM raw_complaints AS r
    JOIN file_numbers AS n USING (source, file)
    LEFT JOIN repeated AS d USING (source, file, row_number)
    LEFT JOIN reused_ids AS i USING (source, file, row_number)
), judged AS (
    SELECT
        *,
        coalesce(
            file_problem,
            CASE WHEN row_number <> same_as_row
                THEN 'exact duplicate: of row ' || same_as_row END,
            CASE WHEN source_id_t IS NULL OR source_id_t = '' THEN 'missing source_id' END,
            CASE WHEN row_number <> first_id_row
                THEN 'duplicate source_id: ' || source_id_t || ' already at row ' || first_id_row END,
            CASE WHEN channel_t IS NULL THEN 'missing channel' END,
            CASE WHEN channel_t NOT IN ('lapor', 'city_portal', 'whatsapp', 'call_center', 'email',
                                        'instagram', 'facebook', 'x', 'mass_media', 'walk_in',
                                        'sms', 'mobile_app', 'letter', 'other')
                THEN 'unknown channel: ' || channel END,
            CASE WHEN received_at IS NULL THEN 'missing received_at' END,
            CASE WHEN received_at_t IS NULL THEN 'received_at is not a timestamp: ' || received_at END,
            CASE WHEN received_at_t > $now THEN 'received_at is in the future: ' || received_at END,
            CASE WHEN CAST(received_at_t AS DATE) < (SELECT min(day) FROM calendar_days)
                THEN 'received_at is before the working-day calendar starts: ' || received_at
            END,
            CASE WHEN category_t IS NULL OR category_t = '' THEN 'missing category' END,
            CASE WHEN class_t NOT IN ('pengaduan', 'aspirasi', 'permintaan_informasi',
                                      'whistleblowing')
                THEN 'unknown complaint_class: ' || complaint_class END,
            CASE WHEN lat IS NOT NULL AND (lat_t IS NULL OR lat_t NOT BETWEEN -90 AND 90)
                THEN 'lat is not a latitude: ' || lat END,
            CASE WHEN lon IS NOT NULL AND (lon_t IS NULL OR lon_t NOT BETWEEN -180 AND 180)
                THEN 'lon is not a longitude: ' || lon END,
            CASE WHEN bool_problem(is_anonymous)
                THEN 'is_anonymous must be true or false: got ' || is_anonymous END,
            CASE WHEN bool_problem(is_confidential)
                THEN 'is_confidential must be true or false: got ' || is_confidential END,
            CASE WHEN due_at IS NOT NULL AND due_at_t IS NULL
                THEN 'due_at is not a timestamp: ' || due_at END
        ) AS reason
    FROM typed
), versions AS (
    -- a complaint in several files of one source (re-exports, fetches from a database):
    -- the valid version in the last file, by name, wins; the others are superseded by it
    SELECT source, source_id_t, max(file) AS newest_file
    FROM judged
    WHERE reason IS NULL
    GROUP BY ALL
    HAVING count(*) > 1
), newest AS (
    SELECT j.source, j.source_id_t, j.file AS newest_file, j.row_number AS newest_row
    FROM judged AS j
    JOIN versions AS v
        ON v.source = j.source AND v.source_id_t = j.source_id_t AND v.newest_file = j.file
    WHERE j.reason IS NULL
)
SELECT
    j.* REPLACE (
        coalesce(
            j.reason,
            CASE WHEN n.newest_file IS NOT NULL AND j.file <> n.newest_file
                THEN 'superseded: by ' || n.newest_file || ' row ' || n.newest_row END
        ) AS reason
    )
FROM judged AS j
LEFT JOIN newest AS n USING (source, source_id_t);

CREATE OR REPLACE TABLE stg_complaints AS
SELECT
    complaint_key,
    source,
    source_id_t AS source_id,
    channel_t AS channel,
    received_at_t AS received_at,
    category_t AS category,
    class_t AS complaint_class,
    title,
    description,
    trim(district) AS district,
    trim(village) AS village,
    lat_t AS lat,
    lon_t AS lon,
    reporter_id AS reporter_hash,
    coalesce(parse_bool(is_anonymous), false) AS is_anonymous,
    coalesce(parse_bool(is_confidential), false) AS is_confidential,
    due_at_t AS due_at,
    -- internal (docs/sources.md, "Deadlines and the source's verdict"): how the source's
    -- deadlines are judged (null: the policy's default) and its own verdict
    due_rule,
    undated_rule,
    source_verdict,
    file,
    row_number
FROM checked_complaints
WHERE reason IS NULL;
