#!/usr/bin/env python3
"""Speed and memory of casemetrics against DuckDB on generated exports, with an equal-work check.

Usage:
    scripts/bench.py [ROWS ...] [--runs 3] [--skip-build] [--binary PATH]
    scripts/bench.py --check FILE ...        # figures only: casemetrics vs DuckDB, no timing
    scripts/bench.py --show-sql FILE         # the DuckDB script used for FILE

For each size (default 1,000,000 and 10,000,000 cases) the script writes a UTF-8 and a GB18030
export with the sample generator (into bench-data/, kept out of git; existing files are reused)
and runs, round-robin, `--runs` times each:

- `wc -l FILE` (the floor: reading the bytes once),
- the plain job: DuckDB loading the export (`SELECT DISTINCT *`) and computing the five overall
  means with the spec's filters (no group-by, no quantiles: what an analyst would write instead
  of casemetrics), against `casemetrics report FILE --format json`,
- the grouped job: DuckDB computing the five indicators per court and month, with medians and
  90th percentiles, as one SQL script reimplementing every reading rule, against
  `casemetrics report FILE --by court,month --format json`
  (each DuckDB run is a fresh Python process, so its peak memory is measured like the others),
- `casemetrics validate FILE` and
  `casemetrics cases FILE --indicator filing_review_days --format csv -o …`,
- `casemetrics report … --by court,month` on the GB18030 export (and DuckDB on it, when DuckDB
  can read GB18030: that needs its `encodings` extension; otherwise it is skipped, and said so).

Wall time is measured around the process; CPU time (user + system) and peak memory (maximum
resident set size) come from GNU time (`/usr/bin/time -f '%e %M %U %S'`). Medians are printed as a
Markdown table, with the ratios the performance targets name. CPU time is the steadier figure when
other processes share the machine (the load average is printed). Before timing anything further, the first run of each size checks that DuckDB and
casemetrics computed the same figures: for the plain job the five overall cases and means; for
the grouped job every indicator, every court x month group and the overall row (cases, mean,
median, p90, max, within-target share; 1e-6 relative), the exclusion counts per reason and the
rows read and used. Any difference stops the script with exit status 1 and lists
the groups that differ.

The SQL reimplements casemetrics' rules (docs/indicators.md, "Readings we chose"), not its code: the reading
of dates, deductions, case numbers, procedures, court levels and scope; duplicates; the appeal
look-up; the exclusion reasons in their order. It covers exports with one header row on line 1-10,
the default date range and targets, and no config file.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROWS = [1_000_000, 10_000_000]
SEED = 7
# The listing compared with `report`: filing review has the largest case set (every first
# instance, second instance and first enforcement case).
CASES_INDICATOR = "filing_review_days"
REL_TOL = 1e-6

# ----------------------------------------------------------------------------------- duckdb ----


def import_duckdb():
    """The duckdb module, installed with pip first if it is missing."""
    try:
        return importlib.import_module("duckdb")
    except ImportError:
        pass
    print("bench: installing the duckdb Python package (pip install --quiet duckdb)", file=sys.stderr)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "duckdb"]
    if subprocess.run(command).returncode != 0:
        subprocess.run(command + ["--user"], check=True)
        import site

        site.addsitedir(site.getusersitepackages())
    importlib.invalidate_caches()
    return importlib.import_module("duckdb")


# --------------------------------------------------------------------------- export header ----

# Header names of each field (docs/input-and-profiles.md, "Input"), matched ignoring ASCII case and surrounding spaces.
FIELD_NAMES = {
    "case_no": ["案号", "AH"],
    "court": ["经办法院", "承办法院", "法院", "法院名称", "FYMC"],
    "cause": ["案由", "LAAY", "LAAYMC", "SAAY"],
    "procedure": ["审判程序", "案件类型", "SPCX"],
    "business": ["涉营商环境", "绿标签"],
    "received_at": ["收到材料日期", "收到诉状日期", "收到起诉材料日期", "SDSZRQ", "SDCLRQ"],
    "filed_at": ["立案日期", "收案日期", "LARQ"],
    "closed_at": ["结案日期", "JARQ"],
    "closing_method": ["结案方式", "JAFS"],
    "deducted_days": ["扣除审限天数", "KCSXTS"],
    "appeal_received_at": ["上诉状收到日期", "收到上诉状日期", "上诉日期"],
    "original_case_no": ["原审案号", "一审案号"],
    "department": ["承办部门", "承办庭", "CBBM"],
    "judge": ["承办人", "承办法官", "CBR"],
}
DATE_FIELDS = ["received_at", "filed_at", "closed_at", "appeal_received_at"]


# The code points Rust's char::is_whitespace accepts (U+3000 among them): what casemetrics trims off
# a cell or a header.
SPACES = [9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]


def normalize_header(text: str) -> str:
    """A header as casemetrics matches it: spaces and a BOM trimmed, ASCII letters lowercased."""
    trimmed = text.strip("".join(map(chr, SPACES)) + "\ufeff")
    return "".join(c.lower() if c.isascii() else c for c in trimmed)


ALIASES = {normalize_header(name): field for field, names in FIELD_NAMES.items() for name in names + [field]}


def detect_delimiter(line: str) -> str:
    """The delimiter splitting the header line most often (outside quotes): comma, tab or semicolon."""
    counts = {",": 0, "\t": 0, ";": 0}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(reversed(counts), key=lambda d: counts[d])  # ties: the last listed, as Rust's max_by_key
    return best if counts[best] else ","


def read_layout(path: Path, encoding: str) -> dict:
    """Header line, delimiter and the column of each field, as casemetrics finds them."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    codec = "gb18030" if encoding == "gb18030" else "utf-8-sig"
    text = head.decode(codec, errors="ignore")
    lines = text.split("\n")[:10]
    for number, line in enumerate(lines, start=1):
        delimiter = detect_delimiter(line)
        cells = next(csv.reader(io.StringIO(line.rstrip("\r")), delimiter=delimiter), [])
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            field = ALIASES.get(normalize_header(cell))
            if field and field not in columns:  # the first column found for a field is used
                columns[field] = index
        if "case_no" in columns and any(f in columns for f in DATE_FIELDS):
            return {"header_line": number, "delimiter": delimiter, "width": len(cells), "columns": columns,
                    "headers": cells}
    raise SystemExit(f"bench: {path}: no header row naming a case number and a date in the first 10 lines")


# ------------------------------------------------------------------------------ the SQL ----

