//! `casemetrics report --format html`: a page to publish as is — escaped, self-contained,
//! deterministic, with the figures of five.csv (worked out by hand in figures.rs).

use super::workdir::{Workdir, stderr, stdout};

fn with_five() -> Workdir {
    Workdir::with_copy("five.csv", "tests/fixtures/five.csv")
}

/// The page `report ARGS --format html` prints, after checking it ran.
fn page(wd: &Workdir, args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "html"]);
    let output = wd.run(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

/// The text from `start` up to (and including) the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("page lacks {start}"));
    let to = text[from..].find(end).expect("end marker") + from + end.len();
    &text[from..to]
}

#[test]
fn snapshot_html() {
    let wd = with_five();
    insta::assert_snapshot!(page(&wd, &["five.csv", "--by", "court_level"]));
}

#[test]
fn html_escapes_every_value_from_the_input() {
    let wd = Workdir::new();
    let name = "o'brien & <co>.csv";
    wd.write(
        name,
        "案号,经办法院,案由,审判程序,涉营商环境,收到材料日期,立案日期,结案日期\n\
         <script>alert(1)</script>,\"A&B \"\"Court\"\" <u>\",买卖<i>合同</i>纠纷,一审,是,2021-03-01,2021-03-02,2021-04-01\n\
         (2021)豫0302民初1号,\"A&B \"\"Court\"\" <u>\",'x' & y,一审,是,2021-03-01,2021-03-01,2021-04-10\n",
    );
    let html = page(&wd, &[name, "--by", "court,cause", "--period", "2021"]);
    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt;", // the case number, in the problems listed
        "A&amp;B &quot;Court&quot; &lt;u&gt;",   // the court, in the break-down
        "买卖&lt;i&gt;合同&lt;/i&gt;纠纷",       // a cause
        "&#39;x&#39; &amp; y",                   // another
        "o&#39;brien &amp; &lt;co&gt;.csv",      // the file name
    ] {
        assert!(html.contains(escaped), "page lacks {escaped}");
    }
    for raw in ["<script", "A&B", "<u>", "<i>", "'x'", "o'brien", "<co>"] {
        assert!(!html.contains(raw), "page holds raw {raw}");
    }
}

#[test]
fn html_page_is_self_contained() {
    let wd = with_five();
    for args in [
        &["five.csv", "--by", "court"][..],
        &["five.csv", "--by", "month", "--period", "2021-Q2"][..],
        &["five.csv"][..],
    ] {
        let html = page(&wd, args);
        assert!(html.starts_with("<!DOCTYPE html>\n"));
        assert!(html.ends_with("</html>\n"));
        for reference in [
            "http://", "https://", "<link", "<script", "<img", "<iframe", "src=", "url(", "@import",
        ] {
            assert!(
                !html.contains(reference),
                "{args:?}: page holds {reference}"
            );
        }
        assert!(html.contains("<meta name=\"viewport\""));
        assert!(html.contains("<style>"));
    }
}

