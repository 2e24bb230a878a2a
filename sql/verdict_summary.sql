-- The run summary's verdict lines (rapor run): per unit, the source's own verdicts beside
-- rapor's (verdict_agreement, verdicts.sql) and the ids of the cases where they disagree.
SELECT a.unit_code, a.with_verdict, a.compared, a.agree, a.disagree, a.rapor_not_judged,
       a.source_unknown,
       coalesce(list_sort(list(v.case_id) FILTER (WHERE NOT v.agrees)), []) AS disagreeing
FROM verdict_agreement AS a
LEFT JOIN source_verdicts AS v ON v.unit_code IS NOT DISTINCT FROM a.unit_code
GROUP BY ALL
ORDER BY a.unit_code NULLS LAST;
