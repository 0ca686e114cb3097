//! The page's style sheet.

/// The page's style sheet: readable from phone width up; tables scroll sideways in their wrapper,
/// charts scale with the page.
pub(super) const STYLE: &str = r#":root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --met: #2f7d5b; --missed: #c0392b; --no-data: #7b8794; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f8; color: var(--ink);
  font: 16px/1.5 "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", system-ui, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 8px 0 4px; line-height: 1.3; }
h2 { font-size: 1.2rem; margin: 0 0 12px; }
h3 { font-size: 1rem; margin: 16px 0 8px; }
.lede, .note, footer { color: var(--muted); }
footer { font-size: .85rem; margin: 16px 0 32px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 16px 0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em; color: var(--muted); }
.en { color: var(--muted); font-weight: normal; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 190px), 1fr)); gap: 12px; }
.figure { border: 1px solid var(--line); border-left: 6px solid var(--no-data); border-radius: 6px; padding: 10px 12px; }
.figure.met { border-left-color: var(--met); }
.figure.missed { border-left-color: var(--missed); }
.figure h3 { margin: 0; font-size: .95rem; line-height: 1.35; }
.figure h3 .en, .figure h3 code { display: block; font-size: .8rem; }
.figure p { margin: 4px 0; }
.value { font-size: 2rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.2; }
.unit { font-size: .85rem; font-weight: normal; color: var(--muted); margin-left: 4px; }
.target { color: var(--muted); font-size: .9rem; }
.status { font-weight: 600; white-space: nowrap; }
.status.met { color: var(--met); }
.status.missed { color: var(--missed); }
.status.no-data { color: var(--no-data); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 460px), 1fr)); gap: 16px; }
figure.chart { margin: 0; min-width: 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
figcaption .en, figcaption code { font-size: .8rem; }
svg { display: block; width: 100%; height: auto; }
svg text { font-size: 13px; fill: var(--muted); }
svg .value-label { font-size: 11px; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg .target-label { fill: var(--ink); font-weight: 600; }
svg .grid { stroke: #e4e7eb; stroke-width: 1; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .target { stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 6 4; }
svg .bar.met { fill: var(--met); }
svg .bar.missed { fill: var(--missed); }
svg .bar.no-target, svg .bar.no-data { fill: var(--no-data); }
svg .current-band { fill: #fdf3d7; }
svg .bar.current { stroke: var(--ink); stroke-width: 1.5; }
svg .month.current, svg .value-label.current { fill: var(--ink); font-weight: 700; }
svg .gap { fill: var(--no-data); }
svg.court-chart { max-width: 640px; }
svg.court-chart text { font-size: 13px; }
svg .court-name { fill: var(--ink); }
svg.court-chart .value-label { font-size: 12px; }
svg .value-label.missed { fill: var(--missed); font-weight: 700; }
tr.current td { background: #fdf3d7; font-weight: 600; }
.methods { margin: 0 0 8px; padding-left: 20px; }
.methods li { margin-bottom: 4px; }
.empty { color: var(--muted); font-style: italic; border: 1px dashed var(--line); border-radius: 6px; padding: 24px; text-align: center; }
details { margin: 8px 0; }
summary { cursor: pointer; color: var(--muted); }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: separate; border-spacing: 0; width: 100%; font-size: .9rem; }
table.compact { width: auto; min-width: 50%; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; vertical-align: top; }
th { background: #f4f6f8; font-weight: 600; }
td { background: #fff; }
th:first-child, td:first-child { position: sticky; left: 0; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.counts { display: flex; flex-wrap: wrap; gap: 4px 20px; padding: 0; list-style: none; margin: 0 0 8px; }
.options { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0 0; }
.options dt { color: var(--muted); }
.options dd { margin: 0; overflow-wrap: anywhere; }
code.hash { word-break: break-all; }
.inputs { margin: 0; padding-left: 20px; }
.inputs li { margin-bottom: 6px; }
@media (max-width: 600px) {
  main { padding: 8px; }
  .figures { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
  .figure { padding: 8px; }
  .value { font-size: 1.6rem; }
  th, td { padding: 5px 6px; }
  table { font-size: .85rem; }
  section { padding: 12px; margin: 12px 0; }
  h1 { font-size: 1.25rem; }
  svg text { font-size: 19px; }
  svg.court-chart text, svg.court-chart .value-label { font-size: 19px; }
  svg.court-chart .value-label { display: inline; }
  svg .value-label { display: none; }
  .options { grid-template-columns: 1fr; }
  .options dd { margin-bottom: 6px; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  section { border: none; border-radius: 0; padding: 0; margin: 0 0 10mm; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  .figure, figure.chart, tr { break-inside: avoid; }
  .charts { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 6mm; }
  details { display: none; }
  .table-wrap { overflow: visible; }
  th, td { white-space: normal; }
  th:first-child, td:first-child { position: static; }
  svg .current-band, tr.current td, th { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  svg .bar { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;
