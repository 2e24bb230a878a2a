-- Which staged complaints are the same citizen problem (one case), why, and which member is
-- primary (docs/merging.md). Two complaints are linked by
--   the reporter rule: same reporter, same category and same place (kelurahan, else
--     kecamatan), received no more than $merge_window_days days apart (chained in receipt
--     order, so a case can span longer). An anonymous complaint's reporter is compared
--     only with other anonymous complaints', never with a named one's;
--   the text rule, for a complaint whose reporter cannot be compared with most others' (it
--     has none, or its channel's identifier is of another kind, cases.reporter_id_kinds):
--     its best match among the complaints through another channel with the same category
--     and place, received within the window, whose reporter it cannot be compared with
--     either, that name the street it names (if it names one), whose map pins (if both have
--     one) lie within $max_pin_distance_m metres, and whose title + description words have a
--     weighted Jaccard similarity of at least $text_similarity_min (each word weighs
--     ln((N + 1) / (df + 1)) in its category) with shared words weighing at least
--     $text_evidence_min. Titles that repeat the category, stock texts, and pins and places
--     that many complaints carry are no evidence (cases.common_*). Not tried when more than
--     $text_match_max_candidates other complaints of that category and place were received
--     around it (a burst: too ambiguous for text alone);
--   a reviewer's link row (reference/case_links.csv, staged as stg_case_links).
-- A complaint a reviewer unlinked takes part in no rule: it is a case of its own unless a
-- link row puts it into another. Linked complaints form one case, transitively. The primary
-- member has the most lifecycle events (the one that was handled), then is the earliest; its
-- complaint_key is the case_key. Only candidates are ever paired: complaints whose reporter
-- key recurs, and those whose reporter cannot be compared; never all complaints.

-- a warehouse built without the staging stage (the benchmark loads staged tables only) has
-- no overrides
CREATE TABLE IF NOT EXISTS stg_case_links (
    action VARCHAR, complaint_key_a BIGINT, complaint_key_b BIGINT, case_id_a VARCHAR,
    case_id_b VARCHAR, reason VARCHAR, reviewed_by VARCHAR, reviewed_at DATE,
    row_number BIGINT
);

-- what is no evidence for the text rule (docs/merging.md, "What is no evidence"): a place,
-- a map pin (rounded to 4 decimals, about 10 m) or a whole title or description carried by
-- more than a share of the complaints (of the tenant; of the category for texts), and
-- never by fewer than $common_min_complaints
CREATE OR REPLACE TEMP TABLE merge_category_sizes AS
SELECT category, count(*) AS complaints, text_words(replace(category, '_', ' ')) AS words
FROM stg_complaints
GROUP BY category;

CREATE OR REPLACE TEMP TABLE merge_common_places AS
SELECT lower(coalesce(village, district, '')) AS place
FROM stg_complaints
GROUP BY ALL
HAVING count(*) > greatest($common_min_complaints,
                           $common_place_share * (SELECT count(*) FROM stg_complaints));

CREATE OR REPLACE TEMP TABLE merge_common_pins AS
SELECT round(lat, 4) AS lat4, round(lon, 4) AS lon4
FROM stg_complaints
WHERE lat IS NOT NULL AND lon IS NOT NULL
GROUP BY ALL
HAVING count(*) > greatest($common_min_complaints,
                           $common_pin_share * (SELECT count(*) FROM stg_complaints));

-- whole titles and descriptions that more than $common_text_share of their category's
-- complaints carry (titles compared in lower case and trimmed, descriptions as they are:
-- a stock text is written by a system, and lower() on every description costs more than
-- the rest of this table): a stock text, no evidence
CREATE OR REPLACE TEMP TABLE merge_common_texts AS
SELECT f.category, f.value
FROM (
    -- a hash of the text: far cheaper to group than the text (a collision of 64-bit
    -- hashes is too rare to matter)
    SELECT category, hash(lower(trim(title))) AS value FROM stg_complaints
    WHERE trim(title) <> ''
    UNION ALL
    SELECT category, hash(description) FROM stg_complaints
    WHERE description <> ''
) AS f
JOIN merge_category_sizes AS n USING (category)
GROUP BY f.category, f.value, n.complaints
HAVING count(*) > greatest($common_min_complaints, $common_text_share * n.complaints);

