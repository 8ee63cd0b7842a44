//! The problem log: `/report-a-problem` for anyone signed in (linked from
//! every page's footer), and `/admin/problems` where staff report one too
//! and say what became of each.

use crate::api::problems::{problem_log, ProblemLine, ReportProblem, TriageProblem};
use crate::components::{
    saved_param, submitted_form, ErrorSummary, FormState, InputField, PostForm, RadioField, TextareaField,
};
use crate::pages::admin::{listing, AdminPage};
use crate::pages::appointments::PatientFrame;
use domain::problems::{Place, ProblemStatus};
use leptos::prelude::*;

/// The places to choose from; patients are not offered the staff area.
fn places(staff: bool) -> Vec<(&'static str, &'static str)> {
    let shown = Place::ALL.iter().filter(|place| staff || **place != Place::StaffArea);
    shown.map(|place| (place.as_str(), place.label())).collect()
}

/// What, where and when: the same fields for patients and staff.
#[component]
fn ReportFields(page: &'static str, #[prop(optional)] staff: bool) -> impl IntoView {
    let submitted = submitted_form();
    let report = ServerAction::<ReportProblem>::new();
    let form = FormState::new(report, submitted.get_value());
    let error = form.error_signal();
    view! {
        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
        <PostForm form page>
            <TextareaField name="what" label="What went wrong" hint="What you were trying to do and what happened. Do not include medical details." error rows=5/>
            <RadioField name="place" legend="Where it happened" options=places(staff) error/>
            <InputField name="happened_on" label="When it happened (optional)" hint="For example 15/03/2026. Leave blank for today." width="nhsuk-input--width-10" error/>
            <button class="nhsuk-button" type="submit">"Send report"</button>
        </PostForm>
    }
}

/// `/report-a-problem`: tell the practice something on this website did not work.
#[component]
pub fn ReportProblemPage() -> impl IntoView {
    let saved = saved_param();
    let body = move || {
        view! {
            {move || saved().map(|_| view! {
                <div class="nhsuk-inset-text" role="status"><p>"Thank you. The practice has your report and will look into it."</p></div>
            })}
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label">"This is not for medical help"</h2>
                <p>"Reports are read by practice staff in working hours, not by a doctor. If you need medical help, use your practice's usual ways or call 111. In an emergency call 999."</p>
            </div>
            <p>"Tell the practice about something on this website that did not work, so it can be fixed."</p>
            <ReportFields page="/report-a-problem"/>
        }
    };
    view! { <PatientFrame title="Report a problem with this website" body/> }
}

fn statuses() -> Vec<(&'static str, &'static str)> {
    ProblemStatus::ALL.iter().map(|status| (status.as_str(), status.label())).collect()
}

/// One problem with its notes and, for staff, the form to say what became of it.
#[component]
fn ProblemCard(problem: ProblemLine) -> impl IntoView {
    // Several cards, one form each: only the one posted shows its answer.
    let id = problem.id.to_string();
    let posted = submitted_form().get_value().filter(|form| form.value("problem_id") == Some(id.as_str()));
    let open = posted.is_some();
    let form = FormState::new(ServerAction::<TriageProblem>::new(), posted);
    let error = form.error_signal();
    let tag = if problem.is_open() { "nhsuk-tag nhsuk-tag--blue" } else { "nhsuk-tag nhsuk-tag--grey" };
    view! {
        <div class="nhsuk-card" id=format!("problem-{}", problem.id)>
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-s">{format!("{} on {}", problem.place, problem.happened_on)}</h2>
                <p><strong class=tag>{problem.status_label.clone()}</strong></p>
                <p class="gp-mail-body">{problem.what.clone()}</p>
                <p class="nhsuk-body-s">{format!("Reported by {}", problem.reported)}</p>
                {(!problem.notes.is_empty()).then(|| view! {
                    <ul class="nhsuk-list nhsuk-body-s">
                        {problem.notes.clone().into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}
                    </ul>
                })}
                <details class="nhsuk-details" open=open>
                    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Update this problem"</span></summary>
                    <div class="nhsuk-details__text">
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        <PostForm form page="/admin/problems">
                            <input type="hidden" name="problem_id" value=id/>
                            <RadioField name="status" legend="What has become of it" options=statuses() error selected=problem.status.clone()/>
                            <TextareaField name="note" label="Note (optional)" hint="What was found or done." error rows=3/>
                            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Save"</button>
                        </PostForm>
                    </div>
                </details>
            </div>
        </div>
    }
}

/// `/admin/problems`: the practice's problem log, open problems first.
#[component]
pub fn ProblemLogPage() -> impl IntoView {
    let saved = saved_param();
    let problems = Resource::new(saved, |_| problem_log());
    let body = move || {
        view! {
            {move || saved().map(|_| view! { <div class="nhsuk-inset-text" role="status"><p>"Saved."</p></div> })}
            <p>"Problems with the online services that patients and staff reported. Look into each and say what became of it."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(problems.await, |problems| {
                        if problems.is_empty() {
                            return view! { <p>"No problems have been reported."</p> }.into_any();
                        }
                        problems.into_iter().map(|problem| view! { <ProblemCard problem/> }).collect_view().into_any()
                    })
                })}
            </Suspense>
            <h2>"Report a problem"</h2>
            <ReportFields page="/admin/problems" staff=true/>
        }
    };
    view! { <AdminPage title="Problems reported" body/> }
}
