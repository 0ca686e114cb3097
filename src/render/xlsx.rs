//! Excel workbooks (rust_xlsxwriter): the report (figures, courts, data quality, about), the
//! `cases` listing and the `pending` ledger. Numbers are stored as numbers at full precision and
//! only displayed rounded (days `0.00`, shares `0.0%`); the workbook's creation time is fixed, so
//! the same input and options give the same bytes.

use std::path::Path;

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use crate::error::{Error, Result, computing};
use crate::measure::compute::{Computed, IndicatorResult, Status};
use crate::measure::groups::GroupKey;
use crate::measure::indicators::Indicator;
use crate::measure::targets::{Comparison, Target};
use crate::model::calendar::format_day;
use crate::model::fields::Field;
use crate::render::columns::{COMPARISON_COLUMNS, FIGURE_COLUMNS, indicator_headers_xlsx};
use crate::render::labels::{
    Lang, all_label, days_kind, generated_by, key_header, scope_rule_id, scope_sentence,
    status_word,
};
use crate::render::report::Report;

/// Width of a column of numbers, in characters.
const NUMBER_WIDTH: f64 = 12.0;
/// Width of a column of names (indicator, court), in characters.
const NAME_WIDTH: f64 = 30.0;

/// The cell formats of a workbook, made once.
pub(crate) struct Formats {
    header: Format,
    days: Format,
    share: Format,
    count: Format,
    met: Format,
    missed: Format,
    neutral: Format,
}

impl Formats {
    pub(crate) fn new() -> Formats {
        let fill = |background: u32, font: u32| {
            Format::new()
                .set_background_color(Color::RGB(background))
                .set_font_color(Color::RGB(font))
        };
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDDEBF7)),
            days: Format::new().set_num_format("0.00"),
            share: Format::new().set_num_format("0.0%"),
            count: Format::new().set_num_format("0"),
            met: fill(0xC6EFCE, 0x006100),
            missed: fill(0xFFC7CE, 0x9C0006),
            neutral: fill(0xE7E6E6, 0x404040),
        }
    }

    /// The display format of a figure of `indicator`: days or a share.
    fn figure(&self, indicator: &Indicator) -> &Format {
        if indicator.measure.is_days() {
            &self.days
        } else {
            &self.share
        }
    }

    /// The fill of a status cell: green met, red missed, grey otherwise.
    fn status(&self, status: Status) -> &Format {
        match status {
            Status::Met => &self.met,
            Status::Missed => &self.missed,
            Status::NoData | Status::NoTarget => &self.neutral,
        }
    }
}

/// A new workbook whose creation time is fixed (2000-01-01), so that its bytes depend on its
/// content alone.
pub(crate) fn new_workbook() -> Result<Workbook> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx)?;
    let properties = DocProperties::new()
        .set_creation_datetime(&created)
        .set_comment(generated_by());
    workbook.set_properties(&properties);
    Ok(workbook)
}

/// rust_xlsxwriter fails only on values we control (sheet names, cell positions within limits):
/// a bug, reported as such.
pub(crate) fn xlsx(error: rust_xlsxwriter::XlsxError) -> Error {
    computing("the workbook", error)
}

/// The workbook's bytes.
pub(crate) fn workbook_bytes(mut workbook: Workbook) -> Result<Vec<u8>> {
    workbook.save_to_buffer().map_err(xlsx)
}

/// A sheet named `name` with a header row in bold, frozen, with an autofilter over `rows` data
/// rows, and the column widths given.
pub(crate) fn sheet_with_header<'w>(
    workbook: &'w mut Workbook,
    name: &str,
    header: &[String],
    widths: &[f64],
    formats: &Formats,
) -> Result<&'w mut Worksheet> {
    let sheet = workbook.add_worksheet().set_name(name).map_err(xlsx)?;
    for (column, text) in header.iter().enumerate() {
        sheet
            .write_string_with_format(0, col(column), text, &formats.header)
            .map_err(xlsx)?;
    }
    for (column, width) in widths.iter().enumerate() {
        sheet.set_column_width(col(column), *width).map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    Ok(sheet)
}