-- a complaint's title and description as evidence: the title left out when it is only
-- words of the category's name (it repeats the request type), either left out when it is a
-- stock text; with the words of its category's name and of its place's names, which are no
-- evidence either (the rule has already required both to be equal)
CREATE OR REPLACE TEMP MACRO merge_evidence_text(c, n, title_common, description_common) AS
    concat_ws(chr(10),
        CASE WHEN NOT list_has_all(n.words, text_words(c.title)) AND NOT title_common
            THEN c.title END,
        CASE WHEN NOT description_common THEN c.description END);

-- how many complaints of each category use each word, counted on a sample of about 1,000
-- complaints per category (all of a smaller one), chosen by a hash of the key: enough to
-- tell a rare word from a common one, at a cost that does not grow with the tenant
CREATE OR REPLACE TEMP TABLE merge_sample AS
SELECT
    c.complaint_key,
    c.category,
    merge_evidence_text(c, n, t.value IS NOT NULL, d.value IS NOT NULL) AS text
FROM stg_complaints AS c
JOIN merge_category_sizes AS n USING (category)
LEFT JOIN merge_common_texts AS t
    ON t.category = c.category AND t.value = hash(lower(trim(c.title)))
LEFT JOIN merge_common_texts AS d
    ON d.category = c.category AND d.value = hash(c.description)
WHERE hash(c.complaint_key) % n.complaints < 1000;

CREATE OR REPLACE TEMP TABLE merge_document_frequency AS
SELECT w.category, w.word, w.complaints, s.sampled
FROM (
    SELECT category, word, count(DISTINCT complaint_key) AS complaints
    FROM (SELECT complaint_key, category, unnest(text_split(text)) AS word FROM merge_sample)
    WHERE length(word) > 1
    GROUP BY ALL
) AS w
JOIN (SELECT category, count(*) AS sampled FROM merge_sample GROUP BY category) AS s
    USING (category);

DROP TABLE merge_sample;

