-- Reference units, typed and checked. Rejected rows keep their reason for quarantine.
CREATE OR REPLACE TABLE checked_units AS
WITH typed AS (
    SELECT
        r.*,
        upper(trim(unit_code)) AS unit_code_t,
        lower(trim(kind)) AS kind_t,
        try_cast(trim(workweek) AS INTEGER) AS workweek_t,
        try_cast(trim(valid_from) AS DATE) AS valid_from_t,
        try_cast(trim(valid_to) AS DATE) AS valid_to_t,
        min(row_number) OVER (PARTITION BY upper(trim(unit_code))) AS first_row
    FROM raw_units AS r
)
SELECT
    *,
    coalesce(
        file_problem,
        CASE WHEN unit_code_t IS NULL OR unit_code_t = '' THEN 'missing unit_code' END,
        CASE WHEN row_number <> first_row
            THEN 'duplicate unit_code: ' || unit_code_t || ' already at row ' || first_row END,
        CASE WHEN name IS NULL THEN 'missing name' END,
        CASE WHEN kind_t NOT IN ('dinas', 'badan', 'bagian', 'kecamatan', 'kelurahan',
                                 'puskesmas', 'rsud', 'other')
            THEN 'unknown unit kind: ' || coalesce(kind, '(empty)') END,
        CASE WHEN workweek_t IS NULL OR workweek_t NOT IN (5, 6)
            THEN 'workweek must be 5 or 6: got ' || coalesce(workweek, '(empty)') END,
        CASE WHEN valid_from IS NOT NULL AND valid_from_t IS NULL
            THEN 'valid_from is not a date: ' || valid_from END,
        CASE WHEN valid_to IS NOT NULL AND valid_to_t IS NULL
            THEN 'valid_to is not a date: ' || valid_to END
    ) AS reason
FROM typed;

CREATE OR REPLACE TABLE ref_units AS
SELECT
    unit_code_t AS unit_code,
    trim(name) AS name,
    kind_t AS kind,
    upper(trim(parent_code)) AS parent_code,
    workweek_t AS workweek,
    kind_t || '-' || workweek_t || 'd' AS calendar_key,
    coalesce(valid_from_t, DATE '1900-01-01') AS valid_from,
    valid_to_t AS valid_to
FROM checked_units
WHERE reason IS NULL;