# SPACES as an RE2 class: ASCII controls \t..\r, U+0085, and the Unicode separators (Zs, Zl, Zp).
WHITESPACE = r"[\t-\r\x{85}\pZ]"
CJK = r"\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{F900}-\x{FAFF}\x{20000}-\x{323AF}"


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_sql(path: Path, encoding: str) -> str:
    """One DuckDB script computing the five indicators per court and month, and overall."""
    layout = read_layout(path, encoding)
    columns = layout["columns"]
    names = [f"c{i}" for i in range(layout["width"])]

    def raw(field: str) -> str:
        return f"c{columns[field]}" if field in columns else "NULL"

    read_options = [
        f"header = true, skip = {layout['header_line'] - 1}",
        f"delim = {sql_string(layout['delimiter'])}, quote = '\"', escape = '\"'",
        "auto_detect = false, strict_mode = true",
        "columns = {" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}",
    ]
    if encoding == "gb18030":
        read_options.append("encoding = 'gb18030'")
    source = f"read_csv({sql_string(str(path))}, {', '.join(read_options)})"
    # Every column, unknown ones included, as casemetrics compares rows for duplicates.
    row_hash = "hash(" + ", ".join(f"coalesce({n}, '')" for n in names) + ")"
    if "business" in columns:
        # Scope: with a business flag column, 是/Y/yes/true/1 is in scope, anything else out.
        in_scope = f"business_flag({raw('business')})"
    else:
        # No flag column and no config: every case is in scope.
        in_scope = "true"
    if "procedure" in columns:
        # An explicit procedure column wins when its value is recognised; else the case number's.
        procedure = "coalesce(procedure_of_label(procedure_text), number_procedure)"
    else:
        procedure = "number_procedure"
    ws = WHITESPACE

    return f"""
-- casemetrics' five timeliness indicators (spec item 16) per court and month, and overall.
-- Rules: docs/indicators.md, "The indicators" and "Readings we chose where the spec is silent".

-- A cell as casemetrics reads it: '' when absent, surrounding (also full-width) spaces trimmed.
CREATE OR REPLACE MACRO trimmed(s) AS CASE
    WHEN s IS NULL THEN ''
    WHEN regexp_matches(s, '^{ws}|{ws}$') THEN regexp_replace(s, '^{ws}+|{ws}+$', '', 'g')
    ELSE s END;
-- A cell that is empty once trimmed (a missing value).
CREATE OR REPLACE MACRO blank(s) AS s IS NULL OR regexp_full_match(s, '{ws}*');

-- A date cell: 2021-03-05, 2021/3/5, 2021.3.5 (one separator throughout), 20210305 or
-- 2021年3月5日, optionally followed by H:MM, HH:MM or HH:MM:SS (fractional seconds ignored),
-- separated by spaces (optional after 日); surrounding spaces are not part of it. Groups the
-- regex leaves empty read as ''.
CREATE OR REPLACE MACRO date_parts(s) AS regexp_extract(s,
    '^{ws}*(\\d{{4}})(?:([-/.])(\\d{{1,2}})([-/.])(\\d{{1,2}})|(\\d{{2}})(\\d{{2}})|年(\\d{{1,2}})月(\\d{{1,2}})日)'
    || '(?:([ \\t\\x{{3000}}]*)(\\d{{1,2}}):(\\d{{2}})(?::(\\d{{2}})(?:\\.\\d+)?)?)?{ws}*$',
    ['y', 'sep1', 'm_sep', 'sep2', 'd_sep', 'm_compact', 'd_compact', 'm_cn', 'd_cn',
     'space', 'hh', 'mi', 'ss']);
-- The numbers of a date cell's parts (NULL where absent), and whether its form is right: one
-- separator throughout, and a space before the time (optional after 日).
CREATE OR REPLACE MACRO date_numbers(p) AS {{
    form_ok: p.y <> '' AND p.sep1 = p.sep2 AND (p.hh = '' OR p.space <> '' OR p.m_cn <> ''),
    y: TRY_CAST(p.y AS INTEGER),
    m: TRY_CAST(p.m_sep || p.m_compact || p.m_cn AS INTEGER),
    d: TRY_CAST(p.d_sep || p.d_compact || p.d_cn AS INTEGER),
    hh: TRY_CAST(p.hh AS INTEGER), mi: TRY_CAST(p.mi AS INTEGER),
    ss: coalesce(TRY_CAST(p.ss AS INTEGER), 0)}};
CREATE OR REPLACE MACRO days_in_month(y, m) AS CASE
    WHEN m IN (1, 3, 5, 7, 8, 10, 12) THEN 31
    WHEN m IN (4, 6, 9, 11) THEN 30
    WHEN m = 2 AND ((y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0) THEN 29
    WHEN m = 2 THEN 28
    ELSE 0 END;
-- A real day and time within the plausible range 1950-01-01 .. 2099-12-31 (impossible dates
-- such as 2021-02-30 and times such as 24:00 are invalid).
CREATE OR REPLACE MACRO date_ok(n) AS
    n.form_ok
    AND n.y BETWEEN 1950 AND 2099
    AND n.m BETWEEN 1 AND 12
    AND n.d BETWEEN 1 AND days_in_month(n.y, n.m)
    AND (n.hh IS NULL OR (n.hh <= 23 AND n.mi <= 59 AND n.ss <= 59));
-- State of a value: 0 read, 1 missing (empty cell), 2 invalid.
CREATE OR REPLACE MACRO date_state(s, ok) AS
    CAST(CASE WHEN ok THEN 0 WHEN blank(s) THEN 1 ELSE 2 END AS UTINYINT);
CREATE OR REPLACE MACRO date_day(n, ok) AS CASE WHEN ok THEN make_date(n.y, n.m, n.d) END;
CREATE OR REPLACE MACRO date_seconds(n, ok) AS CASE WHEN ok THEN n.hh * 3600 + n.mi * 60 + n.ss END;

-- 扣除审限天数: a whole number >= 0 ("12.0" reads as 12; "12.5", "-3", "十" are invalid); NULL
-- when it is not one.
CREATE OR REPLACE MACRO deduction(s) AS
    TRY_CAST(regexp_extract(s, '^{ws}*(\\d+)(?:\\.0*)?{ws}*$', 1) AS INTEGER);

-- The business flag (涉营商环境): 是/Y/yes/true/1, ASCII case ignored.
CREATE OR REPLACE MACRO business_flag(s) AS
    regexp_full_match(s, '{ws}*(是|[yY]|[yY][eE][sS]|[tT][rR][uU][eE]|1){ws}*');

-- The form case numbers are compared in: the cell trimmed, full-width and other brackets made (),
-- ASCII and full-width spaces removed.
CREATE OR REPLACE MACRO canonical_case_no(s) AS
    translate(regexp_replace(coalesce(s, ''), '^{ws}+|{ws}+$|[\\t\\n\\f\\r \\x{{3000}}]', '', 'g'),
              '（〔[）〕]', '((()))');
-- (2021)豫0302民初1234号, (2015)豫03民终字第747号, …号之一: year, province (or 最高法),
-- 0/2/4-digit court code, type code, serial.
CREATE OR REPLACE MACRO case_no_parts(s) AS regexp_extract(s,
    '^\\((\\d{{4}})\\)(最高法|[{CJK}])(\\d*)([{CJK}]+)(\\d+)号(?:之[0-9一二三四五六七八九十百]+)?$',
    ['year', 'province', 'court_code', 'type_text', 'serial']);
CREATE OR REPLACE MACRO type_code(p) AS
    CASE WHEN suffix(p.type_text, '字第') THEN left(p.type_text, length(p.type_text) - 2) ELSE p.type_text END;
CREATE OR REPLACE MACRO case_no_ok(s, p) AS
    p.year <> ''
    -- a number starting 最高法 is the Supreme People's Court's, with no court digits
    AND (p.province = '最高法' OR substr(s, 7, 3) <> '最高法')
    AND (CASE WHEN p.province = '最高法' THEN length(p.court_code) = 0 ELSE length(p.court_code) IN (0, 2, 4) END)
    AND type_code(p) <> ''
    -- an old-style (字第) number without court digits does not tell the level
    AND NOT (suffix(p.type_text, '字第') AND p.province <> '最高法' AND length(p.court_code) = 0)
    AND TRY_CAST(p.serial AS HUGEINT) <= 4294967295;
CREATE OR REPLACE MACRO procedure_of_type_code(code) AS CASE
    WHEN code IN ('民初', '知民初') THEN 'first_instance'
    WHEN code IN ('民终', '知民终') THEN 'second_instance'
    WHEN code = '执' THEN 'first_enforcement'
    WHEN code = '执恢' THEN 'resumed_enforcement'
    WHEN code IN ('执保', '执异', '执复', '执监') THEN 'other_enforcement'
    WHEN code IN ('破', '破申') THEN 'bankruptcy' END;
-- A procedure column's value: an id, a Chinese label or a type code; NULL when not recognised.
CREATE OR REPLACE MACRO procedure_of_label(s) AS CASE
    WHEN lower(s) IN ('first_instance', 'second_instance', 'first_enforcement', 'resumed_enforcement',
                      'other_enforcement', 'bankruptcy', 'other') THEN lower(s)
    WHEN s IN ('一审', '第一审', '民事一审', '一审普通', '简易程序', '普通程序', '小额诉讼') THEN 'first_instance'
    WHEN s IN ('二审', '第二审', '民事二审', '上诉') THEN 'second_instance'
    WHEN s IN ('首次执行', '首执', '执行实施', '执行') THEN 'first_enforcement'
    WHEN s = '恢复执行' THEN 'resumed_enforcement'
    WHEN s IN ('执行异议', '执行复议', '执行监督', '财产保全', '执行保全', '其他执行') THEN 'other_enforcement'
    WHEN s IN ('破产', '破产清算', '破产申请', '强制清算') THEN 'bankruptcy'
    WHEN s = '其他' THEN 'other'
    ELSE procedure_of_type_code(s) END;
-- Court level from the court's name, when the case number does not tell it.
CREATE OR REPLACE MACRO level_of_court_name(name) AS CASE
    WHEN suffix(name, '高级人民法院') OR suffix(name, '最高人民法院') THEN 'high'
    WHEN suffix(name, '中级人民法院') OR suffix(name, '中级法院') OR suffix(name, '海事法院')
         OR suffix(name, '知识产权法院') OR suffix(name, '金融法院') THEN 'intermediate'
    WHEN suffix(name, '人民法院') OR suffix(name, '铁路运输法院') OR suffix(name, '互联网法院') THEN 'basic' END;

WITH
-- Every data row of the export (read in parallel, so in no particular order), with the parts of
-- its case number and dates as the regexes split them, and a hash of the whole row as written
-- (every column) to tell identical rows from conflicting ones.
parsed AS (
    SELECT {row_hash} AS row_hash,
        canonical_case_no({raw('case_no')}) AS case_key,
        case_no_parts(case_key) AS number,
        case_no_ok(case_key, number) AS number_ok,
        -- the type code gives the procedure when there is no (recognised) procedure column
        coalesce(CASE WHEN number_ok THEN procedure_of_type_code(type_code(number)) END, 'other')
            AS number_procedure,
        trimmed({raw('court')}) AS court,
        {in_scope} AS in_scope,
        trimmed({raw('procedure')}) AS procedure_text,
        {raw('received_at')} AS received_text, date_numbers(date_parts(received_text)) AS received,
        {raw('filed_at')} AS filed_text, date_numbers(date_parts(filed_text)) AS filed,
        {raw('closed_at')} AS closed_text, date_numbers(date_parts(closed_text)) AS closed,
        {raw('appeal_received_at')} AS appeal_text, date_numbers(date_parts(appeal_text)) AS appeal,
        {raw('deducted_days')} AS deducted_text, deduction(deducted_text) AS deducted,
        {raw('original_case_no')} AS original_text
    FROM {source}
),
-- Each row's typed values: procedure, court level, dates (day, time, state), deduction.
typed AS (
    SELECT row_hash, case_key, court, in_scope,
        {procedure} AS procedure,
        -- the case number's court code tells the level; when it cannot be read, the court's name
        coalesce(CASE WHEN number_ok THEN CASE length(number.court_code)
                      WHEN 0 THEN 'high' WHEN 2 THEN 'intermediate' ELSE 'basic' END END,
                 level_of_court_name(court)) AS court_level,
        date_state(received_text, received_ok) AS received_state,
        date_day(received, received_ok) AS received_day,
        date_seconds(received, received_ok) AS received_sec,
        date_state(filed_text, filed_ok) AS filed_state,
        date_day(filed, filed_ok) AS filed_day,
        date_seconds(filed, filed_ok) AS filed_sec,
        date_state(closed_text, closed_ok) AS closed_state,
        date_day(closed, closed_ok) AS closed_day,
        date_state(appeal_text, appeal_ok) AS own_appeal_state,
        date_day(appeal, appeal_ok) AS own_appeal_day,
        -- a missing deduction is 0; an unreadable one is never read as 0
        CAST(CASE WHEN deducted IS NOT NULL THEN 0 WHEN blank(deducted_text) THEN 1 ELSE 2 END AS UTINYINT)
            AS deducted_state,
        coalesce(deducted, 0) AS deducted,
        nullif(canonical_case_no(original_text), '') AS original_key
    FROM (SELECT *, date_ok(received) AS received_ok, date_ok(filed) AS filed_ok,
                    date_ok(closed) AS closed_ok, date_ok(appeal) AS appeal_ok
          FROM parsed)
),
-- Rows with the same case number and the same hash are identical: they count once.
-- Materialized once: every indicator and the appeal look-up read it.
versions AS MATERIALIZED (
    SELECT *, count(*) OVER (PARTITION BY case_key, row_hash) AS copies
    FROM typed
    QUALIFY row_number() OVER (PARTITION BY case_key, row_hash) = 1
),
-- Case numbers whose rows differ (conflicting rows): only the first row in the file is used.
conflicting AS (
    SELECT case_key FROM versions WHERE case_key <> '' GROUP BY case_key HAVING count(*) > 1
),
-- For those case numbers only, the first row's hash, from a second, sequential reading of the
-- export (numbering rows in file order is single-threaded in DuckDB, so the main reading does
-- not do it). With no conflicting rows, DuckDB skips this reading.
first_rows AS (
    SELECT case_key, arg_min(row_hash, row_order) AS first_hash
    FROM (SELECT row_number() OVER () AS row_order, canonical_case_no({raw('case_no')}) AS case_key,
                 {row_hash} AS row_hash
          FROM {source})
    WHERE case_key IN (SELECT case_key FROM conflicting)
    GROUP BY case_key
),
-- The cases: one row per case number. A row with no case number is rejected.
cases AS (
    SELECT v.* FROM versions AS v LEFT JOIN first_rows AS f USING (case_key)
    WHERE v.case_key <> '' AND (f.first_hash IS NULL OR v.row_hash = f.first_hash)
),
-- 立案审查: materials received -> registered, first instance, second instance and first enforcement
-- at every level, by registration date; hours / 24 when both dates carry a time (in seconds here).
filing_review AS (
    SELECT 'filing_review_days' AS indicator, court, filed_day AS period_day,
        CASE WHEN filed_state = 1 THEN 'missing_filed_at'
             WHEN filed_state = 2 THEN 'invalid_filed_at'
             WHEN received_state = 1 THEN 'missing_received_at'
             WHEN received_state = 2 THEN 'invalid_received_at'
             WHEN elapsed < 0 THEN 'end_before_start' END AS reason,
        elapsed AS value
    FROM (SELECT *, (filed_day - received_day) * 86400
                    + CASE WHEN filed_sec IS NOT NULL AND received_sec IS NOT NULL
                           THEN filed_sec - received_sec ELSE 0 END AS elapsed
          FROM cases
          WHERE in_scope AND procedure IN ('first_instance', 'second_instance', 'first_enforcement'))
),
-- Registered -> closed, net of deducted days, by closing date: first instance at basic courts
-- (a first-instance case whose level is unknown is left out, not counted), second instance,
-- first enforcement.
trials AS (
    SELECT indicator, court, closed_day AS period_day,
        CASE WHEN procedure = 'first_instance' AND court_level IS NULL THEN 'unknown_court_level'
             WHEN closed_state = 1 THEN 'not_closed'
             WHEN closed_state = 2 THEN 'invalid_closed_at'
             WHEN filed_state = 1 THEN 'missing_filed_at'
             WHEN filed_state = 2 THEN 'invalid_filed_at'
             WHEN deducted_state = 2 THEN 'invalid_deducted_days'
             WHEN closed_day - filed_day < 0 THEN 'end_before_start'
             WHEN closed_day - filed_day - deducted < 0 THEN 'deduction_exceeds_duration' END AS reason,
        closed_day - filed_day - deducted AS value
    FROM (SELECT *, CASE procedure WHEN 'first_instance' THEN 'first_instance_days'
                                   WHEN 'second_instance' THEN 'second_instance_days'
                                   ELSE 'first_enforcement_days' END AS indicator
          FROM cases
          WHERE in_scope
            AND ((procedure = 'first_instance' AND coalesce(court_level, 'basic') = 'basic')
                 OR procedure IN ('second_instance', 'first_enforcement')))
),
-- 上诉移转: the first-instance court receives the appeal -> second-instance registration, by
-- registration date. The appeal row's own receipt date wins (an unreadable one is not replaced:
-- it excludes the case); otherwise the date on the first-instance row its 原审案号 names, in or
-- out of scope.
appeal_transfer AS (
    SELECT 'appeal_transfer_days' AS indicator, appeal.court, appeal.filed_day AS period_day,
        CASE WHEN appeal.filed_state = 1 THEN 'missing_filed_at'
             WHEN appeal.filed_state = 2 THEN 'invalid_filed_at'
             WHEN appeal.own_appeal_state = 2 THEN 'invalid_appeal_received_at'
             WHEN appeal.own_appeal_state = 0 THEN
                  CASE WHEN appeal.filed_day - appeal.own_appeal_day < 0 THEN 'end_before_start' END
             WHEN first.own_appeal_state = 2 THEN 'invalid_appeal_received_at'
             WHEN first.own_appeal_state = 0 THEN
                  CASE WHEN appeal.filed_day - first.own_appeal_day < 0 THEN 'end_before_start' END
             ELSE 'no_appeal_date' END AS reason,
        appeal.filed_day - CASE WHEN appeal.own_appeal_state = 0 THEN appeal.own_appeal_day
                                ELSE first.own_appeal_day END AS value
    FROM cases AS appeal
    -- only rows that carry an appeal date (or an unreadable one) can supply it
    LEFT JOIN (SELECT case_key, own_appeal_state, own_appeal_day FROM cases WHERE own_appeal_state <> 1) AS first
           ON first.case_key = appeal.original_key
    WHERE appeal.in_scope AND appeal.procedure = 'second_instance'
),
measured AS (
    SELECT * FROM filing_review
    UNION ALL SELECT * FROM trials
    UNION ALL SELECT * FROM appeal_transfer
),
-- The plan's targets, and the unit values are measured in (filing review: seconds).
targets(indicator, target, unit) AS (
    VALUES ('filing_review_days', 1, 86400), ('first_instance_days', 50, 1),
           ('appeal_transfer_days', 30, 1), ('second_instance_days', 45, 1),
           ('first_enforcement_days', 70, 1)
),
-- Counted cases per indicator: overall, and per court and month of the period date.
figures AS (
    SELECT indicator, court, month, count(*) AS cases,
        CAST(sum(value) AS DOUBLE) AS total,
        quantile_cont(value, 0.5) AS median,
        quantile_cont(value, 0.9) AS p90,
        max(value) AS max,
        count(*) FILTER (WHERE value <= target * unit) AS within
    FROM (SELECT m.indicator, CASE WHEN m.court = '' THEN '(blank)' ELSE m.court END AS court,
                 strftime(m.period_day, '%Y-%m') AS month, m.value, t.target, t.unit
          FROM measured AS m JOIN targets AS t USING (indicator)
          WHERE m.reason IS NULL)
    GROUP BY GROUPING SETS ((indicator), (indicator, court, month))
)
SELECT 'figure' AS kind, indicator, court, month, cases,
       total / cases / unit AS mean, median / unit AS median, p90 / unit AS p90, max / unit AS max,
       within / cases AS within_target_share, NULL AS reason
FROM figures JOIN targets USING (indicator)
UNION ALL
-- Cases of each indicator's set left out, per reason (the report's quality section).
SELECT 'excluded', indicator, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL, reason
FROM measured WHERE reason IS NOT NULL GROUP BY indicator, reason
UNION ALL
-- Rows read and used (the report's "rows" section).
SELECT 'rows', NULL, NULL, NULL, sum(copies), NULL, NULL, NULL, NULL, NULL, 'read' FROM versions
UNION ALL
SELECT 'rows', NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL, 'used' FROM cases;
"""