-- every link between two complaints: rule, how far apart, how similar, and why
CREATE OR REPLACE TEMP TABLE merge_edges AS
WITH unlinked AS (
    SELECT DISTINCT complaint_key_a AS complaint_key FROM stg_case_links WHERE action = 'unlink'
), keyed AS NOT MATERIALIZED (
    -- (recomputed by each use: cheaper than storing it at 10M complaints)
    SELECT
        complaint_key, channel, received_at, category, is_anonymous, reporter_hash,
        lower(coalesce(village, district, '')) AS place,
        coalesce(list_extract($reporter_kind_names,
                              list_position($reporter_kind_channels, channel)),
                 'phone') AS reporter_kind,
        -- receipts within the window fall in the same or neighbouring buckets of its length
        floor(epoch(received_at) / (86400 * greatest($merge_window_days, 1)))::BIGINT AS bucket
    FROM stg_complaints
    ANTI JOIN unlinked USING (complaint_key)
), shared_keys AS (
    -- reporter rule: only complaints whose reporter, category and place recur can merge.
    -- Grouped by one hash of the three (much cheaper than three strings): a collision only
    -- lets a few more complaints into the window below, which compares the strings. An
    -- anonymous complaint's reporter is compared only with other anonymous complaints'
    -- (docs/merging.md): a link to a named one would say who the anonymous reporter is.
    SELECT hash(reporter_hash, is_anonymous, category, place) AS shared_key
    FROM keyed
    WHERE reporter_hash IS NOT NULL
    GROUP BY ALL
    HAVING count(*) > 1
), reporter_edges AS (
    SELECT
        lag(complaint_key) OVER w AS a,
        complaint_key AS b,
        epoch(received_at - lag(received_at) OVER w) / 86400 AS gap_days
    FROM keyed
    WHERE reporter_hash IS NOT NULL
        AND hash(reporter_hash, is_anonymous, category, place)
            IN (SELECT shared_key FROM shared_keys)
    WINDOW w AS (PARTITION BY reporter_hash, is_anonymous, category, place
                 ORDER BY received_at, complaint_key)
    QUALIFY gap_days <= $merge_window_days
), seekers AS (
    -- text rule: complaints whose reporter cannot be compared with most others' (none, or
    -- an identifier of another kind than a phone number) look for their copy, in their own
    -- time bucket and the two beside it. A place that many complaints carry (a default or
    -- placeholder value) is no place (merge_common_places).
    SELECT *, unnest([bucket - 1, bucket, bucket + 1]) AS near
    FROM keyed
    WHERE place <> '' AND (reporter_hash IS NULL OR reporter_kind <> 'phone')
        AND place NOT IN (SELECT place FROM merge_common_places)
), crowds AS (
    SELECT k.category, k.place, k.bucket AS near, count(*) AS complaints
    FROM keyed AS k
    SEMI JOIN seekers AS s
        ON s.category = k.category AND s.place = k.place AND s.near = k.bucket
    GROUP BY ALL
), text_pairs AS MATERIALIZED (
    -- a: the complaint looking for its copy; b: a candidate copy
    SELECT
        s.complaint_key AS a,
        k.complaint_key AS b,
        abs(epoch(k.received_at - s.received_at)) / 86400 AS gap_days,
        CASE WHEN s.is_anonymous AND k.is_anonymous THEN 'both anonymous'
            WHEN s.is_anonymous THEN 'the ' || s.channel || ' one is anonymous'
            WHEN k.is_anonymous THEN 'the ' || k.channel || ' one is anonymous'
            WHEN s.reporter_hash IS NULL AND k.reporter_hash IS NULL
                THEN 'neither has a reporter'
            WHEN s.reporter_hash IS NULL THEN 'no reporter on the ' || s.channel || ' one'
            WHEN k.reporter_hash IS NULL THEN 'no reporter on the ' || k.channel || ' one'
            ELSE 'reporter identifiers of different kinds (' || s.reporter_kind || ', '
                 || k.reporter_kind || ')'
        END AS reporters
    FROM (
        SELECT s.*
        FROM seekers AS s
        JOIN crowds AS c USING (category, place, near)
        QUALIFY sum(c.complaints) OVER (PARTITION BY s.complaint_key)
                <= $text_match_max_candidates + 1
    ) AS s
    JOIN keyed AS k ON k.category = s.category AND k.place = s.place AND k.bucket = s.near
    WHERE k.channel <> s.channel
        AND abs(epoch(k.received_at - s.received_at)) <= 86400 * $merge_window_days
        AND (k.reporter_hash IS NULL OR s.reporter_hash IS NULL
             OR k.reporter_kind <> s.reporter_kind)
        -- an anonymous complaint and a named one whose identifier is of the kind its
        -- channel's would be: their reporters would decide, and may not, so text does not
        -- either (the link would say who the anonymous reporter is; look-alikes abound)
        AND NOT (s.is_anonymous AND k.reporter_hash IS NOT NULL
                 AND k.reporter_kind = s.reporter_kind)
        AND NOT (k.is_anonymous AND s.reporter_hash IS NOT NULL
                 AND k.reporter_kind = s.reporter_kind)
), texts AS MATERIALIZED (
    -- the evidence of the complaints in those pairs: title and description (on separate
    -- lines; merge_evidence_text) and the map pin, left out when many complaints carry it
    -- (merge_common_pins)
    SELECT
        c.complaint_key,
        c.category,
        merge_evidence_text(c, n, t.value IS NOT NULL, d.value IS NOT NULL) AS text,
        list_concat(n.words, text_words(concat_ws(' ', c.village, c.district)))
            AS ignored_words,
        CASE WHEN p.lat4 IS NULL THEN c.lat END AS lat,
        CASE WHEN p.lat4 IS NULL THEN c.lon END AS lon
    FROM (
        SELECT *
        FROM stg_complaints
        SEMI JOIN (SELECT a AS complaint_key FROM text_pairs UNION SELECT b FROM text_pairs)
            USING (complaint_key)
    ) AS c
    JOIN merge_category_sizes AS n USING (category)
    LEFT JOIN merge_common_texts AS t
        ON t.category = c.category AND t.value = hash(lower(trim(c.title)))
    LEFT JOIN merge_common_texts AS d
        ON d.category = c.category AND d.value = hash(c.description)
    LEFT JOIN merge_common_pins AS p ON p.lat4 = round(c.lat, 4) AND p.lon4 = round(c.lon, 4)
), sought AS (
    -- the first street the seeking complaint names: Jl. / Jln. / Jalan, then capitalised
    -- words (abbreviations such as "Dr." allowed)
    SELECT
        complaint_key,
        lat,
        lon,
        nullif(regexp_extract(
            text,
            '(?:\bJln?\.?|\bJalan)\s+((?:[A-Z][A-Za-z]{0,4}\.\s*)*'
            || '[A-Z0-9][A-Za-z0-9''-]*(?:[ \t]+[A-Z0-9][A-Za-z0-9''-]*)*)',
            1), '') AS street
    FROM texts
    SEMI JOIN (SELECT DISTINCT a AS complaint_key FROM text_pairs) USING (complaint_key)
), placed AS MATERIALIZED (
    -- candidates that name that street too and whose map pins, if both have one, are close
    SELECT
        p.*,
        x.street,
        CASE WHEN x.lat IS NOT NULL AND x.lon IS NOT NULL AND y.lat IS NOT NULL
                  AND y.lon IS NOT NULL
            THEN 6371000 * 2 * asin(sqrt(
                power(sin(radians(y.lat - x.lat) / 2), 2)
                + cos(radians(x.lat)) * cos(radians(y.lat))
                  * power(sin(radians(y.lon - x.lon) / 2), 2)))
        END AS pin_distance_m
    FROM text_pairs AS p
    JOIN sought AS x ON x.complaint_key = p.a
    JOIN texts AS y ON y.complaint_key = p.b
    WHERE coalesce(contains(y.text, x.street), true)
        AND coalesce(pin_distance_m <= $max_pin_distance_m, true)
), pair_words AS MATERIALIZED (
    -- the words of the remaining pairs' texts, less the ignored ones
    SELECT DISTINCT t.complaint_key, t.category, w.word
    FROM texts AS t,
        unnest(text_split(t.text)) AS w(word)
    WHERE t.complaint_key IN (SELECT a FROM placed UNION SELECT b FROM placed)
        AND length(w.word) > 1
        AND NOT list_contains(t.ignored_words, w.word)
), weights AS (
    -- how informative each of those words is in its category: ln((N + 1) / (df + 1)) for a
    -- word that df of the category's N complaints use (0 when every one uses it; df from
    -- the sample, scaled to N, and at least 1), and 1 for every word of a category with
    -- fewer than $common_min_complaints complaints, too few to tell rare words from common
    SELECT
        w.category,
        w.word,
        CASE WHEN n.complaints < $common_min_complaints THEN 1.0
            ELSE ln((n.complaints + 1) / (greatest(
                coalesce(d.complaints * n.complaints / d.sampled, 0), 1) + 1))
        END AS weight
    FROM (SELECT DISTINCT category, word FROM pair_words) AS w
    JOIN merge_category_sizes AS n USING (category)
    LEFT JOIN merge_document_frequency AS d USING (category, word)
), sides AS (
    SELECT p.a, p.b, w.word, w.category FROM placed AS p
    JOIN pair_words AS w ON w.complaint_key = p.a
    UNION ALL
    SELECT p.a, p.b, w.word, w.category FROM placed AS p
    JOIN pair_words AS w ON w.complaint_key = p.b
), scored AS (
    -- weighted Jaccard similarity: the weight of the shared words over the weight of all
    -- the words of both; the shared words, heaviest first, for the evidence
    SELECT
        a,
        b,
        coalesce(sum(weight) FILTER (WHERE sides = 2), 0) AS shared_weight,
        sum(weight) AS all_weight,
        list(word ORDER BY weight DESC, word) FILTER (WHERE sides = 2 AND weight > 0)
            AS shared_words
    FROM (
        SELECT s.a, s.b, s.word, any_value(w.weight) AS weight, count(*) AS sides
        FROM sides AS s
        JOIN weights AS w USING (category, word)
        GROUP BY ALL
    )
    GROUP BY a, b
), text_edges AS (
    -- each seeking complaint's best candidate at or above the threshold whose shared words
    -- weigh enough: the most similar, then the nearest in time
    SELECT
        p.*,
        s.shared_weight / s.all_weight AS similarity,
        s.shared_weight,
        s.shared_words
    FROM placed AS p
    JOIN scored AS s USING (a, b)
    WHERE s.all_weight > 0
        AND similarity >= $text_similarity_min
        AND s.shared_weight >= $text_evidence_min
    QUALIFY row_number() OVER (PARTITION BY p.a ORDER BY similarity DESC, p.gap_days, p.b) = 1
)
SELECT a, b, 'reporter' AS rule, gap_days, NULL::DOUBLE AS similarity,
       NULL::DOUBLE AS shared_weight, NULL::VARCHAR[] AS shared_words,
       NULL::VARCHAR AS street, NULL::DOUBLE AS pin_distance_m, NULL::VARCHAR AS reporters,
       NULL::VARCHAR AS id_a, NULL::VARCHAR AS id_b, NULL::VARCHAR AS review
