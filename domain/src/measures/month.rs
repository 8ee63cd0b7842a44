//! A calendar month, as "2026-03" in links and files and "March 2026" on pages.

use crate::Invalid;
use chrono::{Datelike, Months, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    /// The month `day` falls in.
    pub fn of(day: NaiveDate) -> Self {
        Self { first: day.with_day(1).unwrap_or(day) }
    }

    /// "2026-03".
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let invalid = || Invalid::new("Enter a month as year and month, like 2026-03");
        let (year, month) = text.trim().split_once('-').ok_or_else(invalid)?;
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let month: u32 = month.parse().map_err(|_| invalid())?;
        if !(2000..=2100).contains(&year) {
            return Err(invalid());
        }
        NaiveDate::from_ymd_opt(year, month, 1).map(|first| Self { first }).ok_or_else(invalid)
    }

    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first.pred_opt().unwrap_or(self.first)
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        Self::of(day) == self
    }

    pub fn next(self) -> Self {
        Self { first: self.first.checked_add_months(Months::new(1)).unwrap_or(self.first) }
    }

    pub fn previous(self) -> Self {
        Self { first: self.first.checked_sub_months(Months::new(1)).unwrap_or(self.first) }
    }

    /// `count` months ending with this one, oldest first.
    pub fn ending_here(self, count: usize) -> Vec<Self> {
        let mut months: Vec<Self> = std::iter::successors(Some(self), |m| Some(m.previous())).take(count).collect();
        months.reverse();
        months
    }

    /// "March 2026".
    pub fn label(self) -> String {
        self.first.format("%B %Y").to_string()
    }

    /// "Mar 26", for a chart's axis.
    pub fn short_label(self) -> String {
        self.first.format("%b %y").to_string()
    }
}

/// "2026-03".
impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}