def duckdb_figures(path: Path, encoding: str, memory_limit: str | None = None) -> dict:
    """Run the script in this process; figures keyed like `report_figures` gives them."""
    duckdb = import_duckdb()
    with tempfile.TemporaryDirectory(prefix="casemetrics-duckdb-") as spill:
        connection = duckdb.connect()
        connection.execute("SET enable_progress_bar = false")
        # Where DuckDB spills when it runs short of memory (not .tmp/ in the repository).
        connection.execute(f"SET temp_directory = {sql_string(spill)}")
        if memory_limit:
            connection.execute(f"SET memory_limit = {sql_string(memory_limit)}")
        if encoding == "gb18030":
            connection.execute("LOAD encodings")
        # Several statements (macros, then the query); the result is the last one's.
        rows = connection.execute(duckdb_sql(path, encoding)).fetchall()
        connection.close()
    return figures_from_duckdb_rows(rows)


def figures_from_duckdb_rows(rows) -> dict:
    figures, excluded, counts = {}, {}, {}
    for kind, indicator, court, month, cases, mean, median, p90, maximum, within, reason in rows:
        if kind == "figure":
            figures[group_id(indicator, court, month)] = {
                "cases": cases, "mean": mean, "median": median, "p90": p90, "max": maximum,
                "within_target_share": within,
            }
        elif kind == "excluded":
            excluded.setdefault(indicator, {})[reason] = cases
        else:
            counts[reason] = cases
    return {"figures": figures, "excluded": excluded, "rows": counts}