/// The autofilter over the header and `rows` data rows of `columns` columns.
pub(crate) fn filter(sheet: &mut Worksheet, rows: usize, columns: usize) -> Result<()> {
    if columns == 0 {
        return Ok(());
    }
    sheet
        .autofilter(0, 0, row(rows), col(columns - 1))
        .map_err(xlsx)?;
    Ok(())
}

/// A column index as rust_xlsxwriter counts it (tables here have a few dozen columns).
pub(crate) fn col(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

/// A row index as rust_xlsxwriter counts it (callers check `SHEET_ROWS` first).
pub(crate) fn row(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Write `value` as a number in `format`, or leave the cell empty when there is none.
fn write_optional(
    sheet: &mut Worksheet,
    at: (u32, u16),
    value: Option<f64>,
    format: &Format,
) -> Result<()> {
    if let Some(value) = value {
        sheet
            .write_number_with_format(at.0, at.1, value, format)
            .map_err(xlsx)?;
    }
    Ok(())
}

/// The target as a number whose display names its direction: `≤ 50.00`, `≥ 90.0%`.
fn target_format(target: Target, indicator: &Indicator) -> Format {
    let sign = match target.op {
        Comparison::AtMost => "≤",
        Comparison::AtLeast => "≥",
    };
    let number = if indicator.measure.is_days() {
        "0.00"
    } else {
        "0.0%"
    };
    Format::new().set_num_format(format!("\"{sign} \"{number}"))
}

/// The header of a sheet of figures: indicator columns, the keys, then the figure columns.
fn figures_header(keys: &[GroupKey], comparison: bool, lang: Lang) -> Vec<String> {
    let mut header: Vec<String> = indicator_headers_xlsx(lang).map(str::to_string).to_vec();
    header.extend(keys.iter().map(|key| key_header(*key, lang)));
    header.extend(FIGURE_COLUMNS.iter().map(|c| c.header(lang).to_string()));
    if comparison {
        header.extend(
            COMPARISON_COLUMNS
                .iter()
                .map(|c| c.header(lang).to_string()),
        );
    }
    header
}

/// The widths of a sheet of figures' columns.
fn figures_widths(keys: usize, comparison: bool) -> Vec<f64> {
    let mut widths = vec![28.0, 24.0, NAME_WIDTH];
    widths.extend(std::iter::repeat_n(NAME_WIDTH, keys));
    widths.extend([NUMBER_WIDTH; 7]);
    widths.push(14.0);
    if comparison {
        widths.extend([NUMBER_WIDTH; 2]);
    }
    widths
}

/// One row of figures: the indicator, the group labels, the numbers, target and status.
fn write_figure_row(
    sheet: &mut Worksheet,
    at: u32,
    result: &IndicatorResult,
    groups: &[String],
    formats: &Formats,
    lang: Lang,
) -> Result<u16> {
    let indicator = result.indicator;
    let names = [indicator.id, indicator.chinese, indicator.english];
    let mut column = 0u16;
    for text in names
        .iter()
        .copied()
        .chain(groups.iter().map(String::as_str))
    {
        sheet.write_string(at, column, text).map_err(xlsx)?;
        column += 1;
    }
    sheet
        .write_number_with_format(at, column, result.cases as f64, &formats.count)
        .map_err(xlsx)?;
    let figure = formats.figure(indicator);
    for (offset, value) in [result.mean, result.median, result.p90, result.max]
        .into_iter()
        .enumerate()
    {
        write_optional(sheet, (at, column + 1 + col(offset)), value, figure)?;
    }
    let share = result.within_target_share;
    write_optional(sheet, (at, column + 5), share, &formats.share)?;
    if let Some(target) = result.target {
        let format = target_format(target, indicator);
        sheet
            .write_number_with_format(at, column + 6, target.value, &format)
            .map_err(xlsx)?;
    }
    let status = formats.status(result.status);
    sheet
        .write_string_with_format(at, column + 7, status_word(result.status, lang), status)
        .map_err(xlsx)?;
    Ok(column + 8)
}

/// The labels of a result's groups; `(all)` (`(全部)` with `--lang zh`) for the overall row of a
/// broken-down report.
fn group_labels(result: &IndicatorResult, keys: &[GroupKey], lang: Lang) -> Vec<String> {
    if result.group.is_empty() {
        return keys.iter().map(|_| all_label(lang).to_string()).collect();
    }
    result.group.iter().map(|(_, l)| l.clone()).collect()
}

/// Sheet 指标 Figures: one row per indicator and group.
fn figures_sheet(
    workbook: &mut Workbook,
    report: &Report,
    formats: &Formats,
    lang: Lang,
) -> Result<()> {
    let comparison = report.comparison;
    let header = figures_header(report.by, comparison.is_some(), lang);
    let widths = figures_widths(report.by.len(), comparison.is_some());
    let sheet = sheet_with_header(workbook, "指标 Figures", &header, &widths, formats)?;
    let results = &report.computed.results;
    for (index, result) in results.iter().enumerate() {
        let at = row(index + 1);
        let groups = group_labels(result, report.by, lang);
        let next = write_figure_row(sheet, at, result, &groups, formats, lang)?;
        if let Some(comparison) = comparison {
            let earlier = comparison.earlier_of(result).and_then(|e| e.mean);
            let figure = formats.figure(result.indicator);
            write_optional(sheet, (at, next), earlier, figure)?;
            write_optional(sheet, (at, next + 1), comparison.change(result), figure)?;
        }
    }
    filter(sheet, results.len(), header.len())
}

/// Sheet 法院 Courts: one row per court and indicator, as on the HTML page.
fn courts_sheet(
    workbook: &mut Workbook,
    courts: &Computed,
    formats: &Formats,
    lang: Lang,
) -> Result<()> {
    let keys = [GroupKey::Court];
    let header = figures_header(&keys, false, lang);
    let widths = figures_widths(1, false);
    let sheet = sheet_with_header(workbook, "法院 Courts", &header, &widths, formats)?;
    let rows: Vec<&IndicatorResult> = courts
        .results
        .iter()
        .filter(|r| !r.group.is_empty())
        .collect();
    for (index, result) in rows.iter().enumerate() {
        let groups = group_labels(result, &keys, lang);
        write_figure_row(sheet, row(index + 1), result, &groups, formats, lang)?;
    }
    filter(sheet, rows.len(), header.len())
}

/// Write `rows` of (label, count) from `at` on; returns the next free row.
fn write_counts(
    sheet: &mut Worksheet,
    at: u32,
    rows: &[(String, u64)],
    formats: &Formats,
) -> Result<u32> {
    for (offset, (label, count)) in rows.iter().enumerate() {
        let at = at + row(offset);
        sheet.write_string(at, 0, label).map_err(xlsx)?;
        sheet
            .write_number_with_format(at, 1, *count as f64, &formats.count)
            .map_err(xlsx)?;
    }
    Ok(at + row(rows.len()))
}

/// A bold sub-heading row of cells from `at`.
fn write_heading(sheet: &mut Worksheet, at: u32, cells: &[&str], formats: &Formats) -> Result<()> {
    for (column, text) in cells.iter().enumerate() {
        sheet
            .write_string_with_format(at, col(column), *text, &formats.header)
            .map_err(xlsx)?;
    }
    Ok(())
}

/// Sheet 数据质量 Data quality: the rows read and what became of them, the cases left out of
/// each indicator per reason, and missing and invalid values per field.
fn quality_sheet(workbook: &mut Workbook, report: &Report, formats: &Formats) -> Result<()> {
    let header = ["项目 item".to_string(), "数量 count".to_string()];
    let widths = [44.0, 34.0, NUMBER_WIDTH, NUMBER_WIDTH];
    let sheet = sheet_with_header(workbook, "数据质量 Data quality", &header, &widths, formats)?;
    let quality = report.quality;
    let counts = [
        ("读取 rows read", quality.rows_read),
        ("使用 rows used", quality.rows_used()),
        ("重复 duplicates", quality.duplicates),
        ("案号冲突 conflicting case numbers", quality.conflicting),
        ("无案号 rejected (no case number)", quality.rejected),
    ]
    .map(|(label, count)| (label.to_string(), count));
    let mut at = write_counts(sheet, 1, &counts, formats)? + 1;
    let scope = format!("范围 scope: {}", scope_sentence(report.register));
    sheet.write_string(at, 0, scope).map_err(xlsx)?;
    at += 2;
    let heading = ["指标 indicator", "原因 reason", "案件 cases"];
    write_heading(sheet, at, &heading, formats)?;
    at += 1;
    for exclusions in &report.computed.exclusions {
        for (reason, count) in &exclusions.counts {
            sheet
                .write_string(at, 0, exclusions.indicator.id)
                .map_err(xlsx)?;
            let reason = reason.id(exclusions.indicator);
            sheet.write_string(at, 1, reason).map_err(xlsx)?;
            sheet
                .write_number_with_format(at, 2, *count as f64, &formats.count)
                .map_err(xlsx)?;
            at += 1;
        }
    }
    fields_block(sheet, at + 1, report, formats)
}

/// Missing and invalid values per field, from row `at` on.
fn fields_block(sheet: &mut Worksheet, at: u32, report: &Report, formats: &Formats) -> Result<()> {
    let heading = ["字段 field", "列 column", "缺失 missing", "无效 invalid"];
    write_heading(sheet, at, &heading, formats)?;
    for (offset, field) in Field::ALL.into_iter().enumerate() {
        let at = at + 1 + row(offset);
        let counts = report.quality.field(field);
        let column = report.register.columns_of(field).unwrap_or_default();
        sheet.write_string(at, 0, field.id()).map_err(xlsx)?;
        sheet.write_string(at, 1, column).map_err(xlsx)?;
        for (offset, count) in [counts.missing, counts.invalid].into_iter().enumerate() {
            sheet
                .write_number_with_format(at, 2 + col(offset), count as f64, &formats.count)
                .map_err(xlsx)?;
        }
    }
    Ok(())
}

/// The run's settings as (name, value) pairs for sheet 说明 About.
fn about_pairs(report: &Report, targets_file: Option<&Path>) -> Vec<(&'static str, String)> {
    let by: Vec<&str> = report.by.iter().map(|k| k.id()).collect();
    let targets = targets_file.map_or_else(
        || "2021 plan (built in)".to_string(),
        |path| path.display().to_string(),
    );
    let day = |day: Option<_>| day.map(format_day).unwrap_or_default();
    let mut pairs = vec![
        ("生成 generated by", generated_by()),
        ("期间 period", report.period.label.clone()),
        ("起 from", day(report.period.from)),
        ("止 to", day(report.period.to)),
        (
            "范围规则 scope rule",
            scope_rule_id(report.register).to_string(),
        ),
        ("范围 scope", scope_sentence(report.register)),
        ("天数 days", days_kind(report.gross).to_string()),
        ("分组 --by", by.join(",")),
        ("目标 targets", targets),
    ];
    if let Some(comparison) = report.comparison {
        let earlier = &comparison.earlier.period;
        let text = format!("{} ({})", earlier.label, comparison.compare.id());
        pairs.push(("对比 compared with", text));
    }
    pairs
}

/// Sheet 说明 About: what an auditor needs to reproduce the figures.
fn about_sheet(
    workbook: &mut Workbook,
    report: &Report,
    targets_file: Option<&Path>,
    formats: &Formats,
) -> Result<()> {
    let header = ["项目 item".to_string(), "值 value".to_string()];
    let widths = [34.0, 60.0, NUMBER_WIDTH, 16.0, 66.0];
    let sheet = sheet_with_header(workbook, "说明 About", &header, &widths, formats)?;
    let pairs = about_pairs(report, targets_file);
    for (offset, (name, value)) in pairs.iter().enumerate() {
        sheet
            .write_string(row(offset + 1), 0, *name)
            .map_err(xlsx)?;
        sheet
            .write_string(row(offset + 1), 1, value)
            .map_err(xlsx)?;
    }
    let mut at = row(pairs.len() + 2);
    let heading = [
        "输入 input",
        "文件 file",
        "行 rows",
        "编码 encoding",
        "sha256",
    ];
    write_heading(sheet, at, &heading, formats)?;
    for (index, source) in report.register.sources.iter().enumerate() {
        at += 1;
        let number = (index + 1) as f64;
        sheet.write_number(at, 0, number).map_err(xlsx)?;
        sheet.write_string(at, 1, &source.name).map_err(xlsx)?;
        sheet
            .write_number_with_format(at, 2, source.rows as f64, &formats.count)
            .map_err(xlsx)?;
        sheet
            .write_string(at, 3, source.encoding.id())
            .map_err(xlsx)?;
        sheet.write_string(at, 4, &source.sha256).map_err(xlsx)?;
    }
    Ok(())
}

/// The report as a workbook: 指标 Figures, 法院 Courts (when there is a per-court table),
/// 数据质量 Data quality and 说明 About.
pub(crate) fn report_workbook(
    report: &Report,
    by_court: Option<&Computed>,
    targets_file: Option<&Path>,
    lang: Lang,
) -> Result<Vec<u8>> {
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    figures_sheet(&mut workbook, report, &formats, lang)?;
    let courts = match report.by {
        [GroupKey::Court] => Some(report.computed),
        _ => by_court,
    };
    if let Some(courts) = courts {
        courts_sheet(&mut workbook, courts, &formats, lang)?;
    }
    quality_sheet(&mut workbook, report, &formats)?;
    about_sheet(&mut workbook, report, targets_file, &formats)?;
    workbook_bytes(workbook)
}

/// Rows a worksheet holds, header included (Excel's limit).
pub(crate) const SHEET_ROWS: usize = 1_048_576;

/// A sheet of text rows under `header`; the cells of the columns `numeric` names that read as
/// numbers are stored as numbers (shortest round-trip text, so the same value), others as text.
fn listing_sheet(
    workbook: &mut Workbook,
    name: &str,
    header: &[String],
    rows: impl Iterator<Item = Vec<String>>,
    numeric: &[&str],
    formats: &Formats,
) -> Result<()> {
    let widths: Vec<f64> = header
        .iter()
        .map(|h| (h.len() as f64 + 4.0).max(14.0))
        .collect();
    let sheet = sheet_with_header(workbook, name, header, &widths, formats)?;
    let numbers: Vec<bool> = header
        .iter()
        .map(|h| numeric.contains(&h.as_str()))
        .collect();
    let mut written = 0;
    for (index, cells) in rows.enumerate() {
        let at = row(index + 1);
        for (column, cell) in cells.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(value) if numbers[column] && value.is_finite() => {
                    sheet.write_number(at, col(column), value).map_err(xlsx)?
                }
                _ if cell.is_empty() => sheet,
                _ => sheet.write_string(at, col(column), cell).map_err(xlsx)?,
            };
        }
        written = index + 1;
    }
    filter(sheet, written, header.len())
}

