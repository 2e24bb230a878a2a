-- Tenant-wide totals per month (leadership's headline numbers), for $month_from..$month_to.
-- Every fact counts here, also those whose holder is unknown (e.g. a case never verified).
CREATE TABLE IF NOT EXISTS tenant_month (
    tenant VARCHAR, month VARCHAR, cases_received BIGINT, received BIGINT, resolved BIGINT,
    forwarding_due BIGINT, forwarding_met BIGINT, forwarding_rate DOUBLE,
    response_due BIGINT, response_met BIGINT, response_rate DOUBLE,
    response_rate_low DOUBLE, response_rate_high DOUBLE,
    resolution_due BIGINT, resolution_met BIGINT, resolution_rate DOUBLE,
    resolution_rate_low DOUBLE, resolution_rate_high DOUBLE,
    resolution_wd_median DOUBLE, resolution_wd_p90 DOUBLE,
    backlog_end BIGINT, overdue_backlog_end BIGINT,
    ratings_n BIGINT, satisfaction_mean DOUBLE, rating_response_rate DOUBLE,
    reopen_rate DOUBLE, provisional BOOLEAN
);

BEGIN TRANSACTION;

DELETE FROM tenant_month WHERE month BETWEEN $month_from AND $month_to;

INSERT INTO tenant_month
SELECT
    $tenant, m.month, coalesce(n.cases, 0), received, resolved,
    forwarding_due, forwarding_met, forwarding_rate,
    response_due, response_met, response_rate, response_rate_low, response_rate_high,
    resolution_due, resolution_met, resolution_rate, resolution_rate_low, resolution_rate_high,
    resolution_wd_median, resolution_wd_p90,
    backlog_end, overdue_backlog_end,
    ratings_n, satisfaction_mean, rating_response_rate, reopen_rate, provisional
FROM month_measures(
    $month_from, $month_to, 'tenant', $as_of_date, $shrinkage_k, $reopen_window_days,
    $rating_window_days, $w_resolution, $w_response, $w_satisfaction, $min_judged,
    $max_interval_width, $rating_above, $rating_below
) AS m
-- new cases (after the channel merge) by month of receipt; `received` counts hand-overs
LEFT JOIN (
    SELECT strftime(received_at, '%Y-%m') AS month, count(*) AS cases FROM cases GROUP BY 1
) AS n USING (month);

COMMIT;
