-- Officer scorecards for the months $month_from..$month_to (YYYY-MM), replaced as a whole:
-- delete then insert in one transaction, so a killed run leaves the old rows.
CREATE TABLE IF NOT EXISTS officer_month (
    tenant VARCHAR, month VARCHAR, officer_nip VARCHAR, officer_name VARCHAR,
    unit_code VARCHAR, received BIGINT, resolved BIGINT,
    forwarding_due BIGINT, forwarding_met BIGINT, forwarding_rate DOUBLE,
    response_due BIGINT, response_met BIGINT, response_rate DOUBLE,
    response_rate_low DOUBLE, response_rate_high DOUBLE,
    resolution_due BIGINT, resolution_met BIGINT, resolution_rate DOUBLE,
    resolution_rate_low DOUBLE, resolution_rate_high DOUBLE,
    resolution_wd_median DOUBLE, resolution_wd_p90 DOUBLE,
    backlog_end BIGINT, overdue_backlog_end BIGINT,
    ratings_n BIGINT, satisfaction_mean DOUBLE, satisfaction_shrunk DOUBLE,
    rating_response_rate DOUBLE, reopen_rate DOUBLE,
    expected_resolution_rate DOUBLE, observed_expected_ratio DOUBLE,
    score DOUBLE, rating VARCHAR, provisional BOOLEAN,
    behaviour_rating VARCHAR, predikat VARCHAR, credit_percent DOUBLE, tpp_percent DOUBLE
);

-- added with the predikat (docs/predikat.md): a warehouse from before gets the columns
ALTER TABLE officer_month ADD COLUMN IF NOT EXISTS behaviour_rating VARCHAR;
ALTER TABLE officer_month ADD COLUMN IF NOT EXISTS predikat VARCHAR;
ALTER TABLE officer_month ADD COLUMN IF NOT EXISTS credit_percent DOUBLE;
ALTER TABLE officer_month ADD COLUMN IF NOT EXISTS tpp_percent DOUBLE;

BEGIN TRANSACTION;

DELETE FROM officer_month WHERE month BETWEEN $month_from AND $month_to;

INSERT INTO officer_month
WITH tpp AS (
    SELECT unnest($tpp_min_score) AS min_score, unnest($tpp_percent) AS percent
)
SELECT
    $tenant,
    m.month,
    m.holder,
    o.name,
    coalesce(o.unit_code, home.unit_code),
    m.received, m.resolved,
    m.forwarding_due, m.forwarding_met, m.forwarding_rate,
    m.response_due, m.response_met, m.response_rate, m.response_rate_low, m.response_rate_high,
    m.resolution_due, m.resolution_met, m.resolution_rate,
    m.resolution_rate_low, m.resolution_rate_high,
    m.resolution_wd_median, m.resolution_wd_p90,
    m.backlog_end, m.overdue_backlog_end,
    m.ratings_n, m.satisfaction_mean, m.satisfaction_shrunk,
    m.rating_response_rate, m.reopen_rate,
    m.expected_resolution_rate, m.observed_expected_ratio,
    m.score, m.rating, m.provisional,
    coalesce(bm.behaviour_rating, yr.behaviour_rating) AS perilaku,
    predikat_of(m.rating, perilaku) AS predikat,
    list_extract($credit_percent, list_position($credit_predikat, predikat)),
    -- the band of the highest min_score the score reaches (indicative, docs/predikat.md);
    -- none on too little data, like the predikat
    CASE WHEN m.rating <> 'data_tidak_cukup' THEN
        (SELECT arg_max(t.percent, t.min_score) FROM tpp AS t WHERE t.min_score <= m.score)
    END
FROM month_measures(
    $month_from, $month_to, 'officer', $as_of_date, $shrinkage_k, $reopen_window_days,
    $rating_window_days, $w_resolution, $w_response, $w_satisfaction, $min_judged,
    $max_interval_width, $rating_above, $rating_below
) AS m
-- the officer's posting on the last day of the month, from the reference data
LEFT JOIN ref_officers AS o
    ON o.nip = m.holder
    AND last_day(CAST(m.month || '-01' AS DATE))
        BETWEEN o.valid_from AND coalesce(o.valid_to, DATE '9999-12-31')
LEFT JOIN (
    SELECT month, officer_nip, mode(unit_code) AS unit_code
    FROM holder_facts WHERE month BETWEEN $month_from AND $month_to GROUP BY ALL
) AS home ON home.month = m.month AND home.officer_nip = m.holder
-- perilaku kerja from HR: the month's own rating, else the year's
LEFT JOIN ref_behaviour_ratings AS bm ON bm.nip = m.holder AND bm.period = m.month
LEFT JOIN ref_behaviour_ratings AS yr ON yr.nip = m.holder AND yr.period = left(m.month, 4);

COMMIT;
