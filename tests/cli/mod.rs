mod figures;
mod test_cases;
mod test_compare;
mod test_input;
mod test_pending;
mod test_report;
mod test_validate;
mod workdir;