/// `cases` listed under a header row must fit in a sheet; beyond, an error naming `path` that
/// suggests CSV.
fn fits_in_a_sheet(cases: usize, path: Option<&Path>) -> Result<()> {
    if cases < SHEET_ROWS {
        return Ok(());
    }
    Err(Error::Output {
        path: path.unwrap_or(Path::new("<stdout>")).to_path_buf(),
        message: format!(
            "{cases} cases listed: more than an Excel sheet holds (1,048,576 rows with the header); use --format csv"
        ),
    })
}

/// The `cases` listing as a workbook of one sheet 案件 Cases; more cases than an Excel sheet
/// holds is an error naming `path` that suggests CSV.
pub(crate) fn cases_workbook(
    register: &crate::model::cases::Register,
    indicator: &Indicator,
    lines: &[crate::measure::listing::CaseLine],
    excluded: bool,
    path: Option<&Path>,
) -> Result<Vec<u8>> {
    fits_in_a_sheet(lines.len(), path)?;
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let header = crate::render::cases::header(indicator, excluded);
    let rows = lines.iter().map(|line| {
        let mut cells = Vec::new();
        crate::render::cases::fill_cells(register, indicator, line, excluded, &mut cells);
        cells
    });
    let numeric = ["deducted_days", "days", "line"];
    listing_sheet(
        &mut workbook,
        "案件 Cases",
        &header,
        rows,
        &numeric,
        &formats,
    )?;
    workbook_bytes(workbook)
}

