//! Practice admins: how the practice takes repeat prescription requests.
//! Each ordering rule blocks or flags for the clinician; how many days before
//! a supply runs out patients may order; whether a note is optional,
//! required or not asked for; the promise; and when a patient counts as
//! having stopped ordering.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Whether patients add a note, as the form offers it.
pub const NOTE_MODES: &[(&str, &str)] =
    &[("optional", "Optional"), ("required", "Required: every order says something"), ("off", "Not asked for")];

/// The settings form, as posted and as shown. Each rule's field holds
/// `block` or `flag`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrescribingForm {
    pub not_orderable_online: String,
    pub ordering_off: String,
    pub no_issues_left: String,
    pub authorisation_ended: String,
    pub review_due: String,
    pub too_early: String,
    pub days_before_run_out: String,
    pub note: String,
    pub ready_in_working_days: String,
    pub stopped_margin_days: String,
}

impl PrescribingForm {
    /// Each rule's field: `(name, label, value)`, in the order the rules are checked.
    pub fn rules(&self) -> [(&'static str, &'static str, &str); 6] {
        use domain::prescriptions::Rule;
        let field = |rule: Rule, value| (rule.as_str(), rule.label(), value);
        [
            field(Rule::NotOrderableOnline, self.not_orderable_online.as_str()),
            field(Rule::OrderingOff, self.ordering_off.as_str()),
            field(Rule::NoIssuesLeft, self.no_issues_left.as_str()),
            field(Rule::AuthorisationEnded, self.authorisation_ended.as_str()),
            field(Rule::ReviewDue, self.review_due.as_str()),
            field(Rule::TooEarly, self.too_early.as_str()),
        ]
    }
}

#[cfg(feature = "ssr")]
fn read_form(form: &PrescribingForm) -> Result<storage::prescriptions::PrescriptionSettings, AppError> {
    use domain::prescriptions::{
        parse_days, Handling, Rule, DAYS_BEFORE_RUN_OUT, READY_IN_WORKING_DAYS, STOPPED_MARGIN_DAYS,
    };
    use storage::prescriptions::{NoteMode, PrescriptionSettings};
    let mut problems = crate::error::Problems::new();
    let mut handling = Vec::new();
    for (field, _, value) in form.rules() {
        match (Rule::parse(field), Handling::parse(value.trim())) {
            (Some(rule), Some(h)) => handling.push((rule, h)),
            _ => problems.add(field, "Choose block or flag for the clinician"),
        }
    }
    let days_before = problems.check("days_before_run_out", parse_days(&form.days_before_run_out, DAYS_BEFORE_RUN_OUT));
    let note = NoteMode::parse(form.note.trim());
    if note.is_none() {
        problems.add("note", "Choose whether patients add a note");
    }
    let ready = problems.check("ready_in_working_days", parse_days(&form.ready_in_working_days, READY_IN_WORKING_DAYS));
    let margin = problems.check("stopped_margin_days", parse_days(&form.stopped_margin_days, STOPPED_MARGIN_DAYS));
    problems.finish()?;
    let mut settings = PrescriptionSettings::default();
    settings.rules.handling = handling;
    settings.rules.days_before_run_out = days_before.unwrap_or_default();
    settings.note = note.unwrap_or(NoteMode::Optional);
    settings.ready_in_working_days = ready.unwrap_or_default();
    settings.stopped_margin_days = margin.unwrap_or_default();
    Ok(settings)
}

/// Practice admins: the prescription settings as stored, as the form shows them.
#[server(endpoint = "admin/settings/prescriptions")]
pub async fn load_prescribing_settings() -> Result<PrescribingForm, AppError> {
    use domain::prescriptions::Rule;
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManagePrescribing)?;
    let settings = state.store.prescription_settings(practice).await?;
    let rule = |rule: Rule| settings.rules.handling_of(rule).as_str().to_owned();
    Ok(PrescribingForm {
        not_orderable_online: rule(Rule::NotOrderableOnline),
        ordering_off: rule(Rule::OrderingOff),
        no_issues_left: rule(Rule::NoIssuesLeft),
        authorisation_ended: rule(Rule::AuthorisationEnded),
        review_due: rule(Rule::ReviewDue),
        too_early: rule(Rule::TooEarly),
        days_before_run_out: settings.rules.days_before_run_out.to_string(),
        note: settings.note.as_str().to_owned(),
        ready_in_working_days: settings.ready_in_working_days.to_string(),
        stopped_margin_days: settings.stopped_margin_days.to_string(),
    })
}

/// Practice admins: saves the prescription settings, all or nothing.
#[server(endpoint = "admin/settings/prescriptions/save")]
pub async fn save_prescribing_settings(#[server(flatten)] form: PrescribingForm) -> Result<(), AppError> {
    let (state, ctx) = crate::server::context().await?;
    let practice = ctx.staff_practice(domain::policy::Action::ManagePrescribing)?;
    let settings = read_form(&form)?;
    let audit =
        ctx.audit("prescription_settings_changed").detail(storage::prescriptions::handling_to_text(&settings.rules));
    state.store.save_prescription_settings(practice, &settings, &audit).await?;
    leptos_axum::redirect("/admin/settings/prescriptions?saved=1");
    Ok(())
}