def duckdb_can_read_gb18030() -> tuple[bool, str]:
    """Whether DuckDB's encodings extension (which reads GB18030) loads here, and why not."""
    duckdb = import_duckdb()
    connection = duckdb.connect()
    try:
        connection.execute("LOAD encodings")
        return True, ""
    except Exception:  # noqa: BLE001 - any failure means: not installed yet
        pass
    try:
        connection.execute("INSTALL encodings")
        connection.execute("LOAD encodings")
        return True, ""
    except Exception as error:  # noqa: BLE001
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return False, first


# ------------------------------------------------------------------------- the plain job ----

# The date forms the generated exports use; DuckDB's own cast reads YYYY-MM-DD[ hh:mm[:ss]].
OTHER_DATE_FORMATS = [f"{day}{time}" for day in ("%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日")
                      for time in (" %H:%M:%S", " %H:%M", "")]


def duckdb_plain_sql(path: Path, encoding: str) -> tuple[str, str]:
    """The job an analyst would write in DuckDB instead of casemetrics: the export loaded once
    with identical rows dropped (`SELECT DISTINCT *`), then the five overall means with the spec's
    filters, no group-by and no quantiles. It is written for the generated exports (one header
    line, 是/否 flags, the procedure column's Chinese labels), not for every export casemetrics
    reads; the figures are checked equal to casemetrics' before any timing. Two statements: the
    load, then the query."""
    layout = read_layout(path, encoding)
    if layout["header_line"] != 1:
        raise SystemExit(f"bench: {path}: the plain DuckDB job expects the header on line 1")
    def col(field: str) -> str:
        if field not in layout["columns"]:
            raise SystemExit(f"bench: {path}: the plain DuckDB job needs a {field} column")
        return '"' + layout["headers"][layout["columns"][field]].replace('"', '""') + '"'

    options = f"all_varchar = true, header = true, delim = {sql_string(layout['delimiter'])}"
    if encoding == "gb18030":
        options += ", encoding = 'gb18030'"
    load = f"CREATE TABLE export AS SELECT DISTINCT * FROM read_csv({sql_string(str(path))}, {options})"
    formats = ", ".join(sql_string(f) for f in OTHER_DATE_FORMATS)
    query = f"""
CREATE MACRO moment(s) AS coalesce(TRY_CAST(s AS TIMESTAMP), try_strptime(s, [{formats}]));
WITH c AS (
    SELECT {col('procedure')} AS procedure, {col('business')} = '是' AS in_scope,
        -- a first-instance case counts at a basic court: four digits after the province
        regexp_matches({col('case_no')}, '^[(（]\\d{{4}}[)）]\\D\\d{{4}}\\D') AS basic_court,
        moment({col('received_at')}) AS received, contains({col('received_at')}, ':') AS received_timed,
        moment({col('filed_at')}) AS filed, contains({col('filed_at')}, ':') AS filed_timed,
        moment({col('closed_at')})::DATE AS closed,
        coalesce(TRY_CAST({col('deducted_days')} AS INTEGER), 0) AS deducted,
        moment({col('appeal_received_at')})::DATE AS appeal_received,
        replace(replace({col('case_no')}, '（', '('), '）', ')') AS case_no,
        replace(replace({col('original_case_no')}, '（', '('), '）', ')') AS original_case_no
    FROM export
), s AS (SELECT * FROM c WHERE in_scope)
SELECT 'filing_review_days', count(*), avg(CASE WHEN received_timed AND filed_timed
        THEN epoch(filed - received) / 86400 ELSE date_diff('day', received::DATE, filed::DATE) END)
FROM s WHERE procedure IN ('一审', '二审', '首次执行') AND received IS NOT NULL AND filed IS NOT NULL
UNION ALL
SELECT 'first_instance_days', count(*), avg(date_diff('day', filed::DATE, closed) - deducted)
FROM s WHERE procedure = '一审' AND basic_court AND closed IS NOT NULL
UNION ALL
-- the appeal row's own receipt date, else the one on the first-instance row it names
SELECT 'appeal_transfer_days', count(*),
    avg(date_diff('day', coalesce(a.appeal_received, f.appeal_received), a.filed::DATE))
FROM s AS a LEFT JOIN (SELECT case_no, appeal_received FROM c WHERE appeal_received IS NOT NULL) AS f
    ON f.case_no = a.original_case_no
WHERE a.procedure = '二审' AND coalesce(a.appeal_received, f.appeal_received) IS NOT NULL
UNION ALL
SELECT 'second_instance_days', count(*), avg(date_diff('day', filed::DATE, closed) - deducted)
FROM s WHERE procedure = '二审' AND closed IS NOT NULL
UNION ALL
SELECT 'first_enforcement_days', count(*), avg(date_diff('day', filed::DATE, closed) - deducted)
FROM s WHERE procedure = '首次执行' AND closed IS NOT NULL;
"""
    return load, query