#[test]
fn html_shows_the_five_figures_with_targets_and_status() {
    let wd = with_five();
    let html = page(&wd, &["five.csv", "--by", "court"]);
    // the five.csv figures of figures.rs: filing 7.75 / 12, (40 + 15 + 90) / 3, (20 + 15) / 2,
    // (40 + 45) / 2, (70 + 87) / 2
    let expected = [
        (
            "filing_review_days",
            "立案审查平均时长",
            "0.65",
            "≤ 1",
            "met",
            "12",
        ),
        (
            "first_instance_days",
            "一审平均审理天数",
            "48.33",
            "≤ 50",
            "met",
            "3",
        ),
        (
            "appeal_transfer_days",
            "上诉案件平均移转天数",
            "17.50",
            "≤ 30",
            "met",
            "2",
        ),
        (
            "second_instance_days",
            "二审平均审理天数",
            "42.50",
            "≤ 45",
            "met",
            "2",
        ),
        (
            "first_enforcement_days",
            "首次执行案件平均办理天数",
            "78.50",
            "≤ 70",
            "missed",
            "2",
        ),
    ];
    let figures = between(&html, "<section id=\"figures\">", "</section>");
    let mut previous = 0;
    for (id, chinese, mean, target, status, cases) in expected {
        let start = format!("<article class=\"figure {status}\" id=\"figure-{id}\">");
        let card = between(figures, &start, "</article>");
        let at = figures.find(&start).unwrap();
        assert!(at >= previous, "{id} is out of publication order");
        previous = at;
        assert!(
            card.contains(&format!("<span class=\"zh\">{chinese}</span>")),
            "{card}"
        );
        assert!(
            card.contains(&format!("<p class=\"value\">{mean}<")),
            "{card}"
        );
        assert!(
            card.contains(&format!("目标 target {target} · {cases} 件 cases")),
            "{card}"
        );
        let label = if status == "met" {
            "✓ 达标 met"
        } else {
            "✗ 未达标 missed"
        };
        assert!(
            card.contains(&format!("<p class=\"status {status}\">{label}</p>")),
            "{card}"
        );
    }
    // the figures come first, before the charts and the tables
    assert!(html.find("<section id=\"figures\">") < html.find("<section id=\"months\">"));
    assert!(html.find("<section id=\"months\">") < html.find("<section id=\"courts\">"));
}

#[test]
fn html_has_the_per_court_table_without_a_break_down() {
    let wd = with_five();
    let html = page(&wd, &["five.csv"]);
    let courts = between(&html, "<section id=\"courts\">", "</section>");
    // first instance: 老城区 lines 2 and 3 → (40 + 15) / 2 = 27.5; 涧西区 line 4 → 90 (line 6 not closed)
    let first = between(courts, "<code>first_instance_days</code>", "</table>");
    assert!(
        first.contains(
            "<td>洛阳市老城区人民法院</td><td class=\"num\">2</td><td class=\"num\">27.50</td>"
        ),
        "{first}"
    );
    assert!(
        first.contains(
            "<td>洛阳市涧西区人民法院</td><td class=\"num\">1</td><td class=\"num\">90.00</td>"
        ),
        "{first}"
    );
    assert!(!html.contains("<section id=\"groups\">"));
}

#[test]
fn html_charts_each_month_with_cases_against_the_target() {
    let wd = with_five();
    let html = page(&wd, &["five.csv", "--by", "court"]);
    // first instance closes in March (15 days), April (40) and June (90); May has no case
    let chart = between(
        &html,
        "<figure class=\"chart\" id=\"chart-first_instance_days\">",
        "</figure>",
    );
    assert_eq!(chart.matches("<rect class=\"bar ").count(), 3, "{chart}");
    for title in [
        "<title>2021-03: 15.00 天 days, 1 件 cases, ✓ 达标 met</title>",
        "<title>2021-04: 40.00 天 days, 1 件 cases, ✓ 达标 met</title>",
        "<title>2021-06: 90.00 天 days, 1 件 cases, ✗ 未达标 missed</title>",
    ] {
        assert!(chart.contains(title), "chart lacks {title}");
    }
    assert!(!chart.contains("2021-05"));
    assert_eq!(
        chart.matches("<line class=\"target\"").count(),
        2,
        "the line and its legend"
    );
    assert!(chart.contains("目标 target ≤ 50"));
    // no case in the period: every chart says so
    let empty = page(&wd, &["five.csv", "--period", "2020"]);
    let months = between(&empty, "<section id=\"months\">", "</section>");
    assert_eq!(
        months
            .matches("本期无数据 No cases in this period.")
            .count(),
        // the five, and the six that need only registration and closing dates (half-limit share,
        // four clearance rates, bankruptcy days)
        11
    );
    assert!(!months.contains("<svg"));
}

