mod figures;
mod test_cases;
mod test_html;
mod test_input;
mod test_report;
mod test_validate;
mod workdir;
