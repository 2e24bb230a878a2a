-- The staged complaints as the quality gate reads them (pipelines/quality.py): the columns
-- its expectations test and those that locate a row; no free text, no reporter.
CREATE OR REPLACE TEMP VIEW quality_complaints AS
SELECT complaint_key, source, source_id, channel, complaint_class, received_at, file, row_number
FROM stg_complaints;