FROM reporter_edges
UNION ALL
SELECT a, b, 'text', gap_days, similarity, shared_weight, shared_words, street,
       pin_distance_m, reporters, NULL, NULL, NULL
FROM text_edges
UNION ALL
SELECT complaint_key_a, complaint_key_b, action, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       case_id_a, case_id_b,
       reviewed_by || ' (' || coalesce(CAST(reviewed_at AS VARCHAR), 'undated') || '): '
       || reason
FROM stg_case_links;

-- every link seen from both of its ends (other: the complaint at the far end); an unlink
-- row is a loop on the unlinked complaint, which makes it a case of its own
CREATE OR REPLACE TEMP TABLE merge_ends AS
SELECT a AS node, b AS other, id_b AS other_id, * EXCLUDE (a, b, id_a, id_b)
FROM merge_edges
WHERE rule <> 'unlink'
UNION ALL
SELECT b, a, id_a, * EXCLUDE (a, b, id_a, id_b) FROM merge_edges WHERE rule <> 'unlink'
UNION ALL
SELECT a, a, id_b, * EXCLUDE (a, b, id_a, id_b) FROM merge_edges WHERE rule = 'unlink';

-- connected components: every linked complaint ends with the smallest key it is linked to
CREATE OR REPLACE TEMP TABLE merge_components AS
WITH RECURSIVE component(node, label) USING KEY (node) AS (
    SELECT node, least(node, min(other)) FROM merge_ends GROUP BY node
    UNION
    SELECT e.other, min(c.label)
    FROM component AS c
    JOIN merge_ends AS e ON e.node = c.node
    JOIN recurring.component AS r ON r.node = e.other
    WHERE c.label < r.label
    GROUP BY e.other
)
SELECT node, label FROM component;

