//! The limits of a practice's prescription settings, and reading them from
//! what a practice admin typed.

use crate::Invalid;
use std::ops::RangeInclusive;

/// How many days before a supply runs out a practice may let patients order.
pub const DAYS_BEFORE_RUN_OUT: RangeInclusive<u32> = 0..=28;
/// The working days a practice may promise a request will usually take.
pub const READY_IN_WORKING_DAYS: RangeInclusive<u32> = 1..=10;
/// Days past the end of a supply before a patient counts as having stopped ordering.
pub const STOPPED_MARGIN_DAYS: RangeInclusive<u32> = 0..=365;

/// A whole number of days within `range`, as typed.
pub fn parse_days(text: &str, range: RangeInclusive<u32>) -> Result<u32, Invalid> {
    match text.trim().parse::<u32>() {
        Ok(days) if range.contains(&days) => Ok(days),
        _ => Err(Invalid::new(format!("Enter a whole number of days from {} to {}", range.start(), range.end()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_within_their_range_and_anything_else_says_what_to_enter() {
        assert_eq!(parse_days(" 7 ", DAYS_BEFORE_RUN_OUT).unwrap(), 7);
        assert_eq!(parse_days("0", DAYS_BEFORE_RUN_OUT).unwrap(), 0);
        assert_eq!(parse_days("28", DAYS_BEFORE_RUN_OUT).unwrap(), 28);
        for bad in ["29", "-1", "", "seven", "2.5"] {
            let refused = parse_days(bad, DAYS_BEFORE_RUN_OUT).unwrap_err();
            assert_eq!(refused.message, "Enter a whole number of days from 0 to 28", "{bad:?}");
        }
        assert!(parse_days("0", READY_IN_WORKING_DAYS).is_err());
        assert_eq!(parse_days("365", STOPPED_MARGIN_DAYS).unwrap(), 365);
    }
}
