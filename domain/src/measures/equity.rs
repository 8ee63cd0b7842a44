//! Who is left behind: the share of patients with an online account by age
//! band, by sex, and among those who asked for paper or phone contact.

use super::{Month, PatientFacts};
use crate::access_request::{sex_label, SEXES};
use crate::age::age_on;

/// The age bands uptake is shown by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeBand {
    Under16,
    From16To24,
    From25To44,
    From45To64,
    From65To74,
    From75,
}

impl AgeBand {
    pub const ALL: [Self; 6] =
        [Self::Under16, Self::From16To24, Self::From25To44, Self::From45To64, Self::From65To74, Self::From75];

    pub fn of(age: u32) -> Self {
        match age {
            0..=15 => Self::Under16,
            16..=24 => Self::From16To24,
            25..=44 => Self::From25To44,
            45..=64 => Self::From45To64,
            65..=74 => Self::From65To74,
            _ => Self::From75,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Under16 => "Under 16",
            Self::From16To24 => "16 to 24",
            Self::From25To44 => "25 to 44",
            Self::From45To64 => "45 to 64",
            Self::From65To74 => "65 to 74",
            Self::From75 => "75 and over",
        }
    }
}

/// Uptake in one group of patients on the list at the month's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uptake {
    /// "Age", "Sex" or "Contact".
    pub by: &'static str,
    /// "25 to 44", "Female", "Asked for paper or phone".
    pub group: String,
    pub registered: u32,
    pub with_account: u32,
}

impl Uptake {
    /// "12.5%", or "–" for an empty group.
    pub fn percent(&self) -> String {
        match self.registered {
            0 => "–".to_owned(),
            n => format!("{:.1}%", f64::from(self.with_account) * 100.0 / f64::from(n)),
        }
    }
}

/// Uptake at the month's end by age band (age on that day), by sex, and for
/// patients who asked for paper or phone contact against everyone else.
pub fn uptake_by_group(month: Month, patients: &[PatientFacts]) -> Vec<Uptake> {
    let end = month.last_day();
    let on_list: Vec<&PatientFacts> = patients.iter().filter(|p| p.registered_on_day(end)).collect();
    let group = |by: &'static str, label: &str, member: &dyn Fn(&PatientFacts) -> bool| {
        let members = on_list.iter().filter(|p| member(p));
        let (registered, with_account) =
            members.fold((0, 0), |(all, live), p| (all + 1, live + u32::from(p.account_on_day(end))));
        Uptake { by, group: label.to_owned(), registered, with_account }
    };
    let mut groups: Vec<Uptake> = AgeBand::ALL
        .iter()
        .map(|band| group("Age", band.label(), &|p| AgeBand::of(age_on(p.date_of_birth, end)) == *band))
        .collect();
    for (_, label) in SEXES {
        groups.push(group("Sex", label, &|p| sex_label(&p.sex) == label));
    }
    groups.push(group("Contact", "Asked for paper or phone", &|p| p.paper_or_phone));
    groups.push(group("Contact", "Email or text message", &|p| !p.paper_or_phone));
    groups
}
