-- The staged ratings as the quality gate reads them, each with the receipt time of its
-- complaint (NULL when no staged complaint has its complaint_key); no comment text.
CREATE OR REPLACE TEMP VIEW quality_ratings AS
SELECT
    r.complaint_key,
    r.source,
    r.source_id,
    r.rated_at,
    c.received_at AS complaint_received_at,
    r.score,
    r.file,
    r.row_number
FROM stg_ratings AS r
LEFT JOIN stg_complaints AS c USING (complaint_key);
