-- The newest quality gate run and the expectations it failed (empty: none failed, or no gate
-- has run yet). Publication refuses to run after a failed gate (assets/publish.py).
SELECT run, "check", expectation, observed
FROM quality_results
WHERE checked_at = (SELECT max(checked_at) FROM quality_results)
  AND NOT passed
ORDER BY "check", expectation;
