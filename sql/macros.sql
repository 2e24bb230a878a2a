-- Macros shared by the other SQL files. Loaded on every read-write connection.

-- Why an NIP (18-digit civil-servant number) is not plausible on the run at `now`, or NULL
-- when it is. Layout: birth date YYYYMMDD, appointment YYYYMM, sex digit (1 male,
-- 2 female), serial. The same rules as the quality gate's (pipelines/quality.py).
CREATE OR REPLACE MACRO nip_problem(nip, now) AS
    CASE
        WHEN nip IS NULL OR trim(nip) = '' THEN 'empty NIP'
        WHEN NOT regexp_full_match(trim(nip), '[0-9]{18}')
            THEN 'NIP must be 18 digits, got ' || length(trim(nip)) || ' characters'
        WHEN try_strptime(substr(trim(nip), 1, 8), '%Y%m%d') IS NULL
            THEN 'NIP birth date ' || substr(trim(nip), 1, 8) || ' is not a date'
        WHEN year(try_strptime(substr(trim(nip), 1, 8), '%Y%m%d')) NOT BETWEEN 1940 AND 2010
            THEN 'NIP birth year ' || substr(trim(nip), 1, 4) || ' is implausible'
        WHEN try_strptime(substr(trim(nip), 9, 6) || '01', '%Y%m%d') IS NULL
            THEN 'NIP appointment month ' || substr(trim(nip), 9, 6) || ' is not a month'
        WHEN try_strptime(substr(trim(nip), 9, 6) || '01', '%Y%m%d')
             > date_trunc('month', now)
            THEN 'NIP appointment month ' || substr(trim(nip), 9, 6)
                 || ' is after this run''s month ' || strftime(now, '%Y-%m')
        WHEN date_diff('year', try_strptime(substr(trim(nip), 1, 8), '%Y%m%d'),
                       try_strptime(substr(trim(nip), 9, 6) || '01', '%Y%m%d')) < 17
            THEN 'NIP appointment before age 17'
        WHEN substr(trim(nip), 15, 1) NOT IN ('1', '2')
            THEN 'NIP sex digit must be 1 or 2, got ' || substr(trim(nip), 15, 1)
        ELSE NULL
    END;

