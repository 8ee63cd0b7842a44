//! Consent to share: the part of a patient's staff page where it is
//! recorded, and the patient's own read-only page.

use crate::api::patient_sharing::{load_patient_sharing, my_sharing, SavePatientSharing};
use crate::components::{submitted_form, summary_row, ErrorSummary, FormState, PostForm, RadioField};
use crate::pages::admin::listing;
use crate::pages::appointments::PatientFrame;
use domain::record::sharing::SharingChoice;
use leptos::prelude::*;

/// The choices a form offers for each question.
fn answers() -> Vec<(&'static str, &'static str)> {
    vec![("yes", "Yes"), ("no", "No"), ("", "Not recorded")]
}

/// On the patient's staff page: their three answers, and a form to record them.
#[component]
pub fn PatientSharing(patient_id: i64) -> impl IntoView {
    let sharing = Resource::new(move || patient_id, load_patient_sharing);
    let submitted = submitted_form();
    let save = ServerAction::<SavePatientSharing>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let form = FormState::new(save, submitted.get_value());
                let error = form.error_signal();
                sharing.await.ok().map(|s| view! {
                    <h2 id="sharing">"Consent to share"</h2>
                    {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                    <dl class="nhsuk-summary-list">
                        {s.lines.iter().map(|line| summary_row(line.question.clone(), line.answer.clone())).collect_view()}
                    </dl>
                    <details class="nhsuk-details" open=move || error.get().is_some()>
                        <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Record their consent to share"</span></summary>
                        <div class="nhsuk-details__text">
                            <PostForm form page=format!("/admin/patients/{}", s.patient_id)>
                                <input type="hidden" name="patient_id" value=s.patient_id.to_string()/>
                                // The lines come in the order of `SharingChoice::ALL`.
                                {SharingChoice::ALL.iter().zip(s.lines).map(|(choice, line)| view! {
                                    <RadioField name=choice.as_str() legend=choice.question() options=answers() error selected=line.value/>
                                }).collect_view()}
                                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Save consent to share"</button>
                            </PostForm>
                        </div>
                    </details>
                })
            })}
        </Suspense>
    }
}

/// `/record/sharing`: the patient's consent to share, to read.
#[component]
pub fn SharingPage() -> impl IntoView {
    let sharing = Resource::new(|| (), |_| my_sharing());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(sharing.await, |lines| view! {
                        <p>"What the practice has recorded about sharing your record. To change any of it, contact the practice."</p>
                        <dl class="nhsuk-summary-list">
                            {lines.into_iter().map(|line| summary_row(line.question, line.answer)).collect_view()}
                        </dl>
                        <p><a href="/record">"Back to your record"</a></p>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Sharing your record" body/> }
}
