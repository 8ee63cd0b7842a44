//! The repeat prescriptions part of a patient's page for staff.

use crate::api::patient_prescribing::{load_patient_prescribing, SetOnlineOrdering};
use crate::components::{submitted_form, summary_row, ErrorSummary, FormState, InputField, PostForm, RadioField};
use leptos::prelude::*;

/// Whether the patient may order online (and why not, for staff), their
/// nominated pharmacy and repeat medicines; clinicians and practice admins
/// allow or stop their online ordering.
#[component]
pub fn PatientPrescribing(patient_id: i64) -> impl IntoView {
    let prescribing = Resource::new(move || patient_id, load_patient_prescribing);
    let submitted = submitted_form();
    let change = ServerAction::<SetOnlineOrdering>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let form = FormState::new(change, submitted.get_value());
                let error = form.error_signal();
                prescribing.await.ok().map(|p| {
                    let page = format!("/admin/patients/{}", p.patient_id);
                    view! {
                        <h2 id="prescribing">"Repeat prescriptions"</h2>
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        <dl class="nhsuk-summary-list">
                            {summary_row("Online ordering", if p.ordering_allowed {
                                "Allowed".to_owned()
                            } else {
                                format!("Stopped. Reason (staff only): {}", p.ordering_off_reason)
                            })}
                            {summary_row("Nominated pharmacy", p.pharmacy.clone().unwrap_or_else(|| "None: collects from the practice".to_owned()))}
                        </dl>
                        {if p.medicines.is_empty() {
                            view! { <p>"No repeat medicines."</p> }.into_any()
                        } else {
                            view! { <ul class="nhsuk-list nhsuk-list--bullet">{p.medicines.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
                        }}
                        {p.can_change.then(|| view! {
                            <details class="nhsuk-details" open=move || error.get().is_some()>
                                <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Allow or stop their online ordering"</span></summary>
                                <div class="nhsuk-details__text">
                                    <PostForm form page=page>
                                        <input type="hidden" name="patient_id" value=p.patient_id.to_string()/>
                                        <RadioField name="allowed" legend="Can they order repeats online?" options=vec![("yes", "Yes"), ("no", "No: they contact the practice")] error selected=if p.ordering_allowed { "yes" } else { "no" }/>
                                        <InputField name="reason" label="Reason, if not" hint="Staff see this; the patient is told to contact the practice." error value=p.ordering_off_reason.clone()/>
                                        <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Save online ordering"</button>
                                    </PostForm>
                                </div>
                            </details>
                        })}
                    }
                })
            })}
        </Suspense>
    }
}
