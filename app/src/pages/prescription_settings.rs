//! `/admin/settings/prescriptions`: how the practice takes repeat prescription requests.

use crate::api::prescription_settings::{load_prescribing_settings, SavePrescribingSettings, NOTE_MODES};
use crate::components::{saved_param, submitted_form, ErrorSummary, FormState, InputField, PostForm, RadioField};
use crate::pages::admin::{listing, AdminPage};
use leptos::prelude::*;

/// Practice admins: block or flag each ordering rule, how early patients may
/// order, the note, the promise and the stopped-ordering margin.
#[component]
pub fn PrescribingSettingsPage() -> impl IntoView {
    let saved = saved_param();
    let settings = Resource::new(saved, |_| load_prescribing_settings());
    let submitted = submitted_form();
    let save = ServerAction::<SavePrescribingSettings>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(save, submitted.get_value());
                    let error = form.error_signal();
                    listing(settings.await, move |s| {
                        let handling: Vec<(&'static str, &'static str)> = domain::prescriptions::Handling::ALL
                            .iter()
                            .map(|h| (h.as_str(), h.label()))
                            .collect();
                        view! {
                            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                            {saved().map(|_| view! {
                                <div class="nhsuk-inset-text" role="status"><p>"The prescription settings are saved."</p></div>
                            })}
                            <PostForm form page="/admin/settings/prescriptions">
                                <h2>"When a rule applies to a medicine"</h2>
                                <p>"Blocked, the patient is told why and, where there is one, the date from which they can order. Flagged, the order goes and the clinician sees the flag. Stopping someone's supply because a review is due can harm them: flag unless the practice has a reason not to."</p>
                                {s.rules().map(|(field, label, value)| view! {
                                    <RadioField name=field legend=label options=handling.clone() error selected=value.to_owned()/>
                                }).collect_view()}
                                <h2>"Ordering"</h2>
                                <InputField name="days_before_run_out" label="How many days before a supply runs out patients can order" hint="From 0 to 28. Counted from the last issue and the days it supplies." error value=s.days_before_run_out.clone() width="nhsuk-input--width-4"/>
                                <RadioField name="note" legend="A note with each order" options=NOTE_MODES.to_vec() error selected=s.note.clone()/>
                                <InputField name="ready_in_working_days" label="Usually ready in this many working days" hint="From 1 to 10. Patients see the date this gives on each request." error value=s.ready_in_working_days.clone() width="nhsuk-input--width-4"/>
                                <InputField name="stopped_margin_days" label="Days past the end of a supply before a patient counts as having stopped ordering" hint="From 0 to 365. They are listed on the prescriptions page." error value=s.stopped_margin_days.clone() width="nhsuk-input--width-4"/>
                                <button class="nhsuk-button" type="submit">"Save prescription settings"</button>
                            </PostForm>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Prescription settings" body/> }
}