CREATE OR REPLACE TABLE case_members AS
WITH nodes AS (
    SELECT
        s.complaint_key, s.source, s.source_id, s.channel, s.received_at,
        s.is_confidential, s.is_anonymous,
        CASE WHEN s.village IS NOT NULL THEN 'kelurahan ' || s.village
            WHEN s.district IS NOT NULL THEN 'kecamatan ' || s.district
            ELSE 'place (none given)'
        END AS place_name,
        c.label
    FROM stg_complaints AS s
    JOIN merge_components AS c ON c.node = s.complaint_key
), event_counts AS (
    SELECT complaint_key, count(*) AS events
    FROM stg_events
    SEMI JOIN nodes USING (complaint_key)
    GROUP BY complaint_key
), groups AS (
    SELECT
        n.label,
        arg_min(n.complaint_key, (-coalesce(e.events, 0), n.received_at, n.complaint_key))
            AS case_key,
        count(*) AS member_count
    FROM nodes AS n
    LEFT JOIN event_counts AS e USING (complaint_key)
    GROUP BY n.label
), shown AS (
    -- the link shown for each member: a reviewer's link first, then the reporter rule,
    -- then its most similar text match
    SELECT *
    FROM merge_ends
    WHERE rule <> 'unlink'
    QUALIFY row_number() OVER (
        PARTITION BY node
        ORDER BY CASE rule WHEN 'link' THEN 0 WHEN 'reporter' THEN 1 ELSE 2 END,
                 similarity DESC NULLS FIRST, other
    ) = 1
), unlinks AS (
    SELECT
        node,
        string_agg('unlinked from the case of ' || other_id || ' by reviewer ' || review, '; '
                   ORDER BY other_id) AS note
    FROM merge_ends
    WHERE rule = 'unlink'
    GROUP BY node
), evidence AS (
    SELECT
        n.complaint_key,
        concat_ws('; ', u.note, CASE e.rule
            WHEN 'link' THEN 'linked with ' || e.other_id || ' by reviewer ' || e.review
            WHEN 'reporter' THEN
                CASE WHEN n.is_anonymous THEN 'both anonymous, one reporter (not shown), '
                    ELSE 'same reporter, ' END
                || 'category and ' || n.place_name || ' as ' || o.source || ':' || o.source_id
            WHEN 'text' THEN
                'text similarity ' || printf('%.2f', e.similarity) || ' with '
                || o.source || ':' || o.source_id || ' (' || o.channel
                || '): same category and ' || n.place_name
                || coalesce(', both name Jl. ' || e.street, '')
                || coalesce(', map pins ' || CAST(round(e.pin_distance_m) AS BIGINT)
                            || ' m apart', '')
                || '; shared words weigh ' || printf('%.1f', e.shared_weight)
                || coalesce(' (' || nullif(array_to_string(e.shared_words[1:6], ', '), '')
                            || CASE WHEN len(e.shared_words) > 6 THEN ', ...' ELSE '' END
                            || ')', '')
                || '; ' || e.reporters
        END, CASE WHEN e.gap_days < 2
            THEN CAST(round(e.gap_days * 24) AS BIGINT) || ' hours apart'
            ELSE printf('%.1f', e.gap_days) || ' days apart'
        END) AS match_evidence,
        -- the same link, structured: rule, the other complaint, weighted similarity,
        -- weight of the shared words, distance of the pins (text rule)
        coalesce(e.rule, CASE WHEN u.note IS NOT NULL THEN 'unlink' END) AS match_rule,
        o.source || ':' || o.source_id AS match_with,
        e.similarity AS match_score,
        e.shared_weight AS match_weight,
        e.pin_distance_m
    FROM nodes AS n
    LEFT JOIN shown AS e ON e.node = n.complaint_key
    LEFT JOIN nodes AS o ON o.complaint_key = e.other
    LEFT JOIN unlinks AS u ON u.node = n.complaint_key
)
SELECT
    g.case_key,
    p.source || ':' || p.source_id AS case_id,
    n.complaint_key,
    n.source,
    n.source_id,
    n.channel,
    n.received_at,
    n.complaint_key = g.case_key AS is_primary,
    g.member_count,
    v.match_evidence,
    n.is_confidential,
    n.is_anonymous,
    v.match_rule,
    v.match_with,
    v.match_score,
    v.match_weight,
    v.pin_distance_m
FROM nodes AS n
JOIN groups AS g USING (label)
JOIN nodes AS p ON p.complaint_key = g.case_key
JOIN evidence AS v ON v.complaint_key = n.complaint_key
UNION ALL
SELECT
    complaint_key,
    source || ':' || source_id,
    complaint_key,
    source,
    source_id,
    channel,
    received_at,
    true,
    1,
    NULL,
    is_confidential,
    is_anonymous,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL
FROM stg_complaints
ANTI JOIN merge_components AS c ON c.node = stg_complaints.complaint_key;

DROP TABLE merge_components;

DROP TABLE merge_ends;

DROP TABLE merge_edges;

DROP TABLE merge_document_frequency;

DROP TABLE merge_common_texts;

DROP MACRO merge_evidence_text;

DROP TABLE merge_common_pins;

DROP TABLE merge_common_places;

DROP TABLE merge_category_sizes;
