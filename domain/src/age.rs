//! Ages and birthdays, on London dates (callers pass `time::to_london(now)`'s
//! date, so a birthday starts at midnight in the UK, whatever the clock
//! change). Someone born on 29 February comes of an age on 1 March in a
//! year without one, as in UK law.

use chrono::{Datelike, NaiveDate};

/// A person's age in whole years on `day` (0 before they are born).
pub fn age_on(date_of_birth: NaiveDate, day: NaiveDate) -> u32 {
    let mut age = day.year() - date_of_birth.year();
    if (day.month(), day.day()) < (date_of_birth.month(), date_of_birth.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

/// The day `date` comes round `years` later: 29 February becomes 1 March
/// in a year without one.
pub fn years_after(date: NaiveDate, years: u32) -> NaiveDate {
    let year = date.year() + years as i32;
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(NaiveDate::MAX)
}

/// The day someone born on `date_of_birth` turns `age`.
pub fn turns(date_of_birth: NaiveDate, age: u32) -> NaiveDate {
    years_after(date_of_birth, age)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_age_counts_whole_years_to_the_birthday_itself() {
        assert_eq!(age_on(day(2010, 6, 15), day(2026, 6, 14)), 15);
        assert_eq!(age_on(day(2010, 6, 15), day(2026, 6, 15)), 16);
        assert_eq!(age_on(day(2030, 1, 1), day(2026, 6, 15)), 0, "not yet born");
    }

    #[test]
    fn someone_born_on_29_february_comes_of_age_on_1_march_in_a_common_year() {
        let born = day(2012, 2, 29);
        assert_eq!(age_on(born, day(2023, 2, 28)), 10);
        assert_eq!(age_on(born, day(2023, 3, 1)), 11);
        assert_eq!(turns(born, 11), day(2023, 3, 1));
        assert_eq!(turns(born, 16), day(2028, 2, 29), "a leap year has the day");
        assert_eq!(age_on(born, day(2028, 2, 29)), 16);
        assert_eq!(years_after(day(2024, 2, 29), 5), day(2029, 3, 1));
    }
}