def duckdb_plain_figures(path: Path, encoding: str) -> dict:
    """Run the plain job in this process: {indicator: {"cases": n, "mean": m}}."""
    duckdb = import_duckdb()
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    connection.execute(f"SET threads = {os.cpu_count() or 1}")
    if encoding == "gb18030":
        connection.execute("LOAD encodings")
    load, query = duckdb_plain_sql(path, encoding)
    connection.execute(load)
    rows = connection.execute(query).fetchall()
    connection.close()
    return {indicator: {"cases": cases, "mean": mean} for indicator, cases, mean in rows}


def check_plain_equal(label: str, ours_path: Path, theirs: dict) -> None:
    """The five overall figures of `report --format json` against the plain DuckDB job's; exits 1
    on any difference."""
    report = json.loads(ours_path.read_text(encoding="utf-8"))
    ours = {r["indicator"]: r for r in report["results"] if r["indicator"] in FIVE and not r["group"]}
    problems = []
    for indicator in FIVE:
        a, b = ours.get(indicator), theirs.get(indicator)
        if a is None or b is None or a["cases"] != b["cases"] or not close(a["mean"], b["mean"]):
            problems.append(f"{indicator}: casemetrics {a and (a['cases'], a['mean'])}, "
                            f"DuckDB {b and (b['cases'], b['mean'])}")
    if problems:
        print(f"\nEQUAL-WORK CHECK FAILED ({label}, plain job):", file=sys.stderr)
        for line in problems:
            print("  " + line, file=sys.stderr)
        sys.exit(1)
    print(f"equal work ({label}, plain job): the five overall figures (cases and mean) agree", file=sys.stderr)


# ------------------------------------------------------------------------------ comparing ----


def group_id(indicator: str, court: str | None, month: str | None) -> str:
    if court is None and month is None:
        return f"{indicator} (overall)"
    return f"{indicator} | {court} | {month}"


FIVE = (
    "filing_review_days",
    "first_instance_days",
    "appeal_transfer_days",
    "second_instance_days",
    "first_enforcement_days",
)