#[test]
fn html_charts_are_the_same_whether_the_months_are_reused_or_computed() {
    let wd = with_five();
    let by_court = page(&wd, &["five.csv", "--by", "court"]);
    let by_month = page(&wd, &["five.csv", "--by", "month"]);
    let charts = |html: &str| between(html, "<section id=\"months\">", "</section>").to_string();
    assert_eq!(charts(&by_court), charts(&by_month));
}

#[test]
fn html_is_byte_identical_across_runs() {
    let wd = with_five();
    let run = |out: &str| {
        let output = wd.run(&[
            "report",
            "five.csv",
            "--by",
            "court,month",
            "--format",
            "html",
            "-o",
            out,
            "-q",
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        std::fs::read(wd.path(out)).unwrap()
    };
    let first = run("a.html");
    assert!(!first.is_empty());
    assert_eq!(first, run("b.html"));
}

#[test]
fn html_names_inputs_and_options() {
    let wd = with_five();
    wd.write("t.toml", "[first_instance_days]\nvalue = 40\n");
    let html = page(
        &wd,
        &[
            "five.csv",
            "--by",
            "court",
            "--gross",
            "--targets",
            "t.toml",
            "--period",
            "2021-Q2",
        ],
    );
    let source = between(&html, "<section id=\"source\">", "</section>");
    assert!(
        source.contains("<b>five.csv</b> · 17 行 rows · utf-8"),
        "{source}"
    );
    assert!(
        source.contains("<code class=\"hash\">2134665b9f15"),
        "{source}"
    );
    assert!(
        source.contains("<dd>2021-Q2 (2021-04-01 – 2021-06-30)</dd>"),
        "{source}"
    );
    assert!(source.contains("<dd>court</dd>"));
    assert!(source.contains("<dd>gross</dd>"));
    assert!(source.contains("<dd>t.toml</dd>"));
    assert!(source.contains(&format!(
        "<dd>casemetrics {}</dd>",
        env!("CARGO_PKG_VERSION")
    )));
    // the quality summary counts what the markdown format counts
    let quality = between(&html, "<section id=\"quality\">", "</section>");
    for count in [
        "读取 rows read <b>17</b>",
        "使用 used <b>14</b>",
        "重复 duplicates <b>1</b>",
        "案号冲突 conflicting case numbers <b>1</b>",
        "无案号 rejected (no case number) <b>1</b>",
    ] {
        assert!(quality.contains(count), "quality lacks {count}");
    }
    assert!(quality.contains("<code>deducted_days</code>"));
}

/// The June 2021 page of twelve-months.csv, whose first-instance cases close one or two a month
/// from 2020-06 to 2021-06 (none in 2020-09) and whose three appeals close in June 2021.
fn june_page(wd: &Workdir, title: &str) -> String {
    page(
        wd,
        &[
            "sub/dir/twelve-months.csv",
            "--period",
            "2021-06",
            "--title",
            title,
        ],
    )
}

#[test]
fn html_of_a_month_charts_the_twelve_months_up_to_it() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.path("sub/dir")).unwrap();
    wd.write(
        "sub/dir/twelve-months.csv",
        std::fs::read_to_string("tests/fixtures/twelve-months.csv").unwrap(),
    );
    let title = "洛阳市中级人民法院 2021年6月审判执行效率指标";
    let html = june_page(&wd, title);
    assert!(html.contains(&format!("<title>{title}</title>")));
    assert!(html.contains(&format!("<h1>{title}</h1>")));

    let chart = between(
        &html,
        "<figure class=\"chart\" id=\"chart-first_instance_days\">",
        "</figure>",
    );
    // by hand, closing month: registration → closing days (no deductions); 2020-06 (10 days) is
    // outside the twelve months, 2020-09 has no case
    let months = [
        ("2020-07", "30.00", 1, "✓ 达标 met", "met"),
        ("2020-08", "50.00", 2, "✓ 达标 met", "met"), // (40 + 60) / 2
        ("2020-10", "20.00", 1, "✓ 达标 met", "met"),
        ("2020-11", "55.00", 1, "✗ 未达标 missed", "missed"),
        ("2020-12", "45.00", 1, "✓ 达标 met", "met"),
        ("2021-01", "33.00", 1, "✓ 达标 met", "met"),
        ("2021-02", "12.00", 1, "✓ 达标 met", "met"),
        ("2021-03", "70.00", 1, "✗ 未达标 missed", "missed"),
        ("2021-04", "25.00", 1, "✓ 达标 met", "met"),
        ("2021-05", "48.00", 1, "✓ 达标 met", "met"),
    ];
    for (month, mean, cases, status, class) in months {
        let title = format!("<title>{month}: {mean} 天 days, {cases} 件 cases, {status}</title>");
        let at = chart
            .find(&title)
            .unwrap_or_else(|| panic!("chart lacks {title}"));
        let rect = &chart[chart[..at].rfind("<rect ").unwrap()..at];
        assert!(
            rect.starts_with(&format!("<rect class=\"bar {class}\" ")),
            "{rect}"
        );
        assert!(
            chart.contains(&format!(
                "<tr><td>{month}</td><td class=\"num\">{cases}</td><td class=\"num\">{mean}</td>"
            )),
            "table lacks {month}"
        );
    }
    // June, the period, highlighted: (20 + 80) / 2 = 50, met (≤ 50)
    assert_eq!(chart.matches("<rect class=\"bar ").count(), 11, "{chart}");
    assert_eq!(
        chart.matches(" current\"").count(),
        3,
        "bar, value and month label"
    );
    assert!(chart.contains(
        "<rect class=\"bar met current\" x=\"476.8\" y=\"100.8\" width=\"23.9\" height=\"101.2\">\
         <title>2021-06: 50.00 天 days, 2 件 cases, ✓ 达标 met</title>"
    ));
    assert!(chart.contains("<rect class=\"current-band\""));
    assert!(chart.contains("<title>2020-09: 无数据 no cases</title>"));
    assert!(chart.contains(
        "<tr class=\"current\"><td>2021-06 ◀ 本期 this period</td><td class=\"num\">2</td><td class=\"num\">50.00</td>"
    ));
    assert!(!chart.contains("2020-06"));
    assert!(chart.contains("<line class=\"target\" x1=\"46\" x2=\"508.0\" y1=\"100.8\""));
    let months_section = between(&html, "<section id=\"months\">", "</h2>");
    assert!(months_section.contains("近十二个月走势 The twelve months to 2021-06"));

    // the figures stay June's: the card is June's mean alone
    let card = between(&html, "id=\"figure-first_instance_days\">", "</article>");
    assert!(card.contains("<p class=\"value\">50.00<span class=\"unit\">天 days</span></p>"));
    assert!(card.contains("目标 target ≤ 50 · 2 件 cases"));

    // a share as a percentage: appeals closed in 30, 40 and 60 days, 2 of 3 within 45
    let share = between(
        &html,
        "id=\"figure-second_instance_half_limit_share\">",
        "</article>",
    );
    assert!(
        share.contains("<p class=\"value\">66.67<span class=\"unit\">%</span></p>"),
        "{share}"
    );
    let share_chart = between(
        &html,
        "<figure class=\"chart\" id=\"chart-second_instance_half_limit_share\">",
        "</figure>",
    );
    assert!(
        share_chart.contains("<text class=\"unit-label\" x=\"4\" y=\"18\">% 百分比 percent</text>")
    );
    assert!(share_chart.contains("<title>2021-06: 66.67%, 3 件 cases, · 无目标 no target</title>"));
    assert!(share_chart.contains(">66.7%</text>"));
    assert!(
        !share_chart.contains("天"),
        "a share chart in days: {share_chart}"
    );
}

