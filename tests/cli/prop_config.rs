//! Property tests of the profile and targets parsers (`Profile::parse`, `Targets::parse`):
//! whatever text a file holds, parsing never panics; it ends in a value or an error whose
//! message is one line naming the file.

use std::path::Path;

use casemetrics::error::Error;
use casemetrics::measure::targets::Targets;
use casemetrics::read::profile::Profile;
use proptest::prelude::*;

/// Pieces of TOML the parsers know, glued at random: sections, keys and values, good and bad.
const PIECES: [&str; 24] = [
    "[columns]\n",
    "case_no = [\"编号\"]\n",
    "[procedure.values]\n",
    "\"一审\" = \"first_instance\"\n",
    "\"x\" = \"nonsense\"\n",
    "[case_key]\n",
    "columns = [\"系统编号\"]\n",
    "[dates]\n",
    "formats = [\"%Y年%m月%d日\"]\n",
    "earliest = \"2000-01-01\"\n",
    "[case_numbers]\n",
    "format = \"cn\"\n",
    "[first_instance_days]\n",
    "value = 50\n",
    "value = -1\n",
    "value = 90\n",
    "op = \">=\"\n",
    "[judgments_online_share]\n",
    "value = 0.9\n",
    "value = nan\n",
    "[first_enforcement_days.court_level]\n",
    "basic = 60\n",
    "\u{1b}[2J\n",
    "=\n",
];

fn toml_like() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(proptest::sample::select(PIECES.to_vec()), 0..8)
            .prop_map(|pieces| pieces.concat()),
        ".{0,200}",
    ]
}

/// An error from a config parser is one line naming the file.
fn check_error(error: &Error) {
    let text = error.to_string();
    assert!(!text.contains('\n'), "{text}");
    assert!(
        text.starts_with("c.toml: ") || text.starts_with("--"),
        "{text}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_profile_parses_or_gives_one_line(text in toml_like()) {
        if let Err(error) = Profile::parse(&text, Path::new("c.toml")) {
            check_error(&error);
        }
    }

    #[test]
    fn targets_parse_or_give_one_line(text in toml_like()) {
        match Targets::parse(&text, Path::new("c.toml")) {
            Ok(_) => {}
            Err(error) => check_error(&error),
        }
    }
}

#[test]
fn a_share_target_of_90_is_refused_and_of_point_9_kept() {
    let error = Targets::parse(
        "[judgments_online_share]\nvalue = 90\n",
        Path::new("c.toml"),
    )
    .unwrap_err();
    assert!(matches!(error, Error::Usage(_)));
    assert!(
        Targets::parse(
            "[judgments_online_share]\nvalue = 0.9\n",
            Path::new("c.toml")
        )
        .is_ok()
    );
}
