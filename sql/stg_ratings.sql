-- Citizen ratings, typed and checked against their complaint. Rating files of a source add
-- up; an exact copy of a rating, in the same file or another, is a duplicate.
CREATE OR REPLACE TEMP TABLE checked_ratings AS
WITH repeated AS (
    SELECT source, rows_.file, rows_.row_number, first_.file AS same_as_file,
           first_.row_number AS same_as_row
    FROM (
        SELECT source, unnest(rows) AS rows_, list_min(rows) AS first_
        FROM (
            SELECT source, list({'file': file, 'row_number': row_number}) AS rows
            FROM raw_ratings
            GROUP BY source, source_id, rated_at, score, resolved, comment
            HAVING count(*) > 1
        )
    )
), typed AS (
    SELECT
        r.*,
        trim(r.source_id) AS source_id_t,
        parse_local_ts(r.rated_at, $tz) AS rated_at_t,
        -- a whole number, written 4 or 4.0; 3.5 is not rounded but quarantined below
        CASE WHEN regexp_full_match(trim(r.score), '[0-9]+(\.0+)?')
            THEN try_cast(split_part(trim(r.score), '.', 1) AS INTEGER) END AS score_t,
        coalesce(d.same_as_file, r.file) AS same_as_file,
        coalesce(d.same_as_row, r.row_number) AS same_as_row
    FROM raw_ratings AS r
    LEFT JOIN repeated AS d USING (source, file, row_number)
)
SELECT
    t.*,
    c.complaint_key,
    coalesce(
        t.file_problem,
        CASE WHEN t.file <> t.same_as_file
            THEN 'exact duplicate: of ' || t.same_as_file || ' row ' || t.same_as_row END,
        CASE WHEN t.row_number <> t.same_as_row THEN 'exact duplicate: of row ' || t.same_as_row END,
        CASE WHEN t.source_id_t IS NULL OR t.source_id_t = '' THEN 'missing source_id' END,
        CASE WHEN c.source_id IS NULL THEN 'unknown or quarantined complaint: ' || t.source_id_t END,
        CASE WHEN t.rated_at IS NULL THEN 'missing rated_at' END,
        CASE WHEN t.rated_at_t IS NULL THEN 'rated_at is not a timestamp: ' || t.rated_at END,
        CASE WHEN t.rated_at_t > $now THEN 'rated_at is in the future: ' || t.rated_at END,
        CASE WHEN t.rated_at_t < c.received_at THEN 'rated before the complaint was received' END,
        CASE WHEN t.score IS NULL THEN 'missing score' END,
        CASE WHEN t.score_t IS NULL OR t.score_t NOT BETWEEN 1 AND 5
            THEN 'score must be a whole number 1-5: got ' || t.score END,
        CASE WHEN bool_problem(t.resolved)
            THEN 'resolved must be true or false: got ' || t.resolved END
    ) AS reason
FROM typed AS t
LEFT JOIN stg_complaints AS c ON c.source = t.source AND c.source_id = t.source_id_t;

CREATE OR REPLACE TABLE stg_ratings AS
SELECT
    complaint_key,
    source,
    source_id_t AS source_id,
    rated_at_t AS rated_at,
    score_t AS score,
    parse_bool(resolved) AS resolved,
    comment,
    file,
    row_number
FROM checked_ratings
WHERE reason IS NULL;