#[test]
fn html_has_a_per_court_chart_with_the_missed_bars_marked() {
    let wd = Workdir::with_copy("twelve-months.csv", "tests/fixtures/twelve-months.csv");
    let html = page(&wd, &["twelve-months.csv", "--period", "2021-06"]);
    let chart = between(
        &html,
        "<figure class=\"chart\" id=\"courts-first_instance_days\">",
        "</figure>",
    );
    // June: 涧西区 80 days (missed), 老城区 20 (met); the target line at 50 on an axis to 100
    for bar in [
        "<rect class=\"bar missed\" x=\"4\" y=\"55.0\" width=\"348.8\" height=\"14\">\
         <title>洛阳市涧西区人民法院: 80.00 天 days, 1 件 cases, ✗ 未达标 missed</title></rect>",
        "<text class=\"value-label missed\" x=\"356.8\" y=\"67.0\">80.00 ✗</text>",
        "<rect class=\"bar met\" x=\"4\" y=\"99.0\" width=\"87.2\" height=\"14\">\
         <title>洛阳市老城区人民法院: 20.00 天 days, 1 件 cases, ✓ 达标 met</title></rect>",
        "<text class=\"value-label met\" x=\"95.2\" y=\"111.0\">20.00 ✓</text>",
        "<line class=\"target\" x1=\"222.0\" x2=\"222.0\"",
    ] {
        assert!(chart.contains(bar), "chart lacks {bar}\n{chart}");
    }
    assert_eq!(chart.matches("<rect class=\"bar ").count(), 2);
}

