//! The practice's targets for online services, and a plain verdict on each.
//! The defaults are the London programme's: 80% of routine appointments
//! offered online, 20% of patients with an online account, and 50% of
//! routine bookings and cancellations made online.

use super::Measures;
use crate::Invalid;

/// Each target as a whole percentage, 1 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub offered_online: u32,
    pub with_account: u32,
    pub used_online: u32,
}

impl Targets {
    pub const DEFAULT: Self = Self { offered_online: 80, with_account: 20, used_online: 50 };

    /// A typed percentage: a whole number from 1 to 100.
    pub fn parse_percent(text: &str) -> Result<u32, Invalid> {
        match text.trim().trim_end_matches('%').trim().parse::<u32>() {
            Ok(percent) if (1..=100).contains(&percent) => Ok(percent),
            _ => Err(Invalid::new("Enter a whole percentage from 1 to 100")),
        }
    }
}

/// Whether a measure reached its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    NotMet,
    /// Nothing to divide by this month (no routine appointments, say).
    NoData,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Self::Met => "Target met",
            Self::NotMet => "Below target",
            Self::NoData => "Nothing to measure this month",
        }
    }
}

/// One target's standing: the count, out of how many, the target and the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub name: &'static str,
    pub count: u32,
    pub out_of: u32,
    pub target: u32,
    pub verdict: Verdict,
}

impl Progress {
    fn new(name: &'static str, count: u32, out_of: u32, target: u32) -> Self {
        // Whole numbers throughout: met when count / out_of >= target / 100.
        let verdict = match out_of {
            0 => Verdict::NoData,
            _ if u64::from(count) * 100 >= u64::from(target) * u64::from(out_of) => Verdict::Met,
            _ => Verdict::NotMet,
        };
        Self { name, count, out_of, target, verdict }
    }

    /// The value as a percentage to one decimal place, if there is one: "81.3%".
    pub fn percent(&self) -> Option<String> {
        (self.out_of > 0).then(|| format!("{:.1}%", f64::from(self.count) * 100.0 / f64::from(self.out_of)))
    }
}

/// The month's standing against each of the practice's targets.
pub fn progress(m: &Measures, targets: Targets) -> [Progress; 3] {
    [
        Progress::new(
            "Routine appointments offered online",
            m.routine_offered_online,
            m.routine_offered,
            targets.offered_online,
        ),
        Progress::new("Patients with an online account", m.with_account, m.registered, targets.with_account),
        Progress::new(
            "Routine bookings and cancellations made online",
            m.routine_actions_online,
            m.routine_actions,
            targets.used_online,
        ),
    ]
}
