//! The practice dashboard's figures: a month and the twelve before it, read
//! once from the store and counted by `domain::measures`. The page, its
//! server function and its CSV files all start here.

use super::AppState;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use domain::measures::{measure, progress, uptake_by_group, Measures, Month, Progress, Targets, Uptake};
use domain::PracticeId;

/// How many months the dashboard shows: the chosen one and the twelve before.
pub const MONTHS_SHOWN: usize = 13;

pub struct Figures {
    pub month: Month,
    /// Oldest first, ending with `month`.
    pub months: Vec<(Month, Measures)>,
    pub targets: Targets,
}

impl Figures {
    pub fn this_month(&self) -> &Measures {
        self.months.last().map(|(_, m)| m).expect("at least one month")
    }

    pub fn progress(&self) -> [Progress; 3] {
        progress(self.this_month(), self.targets)
    }
}

/// The month asked for, as "2026-03": this month when blank; a month after
/// this one has nothing to count yet.
pub fn chosen_month(text: &str, now: DateTime<Utc>) -> AppResult<Month> {
    let this_month = Month::of(domain::time::to_london(now).date());
    if text.trim().is_empty() {
        return Ok(this_month);
    }
    let month = Month::parse(text).map_err(|e| AppError::invalid("month", e.message))?;
    if month > this_month {
        return Err(AppError::invalid("month", "Choose this month or an earlier one"));
    }
    Ok(month)
}

/// The figures for `month` at `practice`, and its uptake by group.
pub async fn figures(state: &AppState, practice: PracticeId, month: Month) -> AppResult<(Figures, Vec<Uptake>)> {
    let months = month.ending_here(MONTHS_SHOWN);
    let patients = state.store.measure_patients(practice).await?;
    let activity = state.store.measure_activity(practice, months[0], month).await?;
    let measured = months.iter().map(|m| (*m, measure(*m, &patients, &activity))).collect();
    let targets = state.store.dashboard_targets(practice).await?;
    Ok((Figures { month, months: measured, targets }, uptake_by_group(month, &patients)))
}

/// The dashboard's tables that download as CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DashboardFile {
    /// Each of the months shown, every measure.
    Months,
    /// The month in the long shape NHS England publishes POMI in: one row per field.
    Pomi,
    Targets,
    Uptake,
}

impl DashboardFile {
    /// From the file's name, like `months.csv`.
    pub fn parse(file: &str) -> Option<Self> {
        match file {
            "months.csv" => Some(Self::Months),
            "pomi.csv" => Some(Self::Pomi),
            "targets.csv" => Some(Self::Targets),
            "uptake.csv" => Some(Self::Uptake),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Months => "months",
            Self::Pomi => "pomi",
            Self::Targets => "targets",
            Self::Uptake => "uptake",
        }
    }
}

/// Every measure of a month, in the months file's column order: the list,
/// the POMI fields, then the practice's own.
fn month_columns(m: &Measures) -> Vec<(&'static str, u32)> {
    let mut columns = vec![("Registered", m.registered), ("With_Account", m.with_account)];
    columns.extend(domain::measures::pomi_fields(m));
    columns.extend([
        ("Items_Ordered", m.items_ordered),
        ("Messages_From_Patients", m.messages_from_patients),
        ("Messages_From_Practice", m.messages_from_practice),
        ("Proxy_Grants_Active", m.proxy_grants_active),
        ("Routine_Offered", m.routine_offered),
        ("Routine_Offered_Online", m.routine_offered_online),
        ("Routine_Actions", m.routine_actions),
        ("Routine_Actions_Online", m.routine_actions_online),
    ]);
    columns
}

/// A file's rows, its header first.
pub fn table(
    file: DashboardFile,
    figures: &Figures,
    uptake: &[Uptake],
    practice: &super::PracticeRef,
) -> Vec<Vec<String>> {
    let text = |items: &[&str]| items.iter().map(|item| (*item).to_owned()).collect::<Vec<_>>();
    match file {
        DashboardFile::Months => {
            let mut header = text(&["Month"]);
            header.extend(month_columns(&Measures::default()).iter().map(|(name, _)| (*name).to_owned()));
            let rows = figures.months.iter().map(|(month, m)| {
                let mut row = vec![month.to_string()];
                row.extend(month_columns(m).iter().map(|(_, value)| value.to_string()));
                row
            });
            std::iter::once(header).chain(rows).collect()
        }
        DashboardFile::Pomi => {
            let header = text(&["Report_Period_End", "Practice_Code", "Practice_Name", "Field", "Value"]);
            let end = figures.month.last_day().to_string();
            let rows = domain::measures::pomi_fields(figures.this_month()).into_iter().map(|(field, value)| {
                vec![
                    end.clone(),
                    practice.ods_code.to_string(),
                    practice.name.to_string(),
                    field.to_owned(),
                    value.to_string(),
                ]
            });
            std::iter::once(header).chain(rows).collect()
        }
        DashboardFile::Targets => {
            let header = text(&["Month", "Measure", "Count", "Out_Of", "Percent", "Target_Percent", "Verdict"]);
            let rows = figures.progress().into_iter().map(|p| {
                vec![
                    figures.month.to_string(),
                    p.name.to_owned(),
                    p.count.to_string(),
                    p.out_of.to_string(),
                    p.percent().unwrap_or_default().trim_end_matches('%').to_owned(),
                    p.target.to_string(),
                    p.verdict.label().to_owned(),
                ]
            });
            std::iter::once(header).chain(rows).collect()
        }
        DashboardFile::Uptake => {
            let header = text(&["Month", "By", "Group", "Registered", "With_Account"]);
            let rows = uptake.iter().map(|u| {
                let counts = [u.registered.to_string(), u.with_account.to_string()];
                [figures.month.to_string(), u.by.to_owned(), u.group.clone()].into_iter().chain(counts).collect()
            });
            std::iter::once(header).chain(rows).collect()
        }
    }
}

/// Rows as CSV (RFC 4180): a field holding a comma, a quote or a line break
/// is quoted, its quotes doubled; a field a spreadsheet would take for a
/// formula is prefixed with an apostrophe.
pub fn to_csv(rows: &[Vec<String>]) -> String {
    let field = |value: &str| {
        let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_owned() };
        if value.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", value.replace('"', "\"\""))
        } else {
            value
        }
    };
    rows.iter().map(|row| row.iter().map(|v| field(v)).collect::<Vec<_>>().join(",") + "\r\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_field_with_a_comma_or_quote_is_quoted_and_a_formula_is_defused() {
        let rows = vec![
            vec!["Month".to_owned(), "Group".to_owned()],
            vec!["2026-03".to_owned(), "Smith, \"Jo\"".to_owned()],
            vec!["=SUM(A1)".to_owned(), "-".to_owned()],
        ];
        assert_eq!(to_csv(&rows), "Month,Group\r\n2026-03,\"Smith, \"\"Jo\"\"\"\r\n'=SUM(A1),'-\r\n");
    }

    #[test]
    fn only_the_four_files_are_known() {
        for name in ["months", "pomi", "targets", "uptake"] {
            let file = DashboardFile::parse(&format!("{name}.csv")).unwrap();
            assert_eq!(file.name(), name);
        }
        assert_eq!(DashboardFile::parse("months"), None);
        assert_eq!(DashboardFile::parse("../secrets.csv"), None);
    }
}