/// The `pending` report as a workbook: sheet 台账 Ledger (one row per listed case) and sheet
/// 账龄 Age profile (the open caseload per age band, the counts and the disposition time).
pub(crate) fn pending_workbook(report: &crate::render::pending::PendingReport) -> Result<Vec<u8>> {
    use crate::render::columns::LEDGER_COLUMNS;
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let header: Vec<String> = LEDGER_COLUMNS.iter().map(|c| c.to_string()).collect();
    let rows = report.ledger.lines.iter().map(|line| report.cells(line));
    let numeric = [
        "line",
        "age_days",
        "limit_months",
        "deducted_days",
        "limit_days",
        "days_over_limit",
    ];
    listing_sheet(
        &mut workbook,
        "台账 Ledger",
        &header,
        rows,
        &numeric,
        &formats,
    )?;
    age_sheet(&mut workbook, report, &formats)?;
    workbook_bytes(workbook)
}

/// Sheet 账龄 Age profile of the `pending` workbook.
fn age_sheet(
    workbook: &mut Workbook,
    report: &crate::render::pending::PendingReport,
    formats: &Formats,
) -> Result<()> {
    let ledger = report.ledger;
    let header = ["账龄 age (days)".to_string(), "案件 cases".to_string()];
    let widths = [48.0, NUMBER_WIDTH];
    let sheet = sheet_with_header(workbook, "账龄 Age profile", &header, &widths, formats)?;
    let profile = &ledger.profile;
    let bands = [
        ("0-90", profile.days_0_90),
        ("91-180", profile.days_91_180),
        ("181-365", profile.days_181_365),
        ("over 365", profile.over_365),
        ("open 未结", profile.total()),
    ]
    .map(|(label, count)| (label.to_string(), count));
    let at = write_counts(sheet, 1, &bands, formats)? + 1;
    let d = &ledger.disposition;
    let counts = [
        ("listed 列入台账", ledger.lines.len() as u64),
        ("pending on the as-of date 未结", d.pending),
        ("closed in the year before 结案", d.closed),
    ]
    .map(|(label, count)| (label.to_string(), count));
    let at = write_counts(sheet, at, &counts, formats)?;
    sheet
        .write_string(at, 0, "disposition time (CEPEJ), days 结案周期")
        .map_err(xlsx)?;
    write_optional(sheet, (at, 1), d.days, &formats.days)?;
    let as_of = format!("as of 截至 {}", format_day(ledger.as_of));
    sheet.write_string(at + 2, 0, as_of).map_err(xlsx)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_beyond_excels_rows_is_an_error_suggesting_csv() {
        assert!(fits_in_a_sheet(SHEET_ROWS - 1, None).is_ok());
        let error = fits_in_a_sheet(SHEET_ROWS, Some(Path::new("all.xlsx"))).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot write all.xlsx: 1048576 cases listed: more than an Excel sheet holds (1,048,576 rows with the header); use --format csv"
        );
    }
}
