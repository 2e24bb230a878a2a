-- From HR (docs/predikat.md), both optional: the perilaku kerja rating per officer and
-- period, and each organisation's own predikat kinerja per period. A period is a month
-- (YYYY-MM) or a whole year (YYYY); a month's own row wins over its year's.
CREATE OR REPLACE TABLE checked_behaviour_ratings AS
WITH typed AS (
    SELECT
        r.*,
        trim(nip) AS nip_t,
        trim(period) AS period_t,
        lower(replace(trim(behaviour_rating), ' ', '_')) AS rating_t
    FROM raw_behaviour_ratings AS r
), repeated AS (
    SELECT a.row_number, min(b.row_number) AS other_row
    FROM typed AS a
    JOIN typed AS b
        ON a.nip_t = b.nip_t AND a.period_t = b.period_t AND a.row_number > b.row_number
    GROUP BY a.row_number
)
SELECT
    t.*,
    coalesce(
        file_problem,
        'invalid NIP: ' || nip_problem(nip_t, $now),
        period_problem(period),
        CASE WHEN rating_t IS NULL OR rating_t NOT IN (
                'di_atas_ekspektasi', 'sesuai_ekspektasi', 'di_bawah_ekspektasi')
            THEN 'behaviour_rating must be di_atas_ekspektasi, sesuai_ekspektasi or '
                 || 'di_bawah_ekspektasi: got ' || coalesce(behaviour_rating, '(empty)') END,
        CASE WHEN x.other_row IS NOT NULL
            THEN 'repeated rating: same NIP and period as row ' || x.other_row END
    ) AS reason
FROM typed AS t
LEFT JOIN repeated AS x USING (row_number);

CREATE OR REPLACE TABLE ref_behaviour_ratings AS
SELECT nip_t AS nip, period_t AS period, rating_t AS behaviour_rating, trim(note) AS note
FROM checked_behaviour_ratings
WHERE reason IS NULL;

CREATE OR REPLACE TABLE checked_organisation_ratings AS
WITH typed AS (
    SELECT
        r.*,
        -- an empty unit_code: the pemda as a whole
        nullif(upper(trim(unit_code)), '') AS unit_code_t,
        trim(period) AS period_t,
        lower(replace(trim(organisation_rating), ' ', '_')) AS rating_t
    FROM raw_organisation_ratings AS r
), repeated AS (
    SELECT a.row_number, min(b.row_number) AS other_row
    FROM typed AS a
    JOIN typed AS b
        ON a.unit_code_t IS NOT DISTINCT FROM b.unit_code_t AND a.period_t = b.period_t
        AND a.row_number > b.row_number
    GROUP BY a.row_number
)
SELECT
    t.*,
    coalesce(
        file_problem,
        CASE WHEN unit_code_t IS NOT NULL AND unit_code_t NOT IN (SELECT unit_code FROM ref_units)
            THEN 'unknown unit: ' || unit_code_t END,
        period_problem(period),
        CASE WHEN rating_t IS NULL OR rating_t NOT IN (
                'istimewa', 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang')
            THEN 'organisation_rating must be istimewa, baik, butuh_perbaikan, kurang or '
                 || 'sangat_kurang: got ' || coalesce(organisation_rating, '(empty)') END,
        CASE WHEN x.other_row IS NOT NULL
            THEN 'repeated rating: same unit and period as row ' || x.other_row END
    ) AS reason
FROM typed AS t
LEFT JOIN repeated AS x USING (row_number);

CREATE OR REPLACE TABLE ref_organisation_ratings AS
SELECT unit_code_t AS unit_code, period_t AS period, rating_t AS organisation_rating,
       trim(note) AS note
FROM checked_organisation_ratings
WHERE reason IS NULL;
