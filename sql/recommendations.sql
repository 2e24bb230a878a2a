-- What HR and the inspectorate should look at, per officer and month, each with its reasons
-- in plain Bahasa Indonesia (the numbers, the policy thresholds) and the cases behind it.
-- rapor recommends and documents; people decide (a sanction needs a hearing, PP 94/2021).
--   reward_candidate     hasil kerja di_atas_ekspektasi and no flag on the officer that month
--   coaching             hasil kerja di_bawah_ekspektasi
--   inspectorate_review  di_bawah_ekspektasi $rec_consecutive_below months in a row, or
--                        $rec_flags_for_review or more flags (sql/flags.sql) in the month
--                        on at least $rec_flagged_percent % of the cases the officer handled
-- Provisional months get none: their numbers can still change. Recomputed as a whole.
CREATE OR REPLACE TEMP MACRO pct(x) AS CAST(round(100 * x) AS INTEGER);

CREATE OR REPLACE TABLE recommendations AS
WITH settled AS (
    SELECT *, CAST(month || '-01' AS DATE) AS month_start
    FROM officer_month
    WHERE NOT provisional AND officer_nip IS NOT NULL
), handled AS (
    SELECT month, officer_nip, count(DISTINCT case_key) AS cases_handled
    FROM holder_facts
    GROUP BY ALL
), rated AS (
    -- the officer-months that can become a recommendation: only their cases are cited
    SELECT month, officer_nip FROM settled
    WHERE rating IN ('di_atas_ekspektasi', 'di_bawah_ekspektasi')
), cited AS (
    -- the cases behind the numbers: deadlines met / missed, per officer and month
    SELECT h.month, h.officer_nip,
           list(DISTINCT c.case_id ORDER BY c.case_id) FILTER (WHERE h.met) AS met_ids,
           list(DISTINCT c.case_id ORDER BY c.case_id) FILTER (WHERE NOT h.met) AS missed_ids
    FROM holder_facts AS h
    SEMI JOIN rated USING (month, officer_nip)
    JOIN cases AS c USING (case_key)
    WHERE h.fact IN ('response', 'resolution')
    GROUP BY ALL
), flagged AS (
    SELECT f.month, f.officer_nip, count(*) AS n, count(DISTINCT f.case_id) AS cases_n,
           string_agg(DISTINCT f.flag, ', ' ORDER BY f.flag) AS kinds,
           list(DISTINCT f.case_id ORDER BY f.case_id) AS case_ids
    FROM flags AS f
    WHERE f.flag <> 'missed_deadline_data_problem'  -- the data's fault, not the officer's
    GROUP BY ALL
), streak AS (
    -- a month below expectation that closes a run of $rec_consecutive_below such months
    SELECT s.month, s.officer_nip,
           string_agg(p.month, ', ' ORDER BY p.month) AS months,
           string_agg(replace(printf('%.1f', p.score), '.', ','), ' / ' ORDER BY p.month)
               AS scores
    FROM settled AS s
    JOIN settled AS p
        ON p.officer_nip = s.officer_nip
        AND p.month_start BETWEEN s.month_start
            - to_months(CAST($rec_consecutive_below AS INTEGER) - 1) AND s.month_start
        AND p.rating = 'di_bawah_ekspektasi'
    WHERE s.rating = 'di_bawah_ekspektasi'
    GROUP BY s.month, s.officer_nip
    HAVING count(*) = $rec_consecutive_below
), base AS (
    SELECT
        s.*,
        replace(printf('%.1f', s.score), '.', ',') AS score_txt,
        CASE WHEN s.resolution_due > 0 THEN
            'penyelesaian tepat waktu ' || s.resolution_met || ' dari ' || s.resolution_due
            || ' tenggat (' || pct(s.resolution_rate) || ' %, IK 95 % '
            || pct(s.resolution_rate_low) || '–' || pct(s.resolution_rate_high) || ' %)'
        END AS resolution_txt,
        CASE WHEN s.response_due > 0 THEN
            'tanggapan tepat waktu ' || s.response_met || ' dari ' || s.response_due
            || ' tenggat (' || pct(s.response_rate) || ' %)'
        END AS response_txt,
        c.met_ids, c.missed_ids,
        f.n AS flags_n, f.kinds AS flag_kinds, f.case_ids AS flag_ids,
        f.n >= $rec_flags_for_review
            AND 100 * f.cases_n >= $rec_flagged_percent * coalesce(h.cases_handled, 0)
            AS many_flags,
        f.cases_n AS flagged_cases, h.cases_handled
    FROM settled AS s
    LEFT JOIN handled AS h USING (month, officer_nip)
    LEFT JOIN cited AS c USING (month, officer_nip)
    LEFT JOIN flagged AS f USING (month, officer_nip)
), recommended AS (
    SELECT month, officer_nip, unit_code, 'reward_candidate' AS kind,
           'Hasil kerja di atas ekspektasi: skor ' || score_txt || ' (ambang kebijakan '
           || $rating_above || ')' || coalesce('; ' || resolution_txt, '')
           || coalesce('; ' || response_txt, '')
           || '. Tidak ada tanda anomali bulan ini.' AS reasons,
           coalesce(met_ids, []) AS evidence
    FROM base
    WHERE rating = 'di_atas_ekspektasi' AND flags_n IS NULL
    UNION ALL
    SELECT month, officer_nip, unit_code, 'coaching',
           'Hasil kerja di bawah ekspektasi: skor ' || score_txt || ' (di bawah ambang '
           || $rating_below || ')' || coalesce('; ' || resolution_txt, '')
           || coalesce('; ' || response_txt, '') || '. Tenggat yang terlewat: '
           || coalesce(len(missed_ids), 0) || ' kasus.',
           coalesce(missed_ids, [])
    FROM base
    WHERE rating = 'di_bawah_ekspektasi'
    UNION ALL
    SELECT b.month, b.officer_nip, b.unit_code, 'inspectorate_review',
           concat_ws(' ',
               CASE WHEN t.months IS NOT NULL THEN
                   'Di bawah ekspektasi ' || $rec_consecutive_below
                   || ' bulan berturut-turut (' || t.months || '; skor ' || t.scores
                   || '; ambang kebijakan ' || $rec_consecutive_below || ' bulan).'
               END,
               CASE WHEN b.many_flags THEN
                   b.flags_n || ' tanda anomali bulan ini (' || b.flag_kinds || ') pada '
                   || b.flagged_cases || ' dari ' || b.cases_handled
                   || ' kasus yang ditangani (ambang kebijakan ' || $rec_flags_for_review
                   || ' tanda pada ' || $rec_flagged_percent || ' % kasus).'
               END),
           list_distinct(list_concat(
               CASE WHEN t.months IS NOT NULL THEN coalesce(b.missed_ids, []) ELSE [] END,
               CASE WHEN b.many_flags THEN b.flag_ids ELSE [] END))
    FROM base AS b
    LEFT JOIN streak AS t USING (month, officer_nip)
    WHERE t.months IS NOT NULL OR b.many_flags
)
SELECT $tenant AS tenant, month, officer_nip, unit_code, kind, reasons,
       list_sort(evidence)[1:$rec_max_cited_cases] AS evidence_case_ids,
       len(evidence) AS evidence_cases
FROM recommended;
