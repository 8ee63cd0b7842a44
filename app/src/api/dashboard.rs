//! The practice dashboard (practice admins and clinicians): uptake and use of
//! online services for a month and the twelve before it, the practice's
//! targets, and who is left behind. The same figures are files to download
//! (`server/src/dashboard_files.rs`).

use crate::error::AppError;
use domain::measures::Measures;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One month's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigures {
    /// "2026-03"
    pub month: String,
    /// "March 2026"
    pub label: String,
    /// "Mar 26"
    pub short: String,
    pub measures: Measures,
}

/// A target and where the month stands against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetLine {
    /// The form field that sets it.
    pub field: String,
    pub name: String,
    /// "81.3%", or "–" when there is nothing to divide by.
    pub value: String,
    /// "812 of 999"
    pub counts: String,
    pub target: u32,
    /// "Target met", "Below target", "Nothing to measure this month"
    pub verdict: String,
    pub met: bool,
}

/// Uptake in one group of patients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UptakeLine {
    pub by: String,
    pub group: String,
    pub registered: u32,
    pub with_account: u32,
    pub percent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The month shown, "2026-03", and the one before it.
    pub month: String,
    pub earlier: String,
    /// The month after, unless this is the current month.
    pub later: Option<String>,
    /// Oldest first, ending with the month shown.
    pub months: Vec<MonthFigures>,
    pub targets: Vec<TargetLine>,
    pub uptake: Vec<UptakeLine>,
    /// Practice admins set the targets.
    pub can_set_targets: bool,
    /// Problems reported and not yet fixed or set aside, and the newest of
    /// them: "Appointments, 1 March 2026 (New): The page did not load".
    pub open_problems: usize,
    pub newest_problems: Vec<String>,
}

/// How many open problems the dashboard names.
pub const PROBLEMS_SHOWN: usize = 5;

impl Dashboard {
    pub fn this_month(&self) -> Option<&MonthFigures> {
        self.months.last()
    }
}

/// Practice admins and clinicians: the dashboard for `month` ("2026-03";
/// blank: this month). A month to come, or one typed wrongly, is named.
#[server(endpoint = "admin/dashboard")]
pub async fn practice_dashboard(#[server(default)] month: String) -> Result<Dashboard, AppError> {
    use crate::server::dashboard::{chosen_month, figures};
    use domain::measures::Verdict;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ViewDashboard)?;
    let month = chosen_month(&month, ctx.now)?;
    let (figures, uptake) = figures(&state, practice, month).await?;
    let months = figures
        .months
        .iter()
        .map(|(month, measures)| MonthFigures {
            month: month.to_string(),
            label: month.label(),
            short: month.short_label(),
            measures: *measures,
        })
        .collect();
    let fields = ["offered_online", "with_account", "used_online"];
    let targets = figures
        .progress()
        .iter()
        .zip(fields)
        .map(|(p, field)| TargetLine {
            field: field.to_owned(),
            name: p.name.to_owned(),
            value: p.percent().unwrap_or_else(|| "–".to_owned()),
            counts: format!("{} of {}", p.count, p.out_of),
            target: p.target,
            verdict: p.verdict.label().to_owned(),
            met: p.verdict == Verdict::Met,
        })
        .collect();
    let uptake = uptake
        .iter()
        .map(|u| UptakeLine {
            by: u.by.to_owned(),
            group: u.group.clone(),
            registered: u.registered,
            with_account: u.with_account,
            percent: u.percent(),
        })
        .collect();
    let open: Vec<_> = state
        .store
        .problems_of_practice(practice)
        .await?
        .into_iter()
        .filter(|p| {
            domain::problems::ProblemStatus::parse(&p.status).is_some_and(domain::problems::ProblemStatus::is_open)
        })
        .collect();
    let newest_problems = open.iter().take(PROBLEMS_SHOWN).map(|p| {
        let place = domain::problems::Place::parse(&p.place).map_or("", domain::problems::Place::label);
        let status = domain::problems::ProblemStatus::parse(&p.status).map_or("", |s| s.label());
        let what: String = p.what.chars().take(120).collect();
        format!("{place}, {} ({status}): {what}", domain::time::display_date(p.happened_on))
    });
    let newest_problems = newest_problems.collect();
    let this_month = chosen_month("", ctx.now)?;
    let manage = domain::policy::Action::ManageOnlineServices;
    let can_set_targets = ctx.authorize(manage, domain::policy::Object::Practice(practice)).is_ok();
    Ok(Dashboard {
        month: month.to_string(),
        earlier: month.previous().to_string(),
        later: (month < this_month).then(|| month.next().to_string()),
        months,
        targets,
        uptake,
        can_set_targets,
        open_problems: open.len(),
        newest_problems,
    })
}

/// Practice admins: the practice's three targets, each a whole percentage
/// from 1 to 100. Every problem is named and nothing is saved.
#[server(endpoint = "admin/dashboard/targets")]
pub async fn save_targets(
    #[server(default)] offered_online: String,
    #[server(default)] with_account: String,
    #[server(default)] used_online: String,
) -> Result<(), AppError> {
    use domain::measures::Targets;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManageOnlineServices)?;
    let mut problems = crate::error::Problems::new();
    let offered_online = problems.check("offered_online", Targets::parse_percent(&offered_online));
    let with_account = problems.check("with_account", Targets::parse_percent(&with_account));
    let used_online = problems.check("used_online", Targets::parse_percent(&used_online));
    problems.finish()?;
    let (Some(offered_online), Some(with_account), Some(used_online)) = (offered_online, with_account, used_online)
    else {
        return Err(AppError::invalid("offered_online", "Check the form"));
    };
    let targets = Targets { offered_online, with_account, used_online };
    let detail =
        format!("offered online {offered_online}%, with an account {with_account}%, used online {used_online}%");
    let audit = ctx.audit("dashboard_targets_changed").detail(detail);
    state.store.set_dashboard_targets(practice, targets, &audit).await?;
    leptos_axum::redirect("/admin/dashboard?saved=targets#targets");
    Ok(())
}