def report_figures(path: Path) -> dict:
    """The figures of a `casemetrics report --by court,month --format json` output."""
    report = json.loads(path.read_text(encoding="utf-8"))
    if report.get("by") != ["court", "month"]:
        raise SystemExit(f"bench: {path}: expected a report --by court,month, got by={report.get('by')}")
    figures = {}
    # The race is on the five item-16 figures; the further plan figures are casemetrics' own.
    for result in (r for r in report["results"] if r["indicator"] in FIVE):
        group = result["group"]
        key = group_id(result["indicator"], group.get("court"), group.get("month"))
        figures[key] = {name: result[name] for name in ("cases", "mean", "median", "p90", "max", "within_target_share")}
    excluded = {q["indicator"]: dict(q["excluded"]) for q in report.get("quality", []) if q["indicator"] in FIVE}
    return {"figures": figures, "excluded": excluded, "rows": {"read": report["rows"]["read"], "used": report["rows"]["used"]}}


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=1e-9)


def compare(ours: dict, theirs: dict) -> list[str]:
    """Differences between casemetrics' figures (ours) and DuckDB's (theirs), one line each."""
    problems = []
    for name in ("read", "used"):
        if ours["rows"].get(name) != theirs["rows"].get(name):
            problems.append(f"rows {name}: casemetrics {ours['rows'].get(name)}, DuckDB {theirs['rows'].get(name)}")
    # A group with no counted case is not a report row; DuckDB only has groups with cases either.
    ours_f = {k: v for k, v in ours["figures"].items() if v["cases"]}
    theirs_f = {k: v for k, v in theirs["figures"].items() if v["cases"]}
    for key in sorted(set(ours_f) | set(theirs_f)):
        a, b = ours_f.get(key), theirs_f.get(key)
        if a is None or b is None:
            problems.append(f"{key}: only in {'DuckDB' if a is None else 'casemetrics'} "
                            f"({(a or b)['cases']} cases)")
            continue
        wrong = [f"{name} {a[name]!r} vs {b[name]!r}" for name in a if name != "cases" and not close(a[name], b[name])]
        if a["cases"] != b["cases"]:
            wrong.insert(0, f"cases {a['cases']} vs {b['cases']}")
        if wrong:
            problems.append(f"{key}: " + "; ".join(wrong) + "  (casemetrics vs DuckDB)")
    for indicator in sorted(set(ours["excluded"]) | set(theirs["excluded"])):
        a = {k: v for k, v in ours["excluded"].get(indicator, {}).items() if v}
        b = theirs["excluded"].get(indicator, {})
        if a != b:
            problems.append(f"{indicator} excluded: casemetrics {a}, DuckDB {b}")
    return problems


def check_equal(label: str, ours_path: Path, theirs: dict) -> int:
    """Compare and print; the number of groups compared. Exits 1 on any difference."""
    ours = report_figures(ours_path)
    problems = compare(ours, theirs)
    if problems:
        print(f"\nEQUAL-WORK CHECK FAILED ({label}): {len(problems)} difference(s) between casemetrics and DuckDB:",
              file=sys.stderr)
        for line in problems[:200]:
            print("  " + line, file=sys.stderr)
        if len(problems) > 200:
            print(f"  … and {len(problems) - 200} more", file=sys.stderr)
        sys.exit(1)
    compared = sum(1 for v in ours["figures"].values() if v["cases"])
    print(f"equal work ({label}): {compared} figures (5 indicators x court x month, and overall) "
          f"and the exclusion counts agree", file=sys.stderr)
    return compared


# ------------------------------------------------------------------------------ measuring ----