#[test]
fn html_names_no_directory_option_or_command() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.path("sub/dir")).unwrap();
    wd.write(
        "sub/dir/twelve-months.csv",
        std::fs::read_to_string("tests/fixtures/twelve-months.csv").unwrap(),
    );
    wd.write("sub/dir/t.toml", "[first_instance_days]\nvalue = 40\n");
    let html = page(
        &wd,
        &[
            "sub/dir/twelve-months.csv",
            "--period",
            "2021-06",
            "--gross",
            "--targets",
            "sub/dir/t.toml",
            "--by",
            "court",
        ],
    );
    assert!(html.contains("<b>twelve-months.csv</b> · 17 行 rows"));
    assert!(html.contains("<dd>t.toml</dd>"));
    assert!(!html.contains("sub/dir"), "a directory on the page");
    assert!(!html.contains(&wd.path("").display().to_string()));
    let body = between(&html, "<body>", "</body>");
    for hint in [
        "--",
        "casemetrics validate",
        "casemetrics cases",
        "casemetrics report",
    ] {
        assert!(!body.contains(hint), "page holds {hint}");
    }
    // a short methods note instead
    let methods = between(&html, "<section id=\"methods\">", "</section>");
    assert!(methods.contains(
        "<li><b>一审平均审理天数</b> <span class=\"en\">average first-instance trial days</span>: \
         平均天数 mean days, 立案 registration → 结案 closing; first instance at basic courts; \
         按结案日期计入期间 counted in the period of its closing date.</li>"
    ), "{methods}");
    assert!(methods.contains("总天数，未扣除扣除审限天数 gross days"));
    assert!(methods.contains("涉营商环境案件 business-environment cases (flagged in the export)"));
}

#[test]
fn the_profiles_court_names_the_page_unless_a_title_is_given() {
    let wd = Workdir::with_copy("five.csv", "tests/fixtures/five.csv");
    wd.write(
        "court.toml",
        "[profile]\nname = \"luoyang\"\ncourt = \"洛阳市中级人民法院\"\n",
    );
    let html = page(&wd, &["five.csv", "--profile", "court.toml"]);
    assert!(html.contains("<title>洛阳市中级人民法院</title>"), "{html}");
    assert!(html.contains("<h1>洛阳市中级人民法院</h1>"));
    let titled = page(
        &wd,
        &[
            "five.csv",
            "--profile",
            "court.toml",
            "--title",
            "2021年6月指标",
        ],
    );
    assert!(titled.contains("<title>2021年6月指标</title>"));
    assert!(!titled.contains("<h1>洛阳市中级人民法院</h1>"));
}
