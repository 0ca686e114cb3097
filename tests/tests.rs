//! One integration harness (polars links once): a module per command, plus figures computed by hand.

mod cli;