def run_measured(command: list[str], stdout_path: Path | None, workdir: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds (user + system) of one run; exits with its
    stderr if it fails."""
    time_file = workdir / "time.txt"
    full = ["/usr/bin/time", "-f", "%e %M %U %S", "-o", str(time_file), *command]
    with open(stdout_path or os.devnull, "wb") as out:
        start = time.perf_counter()
        done = subprocess.run(full, stdout=out, stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise SystemExit(f"bench: failed (exit {done.returncode}): {' '.join(command)}")
    fields = time_file.read_text().strip().splitlines()[-1].split()
    return wall, int(fields[1]), float(fields[2]) + float(fields[3])


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1048576:.1f} GiB RAM"
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {memory}, {platform.system()} {platform.release()}"


def fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def target_dir() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", "target"))
    return target if target.is_absolute() else ROOT / target


def build(args, need_generator: bool) -> Path:
    """The casemetrics binary, built (with the generator when exports are missing) unless
    --skip-build; --binary names an existing one instead."""
    binary = Path(args.binary) if args.binary else target_dir() / "release" / "casemetrics"
    command = ["cargo", "build", "--release"]
    if not args.binary:
        command += ["--bin", "casemetrics"]
    if need_generator:
        command += ["--example", "gen_sample"]
    if not args.skip_build and len(command) > 3:
        print("bench: " + " ".join(command), file=sys.stderr)
        subprocess.run(command, cwd=ROOT, check=True, stdout=sys.stderr)
    if not binary.is_file():
        raise SystemExit(f"bench: no casemetrics binary at {binary} (build it, or pass --binary)")
    return binary


def export_path(data_dir: Path, rows: int, encoding: str) -> Path:
    suffix = "" if encoding == "utf-8" else f"-{encoding}"
    return data_dir / f"export-{rows}{suffix}.csv"


def export_file(data_dir: Path, rows: int, encoding: str) -> Path:
    """bench-data/export-N.csv (or export-N-gb18030.csv), generated once and then reused."""
    path = export_path(data_dir, rows, encoding)
    if path.exists():
        return path
    generator = target_dir() / "release" / "examples" / "gen_sample"
    if not generator.is_file():
        raise SystemExit(f"bench: {path} is missing and there is no generator at {generator}")
    data_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    print(f"bench: writing {path} ({rows:,} cases, {encoding})", file=sys.stderr)
    subprocess.run([str(generator), "--rows", str(rows), "--seed", str(SEED), "--encoding", encoding,
                    "--output", str(partial)], check=True)
    partial.rename(path)
    return path


def warm(path: Path) -> None:
    """Read a file once so that every command finds it in the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


REPORT = "report --by court,month"
DUCKDB = "DuckDB SQL"
# The plain job: the five overall figures alone (`report FILE --format json` against DuckDB).
PLAIN = "report"
DUCKDB_PLAIN = "DuckDB plain SQL"


def benchmark(args) -> None:
    if not Path("/usr/bin/time").exists():
        raise SystemExit("bench: /usr/bin/time (GNU time) is needed for peak memory")
    data_dir = args.data_dir
    missing = any(not export_path(data_dir, n, e).exists() for n in args.rows for e in ("utf-8", "gb18030"))
    binary = build(args, need_generator=missing)
    duckdb = import_duckdb()
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
    gb_ok, gb_why = duckdb_can_read_gb18030()
    me = [sys.executable, str(Path(__file__).resolve())]
    cases = f"cases --indicator {args.cases_indicator}"
    limit = [args.duckdb_memory_limit] if args.duckdb_memory_limit else []
    results: dict[tuple[int, str], dict] = {}
    checked: list[str] = []
    notes = []
    if not gb_ok:
        notes.append("DuckDB is not run on the GB18030 exports: its `encodings` extension (which reads GB18030) "
                     f"could not be loaded or installed here ({gb_why}). The GB18030 report's figures are "
                     "checked against DuckDB's on the UTF-8 export, which holds the same cases.")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="casemetrics-bench-") as tmp:
        work = Path(tmp)
        # What a DuckDB run costs before it reads anything: the interpreter, `import duckdb`, a connection.
        floor = [run_measured([*me, "_duckdb_floor"], None, work)[:2] for _ in range(args.runs)]
        for rows in args.rows:
            utf8 = export_file(data_dir, rows, "utf-8")
            gb = export_file(data_dir, rows, "gb18030")
            warm(utf8)
            warm(gb)

            def out(name: str) -> Path:
                return work / f"{rows}-{name}.out"

            commands = [
                ("wc -l", ["wc", "-l", str(utf8)], None, utf8),
                (DUCKDB, [*me, "_duckdb", str(utf8), "utf-8", str(out("duckdb")), *limit], None, utf8),
                (DUCKDB_PLAIN, [*me, "_duckdb_plain", str(utf8), "utf-8", str(out("duckdb-plain"))], None, utf8),
                (REPORT, [str(binary), "report", str(utf8), "--by", "court,month", "--format", "json"],
                 out("report-by"), utf8),
                (PLAIN, [str(binary), "report", str(utf8), "--format", "json"], out("report"), utf8),
                ("validate", [str(binary), "validate", str(utf8)], None, utf8),
                (cases, [str(binary), "cases", str(utf8), "--indicator", args.cases_indicator, "--format", "csv",
                         "-o", str(work / "cases.csv")], None, utf8),
                (REPORT + " (GB18030)", [str(binary), "report", str(gb), "--by", "court,month", "--format", "json"],
                 out("report-by-gb"), gb),
            ]
            if gb_ok:
                commands.append((DUCKDB + " (GB18030)",
                                 [*me, "_duckdb", str(gb), "gb18030", str(out("duckdb-gb")), *limit], None, gb))
            for run in range(args.runs):
                for name, command, stdout_path, path in commands:
                    wall, kib, cpu = run_measured(command, stdout_path, work)
                    entry = results.setdefault((rows, name), {"file": path, "wall": [], "kib": [], "cpu": []})
                    entry["wall"].append(wall)
                    entry["kib"].append(kib)
                    entry["cpu"].append(cpu)
                    print(f"  {rows:>12,} run {run + 1}/{args.runs}  {name:<45} {wall:8.2f} s {kib / 1024:9.1f} MiB"
                          f" {cpu:8.2f} s CPU", file=sys.stderr)
                if run == 0:
                    # Equal work, before spending more time: the same figures, group by group.
                    theirs = json.loads(out("duckdb").read_text(encoding="utf-8"))
                    n = check_equal(f"{rows:,} cases, UTF-8", out("report-by"), theirs)
                    check_plain_equal(f"{rows:,} cases, UTF-8", out("report"),
                                      json.loads(out("duckdb-plain").read_text(encoding="utf-8")))
                    check_equal(f"{rows:,} cases, GB18030 report vs DuckDB on the UTF-8 export", out("report-by-gb"),
                                theirs)
                    if gb_ok:
                        theirs_gb = json.loads(out("duckdb-gb").read_text(encoding="utf-8"))
                        check_equal(f"{rows:,} cases, GB18030", out("report-by-gb"), theirs_gb)
                    listed = sum(1 for _ in open(work / "cases.csv", encoding="utf-8")) - 1
                    counted = report_figures(out("report-by"))["figures"][group_id(args.cases_indicator, None, None)]
                    if listed != counted["cases"]:
                        raise SystemExit(f"bench: `{cases}` listed {listed} cases, the report counted "
                                         f"{counted['cases']}")
                    checked.append(f"{rows:,} cases: {n} figures")
    load_after = os.getloadavg()[0]
    if load_before > 0.5:
        notes.append(f"Warning: the load average was {load_before:.1f} before the benchmark started (other "
                     "processes were running), so the times are likely noisy.")
    notes.append(f"Load average (1 min): {load_before:.1f} before, {load_after:.1f} after "
                 "(the benchmark itself loads up to all cores).")
    floor_s = statistics.median(w for w, _ in floor)
    floor_mib = statistics.median(k for _, k in floor) / 1024
    notes.append(f"A DuckDB run includes starting `python3`, `import duckdb` and connecting: "
                 f"{floor_s:.2f} s and {floor_mib:,.0f} MiB before reading anything.")
    notes.append("Equal work checked (cases, mean, median, p90, max, within-target share of every indicator x "
                 "court x month and overall; exclusions per reason; rows read and used): "
                 + "; ".join(checked) + ", all equal.")
    print_results(args, results, version, duckdb.__version__, notes)


