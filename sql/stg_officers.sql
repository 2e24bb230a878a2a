-- Reference officers (one row per officer and posting; officers move between units).
CREATE OR REPLACE TABLE checked_officers AS
WITH typed AS (
    SELECT
        r.*,
        trim(nip) AS nip_t,
        upper(trim(unit_code)) AS unit_code_t,
        try_cast(trim(valid_from) AS DATE) AS valid_from_t,
        try_cast(trim(valid_to) AS DATE) AS valid_to_t
    FROM raw_officers AS r
), posting_overlaps AS (
    SELECT a.row_number, min(b.row_number) AS other_row
    FROM typed AS a
    JOIN typed AS b
        ON a.nip_t = b.nip_t AND a.row_number > b.row_number
        AND a.valid_from_t <= coalesce(b.valid_to_t, DATE '9999-12-31')
        AND b.valid_from_t <= coalesce(a.valid_to_t, DATE '9999-12-31')
    GROUP BY a.row_number
)
SELECT
    t.*,
    coalesce(
        file_problem,
        'invalid NIP: ' || nip_problem(nip_t, $now),
        CASE WHEN name IS NULL THEN 'missing name' END,
        CASE WHEN unit_code_t NOT IN (SELECT unit_code FROM ref_units)
            THEN 'unknown unit: ' || coalesce(unit_code_t, '(empty)') END,
        CASE WHEN valid_from_t IS NULL
            THEN 'valid_from is not a date: ' || coalesce(valid_from, '(empty)') END,
        CASE WHEN valid_to IS NOT NULL AND valid_to_t IS NULL
            THEN 'valid_to is not a date: ' || valid_to END,
        CASE WHEN valid_to_t < valid_from_t THEN 'valid_to before valid_from' END,
        CASE WHEN o.other_row IS NOT NULL
            THEN 'overlapping posting: with row ' || o.other_row END
    ) AS reason
FROM typed AS t
LEFT JOIN posting_overlaps AS o USING (row_number);

CREATE OR REPLACE TABLE ref_officers AS
SELECT
    nip_t AS nip,
    trim(name) AS name,
    unit_code_t AS unit_code,
    trim(position) AS position,
    trim(grade) AS grade,
    valid_from_t AS valid_from,
    valid_to_t AS valid_to
FROM checked_officers
WHERE reason IS NULL;
