-- Complaints received per calendar month (local time), for the volume gate: every month
-- from the first with a staged complaint to the newest complete month (the last month
-- whose last day is on or before the as-of date), a month without complaints as 0.
CREATE OR REPLACE TEMP TABLE quality_volume AS
WITH bounds AS (
    SELECT
        CAST(date_trunc('month', min(received_at)) AS DATE) AS first_month,
        CAST(date_trunc('month', CAST($as_of_date AS DATE) + INTERVAL 1 DAY)
             - INTERVAL 1 MONTH AS DATE) AS newest_month
    FROM stg_complaints
), months AS (
    SELECT CAST(unnest(generate_series(first_month, newest_month, INTERVAL 1 MONTH)) AS DATE)
        AS month_start
    FROM bounds
    WHERE first_month <= newest_month
), received AS (
    SELECT CAST(date_trunc('month', received_at) AS DATE) AS month_start, count(*) AS complaints
    FROM stg_complaints
    GROUP BY ALL
)
SELECT strftime(m.month_start, '%Y-%m') AS month, coalesce(r.complaints, 0) AS complaints
FROM months AS m
LEFT JOIN received AS r USING (month_start)
ORDER BY month;