def print_results(args, results, version, duckdb_version, notes) -> None:
    median = {key: (statistics.median(v["wall"]), statistics.median(v["kib"]) / 1024, statistics.median(v["cpu"]))
              for key, v in results.items()}
    print(f"\nMachine: {machine()}")
    print(f"Versions: {version}; DuckDB {duckdb_version} (Python {platform.python_version()}, "
          f"{os.cpu_count()} threads, memory_limit {args.duckdb_memory_limit or 'default (80% of RAM)'}). Medians of {args.runs} run(s): seconds are wall time, CPU s user + system "
          "time, peak memory GNU time's maximum resident set size.")
    for note in notes:
        print(note)
    print()
    print("| rows | file | command | seconds | CPU s | rows/s | peak MiB | bytes/case | time ÷ DuckDB | memory ÷ DuckDB |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for (rows, name), entry in results.items():
        wall, mib, cpu = median[(rows, name)]
        if name.startswith("DuckDB"):
            shown, ratio_t, ratio_m = name, "—", "—"
        else:
            base = duckdb_base(median, rows, name)
            shown, ratio_t, ratio_m = f"`{name}`", f"{wall / base[0]:.2f}", f"{mib / base[1]:.2f}"
        size = entry["file"].stat().st_size / 1048576
        print(f"| {fmt_int(rows)} | {fmt_int(size)} MiB | {shown} | {wall:.2f} | {cpu:.2f} | {fmt_int(rows / wall)} | "
              f"{mib:,.0f} | {mib * 1048576 / rows:,.0f} | {ratio_t} | {ratio_m} |")
    print(f"\n\"time ÷ DuckDB\": `{PLAIN}` (the five overall figures) is compared with the plain DuckDB job, every "
          f"other command with DuckDB computing the figures per court and month ({DUCKDB}).")

    print(f"\nTargets (medians; the plain job is `{PLAIN}`, the grouped job `{REPORT}`):\n")
    print("| ratio | rows | measured | target | |")
    print("|---|---:|---:|---:|---|")

    def line(label, rows, value, limit):
        print(f"| {label} | {fmt_int(rows)} | {value:.2f} | ≤ {limit:g} | {'met' if value <= limit else 'MISSED'} |")

    for rows in args.rows:
        report, plain = median[(rows, REPORT)], median[(rows, PLAIN)]
        line("plain job: casemetrics ÷ DuckDB, time", rows, plain[0] / median[(rows, DUCKDB_PLAIN)][0], 0.5)
        line("plain job: casemetrics ÷ DuckDB, peak memory", rows, plain[1] / median[(rows, DUCKDB_PLAIN)][1], 0.25)
        line("grouped job: casemetrics ÷ DuckDB, time", rows, report[0] / median[(rows, DUCKDB)][0], 0.3)
        line("grouped job: casemetrics ÷ DuckDB, peak memory", rows, report[1] / median[(rows, DUCKDB)][1], 0.25)
        line("plain job ÷ `wc -l`, time (stretch)", rows, plain[0] / median[(rows, "wc -l")][0], 15)
        line("report on GB18030 ÷ on UTF-8, time", rows, median[(rows, REPORT + " (GB18030)")][0] / report[0], 1.3)
        line("validate ÷ report, time", rows, median[(rows, "validate")][0] / report[0], 1.2)
        line("cases ÷ report, time", rows, median[(rows, f"cases --indicator {args.cases_indicator}")][0] / report[0],
             1.2)
    sizes = sorted(args.rows)
    for small, big in zip(sizes, sizes[1:]):
        scale = big / small
        line(f"report time at {fmt_int(big)} ÷ at {fmt_int(small)} rows (×{scale:g} rows)", big,
             median[(big, REPORT)][0] / median[(small, REPORT)][0], round(1.1 * scale, 6))
        # Bytes per case on top of a fixed base: the slope of peak memory between the two sizes.
        for name in (REPORT, PLAIN, "validate", f"cases --indicator {args.cases_indicator}"):
            if (big, name) in median and (small, name) in median:
                slope = (median[(big, name)][1] - median[(small, name)][1]) * 1048576 / (big - small)
                line(f"bytes per case above the base, `{name}` ({fmt_int(small)} → {fmt_int(big)} rows)", big,
                     slope, 64)


def duckdb_base(median: dict, rows: int, name: str) -> tuple[float, float, float]:
    """The DuckDB run a casemetrics command is compared with: the plain job for `report`; for the
    GB18030 report DuckDB on the same file when it could read it, else on UTF-8; else the grouped
    SQL."""
    if name == PLAIN:
        return median[(rows, DUCKDB_PLAIN)]
    if "GB18030" in name and (rows, DUCKDB + " (GB18030)") in median:
        return median[(rows, DUCKDB + " (GB18030)")]
    return median[(rows, DUCKDB)]


# ------------------------------------------------------------------------------------ main ----


def helper(argv: list[str]) -> None:
    """`bench.py _duckdb FILE ENCODING OUT [MEMORY_LIMIT]`: one measured DuckDB run, figures written to OUT."""
    path, encoding, out = Path(argv[0]), argv[1], Path(argv[2])
    limit = argv[3] if len(argv) > 3 else None
    out.write_text(json.dumps(duckdb_figures(path, encoding, limit), ensure_ascii=False), encoding="utf-8")


def check_files(args, files: list[str]) -> None:
    """--check: casemetrics report vs DuckDB on each file, once, no timing."""
    binary = build(args, need_generator=False)
    status = 0
    with tempfile.TemporaryDirectory(prefix="casemetrics-check-") as tmp:
        for name in files:
            path = Path(name).resolve()
            out = Path(tmp) / "report.json"
            with open(out, "wb") as f:
                done = subprocess.run([str(binary), "report", str(path), "--by", "court,month", "--format", "json"],
                                      stdout=f, stderr=subprocess.PIPE)
            if done.returncode != 0:
                sys.stderr.write(done.stderr.decode(errors="replace"))
                raise SystemExit(f"bench: casemetrics report failed on {path}")
            encoding = json.loads(out.read_text(encoding="utf-8"))["inputs"][0]["encoding"]
            encoding = "gb18030" if encoding == "gb18030" else "utf-8"
            if encoding == "gb18030" and not duckdb_can_read_gb18030()[0]:
                print(f"{name}: skipped, DuckDB cannot read GB18030 here (no encodings extension)")
                continue
            theirs = duckdb_figures(path, encoding)
            problems = compare(report_figures(out), theirs)
            figures = sum(1 for v in theirs["figures"].values() if v["cases"])
            if problems:
                status = 1
                print(f"{name}: {len(problems)} difference(s)")
                for line in problems:
                    print("  " + line)
            else:
                print(f"{name}: {figures} figures and the exclusion counts agree")
    sys.exit(status)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_duckdb":
        helper(sys.argv[2:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_duckdb_plain":
        path, encoding, out = Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
        out.write_text(json.dumps(duckdb_plain_figures(path, encoding), ensure_ascii=False), encoding="utf-8")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_duckdb_floor":
        import_duckdb().connect().execute("SELECT 1").fetchall()
        return
    parser = argparse.ArgumentParser(
        description="Speed and memory of casemetrics against DuckDB on generated exports (1M and 10M cases "
                    "by default), after checking that both compute the same figures.",
        epilog="Exports are written to bench-data/ by examples/gen_sample (seed 7) and reused. "
               "Exit status 1 when casemetrics and DuckDB disagree on any figure.")
    parser.add_argument("rows", nargs="*", type=int, help="export sizes in cases (default: 1000000 10000000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; medians are shown (default 3)")
    parser.add_argument("--skip-build", action="store_true", help="do not run cargo build; use the built binaries")
    parser.add_argument("--binary", metavar="PATH", help="the casemetrics binary to measure (not built then)")
    parser.add_argument("--data-dir", metavar="DIR", help="where exports are written and reused "
                        "(default: bench-data/ in the repository)")
    parser.add_argument("--cases-indicator", default=CASES_INDICATOR,
                        help=f"the indicator `cases` lists (default {CASES_INDICATOR}, the largest case set)")
    parser.add_argument("--duckdb-memory-limit", metavar="SIZE",
                        help="DuckDB's memory_limit, e.g. 500MB (default: DuckDB's, 80%% of RAM); DuckDB uses "
                             "memory it is allowed and spills to disk below it, so its peak depends on this")
    parser.add_argument("--check", nargs="+", metavar="FILE",
                        help="only compare casemetrics' and DuckDB's figures on these exports, without timing")
    parser.add_argument("--show-sql", metavar="FILE", help="print the DuckDB script for FILE and exit")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    # Paths given on the command line are relative to where the script was started.
    args.binary = str(Path(args.binary).resolve()) if args.binary else None
    args.data_dir = Path(args.data_dir).resolve() if args.data_dir else ROOT / "bench-data"
    args.show_sql = Path(args.show_sql).resolve() if args.show_sql else None
    args.check = [str(Path(f).resolve()) for f in args.check] if args.check else None
    os.chdir(ROOT)
    if args.show_sql:
        path = args.show_sql
        with open(path, "rb") as f:
            head = f.read(1 << 20)
        try:
            head.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as error:
            encoding = "utf-8" if error.start > len(head) - 4 else "gb18030"
        print(duckdb_sql(path, encoding))
        return
    if args.check:
        check_files(args, args.check)
        return
    args.rows = args.rows or DEFAULT_ROWS
    if any(n < 1 for n in args.rows):
        parser.error("ROWS must be positive")
    benchmark(args)


if __name__ == "__main__":
    main()
