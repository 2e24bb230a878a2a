-- The SE MenPANRB pola distribusi, checked per month (docs/predikat.md): for each unit with
-- its own organisation rating from HR, and for the pemda as a whole (unit_code NULL) when
-- the pemda's rating is given, every rule of the policy for that rating, over the officers
-- with a predikat that month (sql/officer_month.sql). A group without an organisation
-- rating, or with fewer than $dist_min_officers such officers, is not judged. `passed`
-- false is the warning HR must see before deciding. Recomputed as a whole.
CREATE OR REPLACE TEMP MACRO pct(x) AS CAST(round(100 * x) AS INTEGER);

CREATE OR REPLACE TABLE predikat_distribution AS
WITH rated AS (
    SELECT month, unit_code, officer_nip, predikat, provisional
    FROM officer_month
    WHERE predikat IS NOT NULL
), groups AS (
    SELECT month, unit_code, count(*) AS rated_officers, bool_or(provisional) AS provisional
    FROM rated
    WHERE unit_code IS NOT NULL  -- NULL names the pemda below
    GROUP BY ALL
    UNION ALL
    SELECT month, NULL, count(*), bool_or(provisional)
    FROM rated
    GROUP BY ALL
), organisations AS (
    -- the month's own rating, else the year's
    SELECT g.*, coalesce(m.organisation_rating, y.organisation_rating) AS organisation_rating
    FROM groups AS g
    LEFT JOIN ref_organisation_ratings AS m
        ON m.unit_code IS NOT DISTINCT FROM g.unit_code AND m.period = g.month
    LEFT JOIN ref_organisation_ratings AS y
        ON y.unit_code IS NOT DISTINCT FROM g.unit_code AND y.period = left(g.month, 4)
    WHERE g.rated_officers >= $dist_min_officers
), rules AS (
    SELECT
        unnest($dist_org) AS organisation_rating,
        unnest($dist_predikat) AS predikat_list,
        unnest($dist_kind) AS limit_kind,
        unnest($dist_limit) AS limit_value
), judged AS (
    SELECT
        o.*, r.predikat_list, r.limit_kind, r.limit_value,
        (SELECT count(*) FROM rated AS x
         WHERE x.month = o.month
           AND (o.unit_code IS NULL OR x.unit_code = o.unit_code)
           AND list_contains(string_split(r.predikat_list, ','), x.predikat)) AS officers_in_rule
    FROM organisations AS o
    JOIN rules AS r USING (organisation_rating)
)
SELECT
    $tenant AS tenant,
    month,
    unit_code,
    organisation_rating,
    predikat_list,
    limit_kind,
    limit_value,
    rated_officers,
    officers_in_rule,
    officers_in_rule / rated_officers AS share,
    -- counts against the limit times the group (a share like 0.7 is not exact in binary)
    CASE limit_kind
        WHEN 'max' THEN officers_in_rule <= limit_value * rated_officers + 1e-9
        WHEN 'min' THEN officers_in_rule >= limit_value * rated_officers - 1e-9
        ELSE officers_in_rule >= limit_value
    END AS passed,
    provisional,
    'Predikat kinerja organisasi ' || replace(organisation_rating, '_', ' ') || ': '
        || CASE limit_kind
            WHEN 'max' THEN 'paling banyak ' || pct(limit_value) || '% pegawai'
            WHEN 'min' THEN 'paling sedikit ' || pct(limit_value) || '% pegawai'
            ELSE 'paling sedikit ' || CAST(limit_value AS INTEGER) || ' pegawai'
           END
        || ' berpredikat ' || replace(replace(predikat_list, '_', ' '), ',', ' atau ')
        || '; tercatat ' || officers_in_rule || ' dari ' || rated_officers || ' pegawai ('
        || pct(officers_in_rule / rated_officers) || '%).' AS detail
FROM judged
ORDER BY month, unit_code NULLS FIRST, predikat_list, limit_kind;
