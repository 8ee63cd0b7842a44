//! `/admin/booking-rules`: what patients can book online, and the limits.

use crate::api::booking_rules::{load_booking_rules, SaveBookingRules};
use crate::components::{submitted_form, ErrorSummary, FormState, InputField, PostForm};
use crate::pages::admin::{listing, AdminPage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BookingRulesPage() -> impl IntoView {
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let rules = Resource::new(saved, |_| load_booking_rules());
    let submitted = submitted_form();
    let save = ServerAction::<SaveBookingRules>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(save, submitted.get_value());
                    let error = form.error_signal();
                    listing(rules.await, move |r| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        {saved().then(|| view! { <div class="nhsuk-inset-text" role="status"><p>"The booking rules are saved."</p></div> })}
                        <PostForm form page="/admin/booking-rules">
                            <InputField name="horizon_days" label="How many days ahead patients can book" width="nhsuk-input--width-4" error value=r.horizon_days.clone()/>
                            <InputField name="min_notice_hours" label="Least notice for booking online, in hours" hint="Slots starting sooner are for the telephone" width="nhsuk-input--width-4" error value=r.min_notice_hours.clone()/>
                            <InputField name="max_future" label="Most appointments one patient can hold at once (optional)" hint="Many practices choose 2 or 3, so nobody books \"just in case\"" width="nhsuk-input--width-4" error value=r.max_future.clone()/>
                            <InputField name="min_age" label="Youngest age that can book online (optional)" width="nhsuk-input--width-4" error value=r.min_age.clone()/>
                            <InputField name="cancel_cutoff_hours" label="Patients can cancel online until this many hours before" width="nhsuk-input--width-4" error value=r.cancel_cutoff_hours.clone()/>
                            <div class="nhsuk-form-group">
                                <fieldset class="nhsuk-fieldset">
                                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Clinicians patients can book online"</legend>
                                    <div class="nhsuk-checkboxes">
                                        {r.clinicians.iter().map(|c| {
                                            let id = format!("clinician-{}", c.id);
                                            view! {
                                                <div class="nhsuk-checkboxes__item">
                                                    <input class="nhsuk-checkboxes__input" id=id.clone() name="clinicians[]" type="checkbox" value=c.id.to_string() checked=c.bookable_online/>
                                                    <label class="nhsuk-label nhsuk-checkboxes__label" for=id>{format!("{}, {}", c.name, c.role)}</label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </div>
                                </fieldset>
                            </div>
                            <button class="nhsuk-button" type="submit">"Save booking rules"</button>
                        </PostForm>
                        <h2>"Appointment types online"</h2>
                        <p>"Choose a type to set whether patients can book it, when its slots are released, and how many one patient can hold."</p>
                        <ul class="nhsuk-list">
                            {r.slot_types.into_iter().map(|t| view! {
                                <li>
                                    <a href=format!("/admin/schedule/slot-types/{}", t.id)>{format!("{} (\"{}\")", t.internal_name, t.patient_name)}</a>
                                    {format!(": {}.", t.online)}
                                    {(t.bookable_online && t.warning.is_some()).then(|| view! {
                                        " "<strong class="nhsuk-tag nhsuk-tag--orange">"Unclear name for patients"</strong>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Online booking rules" body/> }
}
