-- The staged input rows behind each month's numbers, one content hash per row: every
-- complaint, event and rating of every case that has a fact in the month (held, received,
-- resolved, judged or in backlog there), received in the month, or judged in the month.
-- The hash covers the row's values, not where it was read (file, row number) nor rapor's
-- internal keys, so a re-export of the same rows in another order changes nothing.
CREATE OR REPLACE TEMP TABLE publication_input_rows AS
WITH month_cases AS (
    SELECT month, case_key FROM holder_facts
    UNION
    SELECT strftime(received_at, '%Y-%m'), case_key FROM cases
    UNION
    SELECT resolution_judged_month, case_key FROM cases
    WHERE resolution_judged_month IS NOT NULL
), month_complaints AS (
    SELECT DISTINCT mc.month, m.complaint_key
    FROM month_cases AS mc
    JOIN case_members AS m USING (case_key)
), input_rows AS (
    SELECT 'complaints' AS input_table, complaint_key, source, file, row_number,
           md5(to_json(struct_pack(*COLUMNS(* EXCLUDE (complaint_key, file, row_number)))))
               AS row_hash,
           concat_ws(' ', source_id, channel, strftime(received_at, '%Y-%m-%d %H:%M:%S'))
               AS detail
    FROM stg_complaints
    UNION ALL
    SELECT 'events', complaint_key, source, file, row_number,
           md5(to_json(struct_pack(*COLUMNS(* EXCLUDE (event_key, complaint_key, type_order,
                                                      file, row_number))))),
           concat_ws(' ', source_id, event_type, strftime(event_at, '%Y-%m-%d %H:%M:%S'),
                     unit_code, officer_nip)
    FROM stg_events
    UNION ALL
    SELECT 'ratings', complaint_key, source, file, row_number,
           md5(to_json(struct_pack(*COLUMNS(* EXCLUDE (complaint_key, file, row_number))))),
           concat_ws(' ', source_id, 'skor ' || score, strftime(rated_at, '%Y-%m-%d %H:%M:%S'))
    FROM stg_ratings
)
SELECT mc.month, i.input_table, i.source, i.file, i.row_number, i.row_hash, i.detail
FROM month_complaints AS mc
JOIN input_rows AS i USING (complaint_key);

-- one fingerprint per month of the input rows of the cases whose last month it is; a
-- month's window_fingerprint is made of those of the 11 months before it: the inputs its
-- trailing 12-month means read that are not its own (its own cases' rows, whose last month
-- is this one or later, are compared row by row)
CREATE OR REPLACE TEMP TABLE publication_month_prints AS
SELECT last_month AS month, sha256(string_agg(row_hash, ',' ORDER BY row_hash)) AS print
FROM (SELECT row_hash, max(month) AS last_month FROM publication_input_rows GROUP BY row_hash)
GROUP BY last_month;

-- reference data every month depends on (units, officers, HR's behaviour and organisation
-- ratings, reviewers' merge links), one hash
CREATE OR REPLACE TEMP TABLE publication_reference AS
SELECT sha256(concat_ws('|',
    (SELECT coalesce(string_agg(h, ',' ORDER BY h), '')
     FROM (SELECT md5(to_json(u)) AS h FROM ref_units AS u)),
    (SELECT coalesce(string_agg(h, ',' ORDER BY h), '')
     FROM (SELECT md5(to_json(o)) AS h FROM ref_officers AS o)),
    (SELECT coalesce(string_agg(h, ',' ORDER BY h), '')
     FROM (SELECT md5(to_json(b)) AS h FROM ref_behaviour_ratings AS b)),
    (SELECT coalesce(string_agg(h, ',' ORDER BY h), '')
     FROM (SELECT md5(to_json(o)) AS h FROM ref_organisation_ratings AS o)),
    (SELECT coalesce(string_agg(h, ',' ORDER BY h), '')
     FROM (SELECT md5(to_json(struct_pack(*COLUMNS(* EXCLUDE (row_number))))) AS h
           FROM stg_case_links))
)) AS reference_hash,
(SELECT sha256(coalesce(string_agg(
        concat_ws(',', calendar_key, day, is_working_day, note, wd_index), ';'
        ORDER BY calendar_key, day), ''))
 FROM calendar_days) AS calendar_hash;
