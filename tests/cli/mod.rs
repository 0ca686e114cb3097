mod figures;
mod plan;
mod test_cases;
mod test_input;
mod test_report;
mod test_validate;
mod workdir;
