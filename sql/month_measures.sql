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
), months AS (
    SELECT DISTINCT month FROM holder_facts WHERE month BETWEEN month_from AND month_to
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
), facts AS (
    SELECT
        f.*,
        CASE grain WHEN 'officer' THEN f.officer_nip WHEN 'unit' THEN f.unit_code
                   ELSE 'all' END AS holder,
        r.rate AS category_rate
    FROM holder_facts AS f
    LEFT JOIN category_rate AS r
        ON f.fact = 'resolution' AND r.month = f.month AND r.category = f.category
    WHERE f.month BETWEEN month_from AND month_to
), grouped AS (
    SELECT
        month,
        holder,
        count(*) FILTER (WHERE fact = 'received') AS received,
        count(*) FILTER (WHERE fact = 'resolved') AS resolved,
        count(*) FILTER (WHERE fact = 'forwarding') AS forwarding_due,
        count(*) FILTER (WHERE fact = 'forwarding' AND met) AS forwarding_met,
        count(*) FILTER (WHERE fact = 'response') AS response_due,
        count(*) FILTER (WHERE fact = 'response' AND met) AS response_met,
        count(*) FILTER (WHERE fact = 'resolution') AS resolution_due,
        count(*) FILTER (WHERE fact = 'resolution' AND met) AS resolution_met,
        quantile_cont(wd, 0.5) FILTER (WHERE fact = 'resolved') AS resolution_wd_median,
        quantile_cont(wd, 0.9) FILTER (WHERE fact = 'resolved') AS resolution_wd_p90,
        count(*) FILTER (WHERE fact = 'backlog') AS backlog_end,
        count(*) FILTER (WHERE fact = 'backlog' AND flag) AS overdue_backlog_end,
        count(*) FILTER (WHERE fact = 'rating') AS ratings_n,
        sum(score) FILTER (WHERE fact = 'rating') AS ratings_sum,
        avg(score) FILTER (WHERE fact = 'rating') AS satisfaction_mean,
        count(*) FILTER (WHERE fact = 'rating' AND flag = false) AS ratings_not_fixed,
        count(*) FILTER (WHERE fact = 'resolved' AND flag) AS resolved_rated,
        count(*) FILTER (WHERE fact = 'resolution_event') AS resolution_events,
        count(*) FILTER (WHERE fact = 'resolution_event' AND flag) AS reopened_in_window,
        CAST(avg(category_rate) FILTER (WHERE fact = 'resolution') AS DOUBLE)
            AS expected_resolution_rate
    FROM facts
    WHERE holder IS NOT NULL
    GROUP BY month, holder
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