-- Why an HR rating period (reference/*_ratings.csv) is not YYYY-MM or YYYY, or NULL when
-- it is; `period` is the value as read, shown in the reason.
CREATE OR REPLACE MACRO period_problem(period) AS
    CASE WHEN NOT regexp_full_match(coalesce(trim(period), ''), '[0-9]{4}(-(0[1-9]|1[0-2]))?')
        THEN 'period must be YYYY-MM or YYYY: got ' || coalesce(period, '(empty)') END;

-- The zone suffix of a timestamp text: after a time of day, `Z`, `UTC` or `GMT` (any case,
-- a space before allowed) or an offset `+07:00`, `+0700`, `+07`, `-05:00`; '' if none.
CREATE OR REPLACE MACRO ts_zone_suffix(txt) AS
    regexp_extract(trim(txt),
        '[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)? ?((?i:z|utc|gmt)|[+-][0-9]{2}(?::?[0-9]{2})?)$',
        1);

-- That suffix as an offset DuckDB reads: +00:00 for Z / UTC / GMT, +HH:MM otherwise.
CREATE OR REPLACE MACRO ts_offset(suffix) AS
    CASE
        WHEN upper(suffix) IN ('Z', 'UTC', 'GMT') THEN '+00:00'
        WHEN length(suffix) = 3 THEN suffix || ':00'
        WHEN length(suffix) = 5 THEN substr(suffix, 1, 3) || ':' || substr(suffix, 4, 2)
        ELSE suffix
    END;

-- An ISO 8601 text as a local TIMESTAMP of the tenant. A value with a zone (Z, UTC, GMT, an
-- offset such as +08:00 / +0800, or a zone name such as Asia/Tokyo) is converted from that
-- zone to the tenant's ($tz); a value without one is already local. NULL if unparsable:
-- a zone is never silently dropped.
CREATE OR REPLACE MACRO parse_local_ts(txt, tz) AS
    CASE
        WHEN txt IS NULL THEN NULL
        -- the common shapes first, one cheap regular expression each (millions of rows):
        -- ISO 8601's own Z / +HH:MM right after the time; no zone at all (nothing but
        -- digits, '-', ':', '.', ' ', 'T', and no sign after the time: local time)
        WHEN regexp_matches(txt, '[T ][0-9:.]*[0-9](Z|[+-][0-9]{2}:[0-9]{2}) *$')
            THEN timezone(tz, try_cast(txt AS TIMESTAMPTZ))
        WHEN NOT regexp_matches(txt, '[^0-9:. T-]|:[0-9.]* *-')
            THEN try_cast(txt AS TIMESTAMP)
        WHEN ts_zone_suffix(txt) <> ''
            THEN timezone(tz, try_cast(
                rtrim(left(trim(txt), length(trim(txt)) - length(ts_zone_suffix(txt))))
                || ts_offset(ts_zone_suffix(txt)) AS TIMESTAMPTZ))
        -- anything after the time of day that is not a zone above: a zone name, or junk
        WHEN regexp_matches(trim(txt), '[T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)? *[A-Za-z]')
            THEN timezone(tz, try_cast(trim(txt) AS TIMESTAMPTZ))
        ELSE try_cast(trim(txt) AS TIMESTAMP)
    END;

-- A boolean from the spellings sources use; NULL for blank; 'bad' values map to NULL too,
-- and bool_problem says so.
CREATE OR REPLACE MACRO parse_bool(txt) AS
    CASE
        WHEN lower(trim(txt)) IN ('true', 't', '1', 'yes', 'y', 'ya') THEN true
        WHEN lower(trim(txt)) IN ('false', 'f', '0', 'no', 'n', 'tidak') THEN false
        ELSE NULL
    END;

CREATE OR REPLACE MACRO bool_problem(txt) AS
    txt IS NOT NULL AND trim(txt) <> '' AND parse_bool(txt) IS NULL;

-- 95 % Wilson score interval for k successes out of n.
CREATE OR REPLACE MACRO wilson_low(k, n) AS
    CASE WHEN n > 0 THEN
        ((k / n) + 1.959963984540054 ^ 2 / (2 * n)
         - 1.959963984540054 * sqrt((k / n) * (1 - k / n) / n
                                    + 1.959963984540054 ^ 2 / (4 * n * n)))
        / (1 + 1.959963984540054 ^ 2 / n)
    END;

CREATE OR REPLACE MACRO wilson_high(k, n) AS
    CASE WHEN n > 0 THEN
        ((k / n) + 1.959963984540054 ^ 2 / (2 * n)
         + 1.959963984540054 * sqrt((k / n) * (1 - k / n) / n
                                    + 1.959963984540054 ^ 2 / (4 * n * n)))
        / (1 + 1.959963984540054 ^ 2 / n)
    END;

-- The words of a free text, for text similarity (case_members.sql): lower case, split at
-- spaces, tabs, line breaks and . , ( ) / : ; ! ? " (replace(): much cheaper than a regular
-- expression). text_split keeps the empty and one-character pieces (cheaper when the
-- caller unnests and filters anyway); text_words drops them.
CREATE OR REPLACE MACRO text_split(txt) AS
    string_split(lower(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
        replace(replace(replace(coalesce(txt, ''), chr(10), ' '), chr(9), ' '), ',', ' '),
        '.', ' '), '(', ' '), ')', ' '), '/', ' '), ':', ' '), ';', ' '), '!', ' '), '?', ' '),
        '"', ' '), chr(13), ' ')
    ), ' ');

CREATE OR REPLACE MACRO text_words(txt) AS
    list_filter(text_split(txt), lambda w: length(w) > 1);

-- The PermenPANRB 6/2022 predikat from hasil kerja and perilaku kerja, each rated
-- di_atas_ekspektasi / sesuai_ekspektasi / di_bawah_ekspektasi; NULL when either is missing
-- (or hasil kerja is data_tidak_cukup).
CREATE OR REPLACE MACRO predikat_of(hasil, perilaku) AS
    CASE
        WHEN hasil NOT IN ('di_atas_ekspektasi', 'sesuai_ekspektasi', 'di_bawah_ekspektasi')
          OR perilaku NOT IN ('di_atas_ekspektasi', 'sesuai_ekspektasi', 'di_bawah_ekspektasi')
          OR hasil IS NULL OR perilaku IS NULL
            THEN NULL
        WHEN hasil = 'di_atas_ekspektasi' AND perilaku = 'di_atas_ekspektasi' THEN 'sangat_baik'
        WHEN hasil = 'di_bawah_ekspektasi' AND perilaku = 'di_bawah_ekspektasi'
            THEN 'sangat_kurang'
        WHEN hasil = 'di_bawah_ekspektasi' THEN 'butuh_perbaikan'
        WHEN perilaku = 'di_bawah_ekspektasi' THEN 'kurang'
        ELSE 'baik'
    END;
