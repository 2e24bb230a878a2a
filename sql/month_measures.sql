-- month_measures(month_from, month_to, grain): every measure of metrics.md per month and
-- holder, from holder_facts. grain 'officer' groups by officer_nip, 'unit' by unit_code,
-- 'tenant' puts everything in one group per month (holder = the tenant-wide total).
-- One definition serves officer_month, unit_month and tenant_month: they cannot disagree.
CREATE OR REPLACE MACRO month_measures(month_from, month_to, grain, as_of_date,
                                       shrinkage_k, reopen_window_days, rating_window_days,
                                       w_resolution, w_response, w_satisfaction,
                                       min_judged, max_interval_width, rating_above,
                                       rating_below) AS TABLE
WITH monthly_ratings AS (
    SELECT month, sum(score) AS score_sum, count(*) AS n
    FROM holder_facts WHERE fact = 'rating' GROUP BY month
), monthly_categories AS (
    SELECT month, category, count(*) AS due, count(*) FILTER (WHERE met) AS met
    FROM holder_facts WHERE fact = 'resolution' GROUP BY month, category
), facts AS (
    SELECT
        month,
        CASE grain WHEN 'officer' THEN officer_nip WHEN 'unit' THEN unit_code
                   ELSE 'all' END AS holder,
        fact,
        CASE WHEN fact = 'resolution' THEN category END AS category,
        met,
        flag,
        score,
        wd
    FROM holder_facts
    WHERE month BETWEEN month_from AND month_to
), months AS (
    -- the months with facts: the others have no rows to join the trailing means to
    SELECT DISTINCT month FROM facts
), window_months AS (
    -- each month with the 12 months ending with it
    SELECT m.month, strftime(CAST(m.month || '-01' AS DATE) - to_months(k), '%Y-%m') AS back
    FROM months AS m, range(12) AS r(k)
), tenant_rating_mean AS (
    -- mu: the tenant's mean rating over the trailing 12 months (this one included)
    SELECT w.month, sum(r.score_sum) / sum(r.n) AS mu
    FROM window_months AS w JOIN monthly_ratings AS r ON r.month = w.back
    GROUP BY w.month
), category_rate AS (
    -- the tenant's trailing-12-month resolution rate per category (case-mix expectation),
    -- as an exact decimal, so sums over it do not depend on the order threads add them
    SELECT w.month, c.category, CAST(sum(c.met) / sum(c.due) AS DECIMAL(38, 18)) AS rate
    FROM window_months AS w JOIN monthly_categories AS c ON c.month = w.back
    GROUP BY w.month, c.category
), counted AS (
    -- counts per fact (and per category for resolution deadlines) first, columns after:
    -- one narrow aggregation over the facts instead of a filtered one per measure
    SELECT
        month, holder, fact, category,
        count(*) AS n,
        count(*) FILTER (WHERE met) AS met_n,
        count(*) FILTER (WHERE flag) AS flag_n,
        count(*) FILTER (WHERE NOT flag) AS not_flag_n,
        sum(score) AS score_sum
    FROM facts
    WHERE holder IS NOT NULL
    GROUP BY ALL
), durations AS (
    SELECT
        month, holder,
        quantile_cont(wd, 0.5) AS resolution_wd_median,
        quantile_cont(wd, 0.9) AS resolution_wd_p90
    FROM facts
    WHERE holder IS NOT NULL AND fact = 'resolved'
    GROUP BY ALL
), grouped AS (
    SELECT
        c.month,
        c.holder,
        coalesce(sum(c.n) FILTER (WHERE c.fact = 'received'), 0) AS received,
        coalesce(sum(c.n) FILTER (WHERE c.fact = 'resolved'), 0) AS resolved,
        coalesce(sum(c.n) FILTER (WHERE c.fact = 'forwarding'), 0) AS forwarding_due,
        coalesce(sum(c.met_n) FILTER (WHERE c.fact = 'forwarding'), 0) AS forwarding_met,
        coalesce(sum(c.n) FILTER (WHERE c.fact = 'response'), 0) AS response_due,
        coalesce(sum(c.met_n) FILTER (WHERE c.fact = 'response'), 0) AS response_met,
        coalesce(sum(c.n) FILTER (WHERE c.fact = 'resolution'), 0) AS resolution_due,
        coalesce(sum(c.met_n) FILTER (WHERE c.fact = 'resolution'), 0) AS resolution_met,
        any_value(d.resolution_wd_median) AS resolution_wd_median,
        any_value(d.resolution_wd_p90) AS resolution_wd_p90,
        coalesce(sum(c.n) FILTER (WHERE c.fact = 'backlog'), 0) AS backlog_end,
        coalesce(sum(c.flag_n) FILTER (WHERE c.fact = 'backlog'), 0) AS overdue_backlog_end,
        coalesce(sum(c.n) FILTER (WHERE c.fact = 'rating'), 0) AS ratings_n,
        sum(c.score_sum) FILTER (WHERE c.fact = 'rating') AS ratings_sum,
        sum(c.score_sum) FILTER (WHERE c.fact = 'rating')
            / sum(c.n) FILTER (WHERE c.fact = 'rating') AS satisfaction_mean,
        coalesce(sum(c.not_flag_n) FILTER (WHERE c.fact = 'rating'), 0) AS ratings_not_fixed,
        coalesce(sum(c.flag_n) FILTER (WHERE c.fact = 'resolved'), 0) AS resolved_rated,
        coalesce(sum(c.n) FILTER (WHERE c.fact = 'resolution_event'), 0) AS resolution_events,
        coalesce(sum(c.flag_n) FILTER (WHERE c.fact = 'resolution_event'), 0)
            AS reopened_in_window,
        CAST(sum(r.rate * c.n) FILTER (WHERE c.fact = 'resolution')
             / sum(c.n) FILTER (WHERE c.fact = 'resolution' AND r.rate IS NOT NULL) AS DOUBLE)
            AS expected_resolution_rate
    FROM counted AS c
    LEFT JOIN category_rate AS r
        ON c.fact = 'resolution' AND r.month = c.month AND r.category = c.category
    LEFT JOIN durations AS d ON d.month = c.month AND d.holder = c.holder
    GROUP BY c.month, c.holder
), rated AS (
    SELECT
        g.*,
        CAST(g.response_met AS DOUBLE) / nullif(g.response_due, 0) AS response_rate,
        wilson_low(g.response_met, g.response_due) AS response_rate_low,
        wilson_high(g.response_met, g.response_due) AS response_rate_high,
        CAST(g.resolution_met AS DOUBLE) / nullif(g.resolution_due, 0) AS resolution_rate,
        wilson_low(g.resolution_met, g.resolution_due) AS resolution_rate_low,
        wilson_high(g.resolution_met, g.resolution_due) AS resolution_rate_high,
        CAST(g.forwarding_met AS DOUBLE) / nullif(g.forwarding_due, 0) AS forwarding_rate,
        -- no ratings, no satisfaction number (rather than the tenant mean)
        CASE WHEN g.ratings_n > 0
            THEN (g.ratings_sum + shrinkage_k * t.mu) / (g.ratings_n + shrinkage_k)
        END AS satisfaction_shrunk,
        t.mu AS tenant_satisfaction_mean,
        CAST(g.resolved_rated AS DOUBLE) / nullif(g.resolved, 0) AS rating_response_rate,
        CAST(g.reopened_in_window AS DOUBLE) / nullif(g.resolution_events, 0) AS reopen_rate
    FROM grouped AS g
    LEFT JOIN tenant_rating_mean AS t USING (month)
), scored AS (
    SELECT
        *,
        resolution_rate / nullif(expected_resolution_rate, 0) AS observed_expected_ratio,
        100 * (coalesce(w_resolution * resolution_rate, 0)
               + coalesce(w_response * response_rate, 0)
               + coalesce(w_satisfaction * (satisfaction_shrunk - 1) / 4, 0))
            / nullif(CASE WHEN resolution_rate IS NOT NULL THEN w_resolution ELSE 0 END
                     + CASE WHEN response_rate IS NOT NULL THEN w_response ELSE 0 END
                     + CASE WHEN satisfaction_shrunk IS NOT NULL THEN w_satisfaction ELSE 0 END,
                     0) AS score
    FROM rated
)
SELECT
    *,
    CASE
        WHEN response_due + resolution_due < min_judged THEN 'data_tidak_cukup'
        WHEN coalesce(resolution_rate_high - resolution_rate_low,
                      response_rate_high - response_rate_low) > max_interval_width
            THEN 'data_tidak_cukup'
        WHEN score >= rating_above THEN 'di_atas_ekspektasi'
        WHEN score < rating_below THEN 'di_bawah_ekspektasi'
        ELSE 'sesuai_ekspektasi'
    END AS rating,
    -- provisional while a late reopening, rating or deadline can still change the month
    CAST(month || '-01' AS DATE) + INTERVAL 1 MONTH
        + to_days(CAST(greatest(reopen_window_days, rating_window_days) AS INTEGER))
        > CAST(as_of_date AS DATE) AS provisional
FROM scored;
