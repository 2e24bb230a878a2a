-- The tenant's calendar overrides (local holidays, late cuti bersama, working Saturdays).
CREATE OR REPLACE TABLE checked_calendar_overrides AS
SELECT
    r.*,
    try_cast(trim(date) AS DATE) AS date_t,
    parse_bool(is_working_day) AS is_working_day_t,
    lower(trim(applies_to)) AS applies_to_t,
    coalesce(
        file_problem,
        CASE WHEN try_cast(trim(date) AS DATE) IS NULL
            THEN 'date is not a date: ' || coalesce(date, '(empty)') END,
        CASE WHEN parse_bool(is_working_day) IS NULL
            THEN 'is_working_day must be true or false: got '
                 || coalesce(is_working_day, '(empty)') END,
        CASE WHEN lower(trim(applies_to)) NOT IN ('all', 'dinas', 'badan', 'bagian',
                                                  'kecamatan', 'kelurahan', 'puskesmas',
                                                  'rsud', 'other')
            THEN 'applies_to must be all or a unit kind: got '
                 || coalesce(applies_to, '(empty)') END
    ) AS reason
FROM raw_calendar_overrides AS r;

CREATE OR REPLACE TABLE ref_calendar_overrides AS
SELECT date_t AS date, is_working_day_t AS is_working_day, note, applies_to_t AS applies_to
FROM checked_calendar_overrides
WHERE reason IS NULL;
