//! `/admin/settings/proxies`: the practice's ages for parents' access and
//! whether grants patients give wait for review.

use crate::api::proxy_settings::{load_proxy_settings, SaveProxySettings};
use crate::components::{saved_param, submitted_form, ErrorSummary, FormState, InputField, PostForm, RadioField};
use crate::pages::admin::{listing, AdminPage};
use leptos::prelude::*;

const REVIEWED: &[(&str, &str)] = &[
    ("yes", "Yes: staff approve each one on \"Proxy access to review\" before it starts"),
    ("no", "No: it starts at once, and staff see it on the patient's page"),
];

#[component]
pub fn ProxySettingsPage() -> impl IntoView {
    let saved = saved_param();
    let settings = Resource::new(saved, |_| load_proxy_settings());
    let submitted = submitted_form();
    let save = ServerAction::<SaveProxySettings>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(save, submitted.get_value());
                    let error = form.error_signal();
                    listing(settings.await, move |s| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        {saved().map(|_| view! {
                            <div class="nhsuk-inset-text" role="status"><p>"The proxy access settings are saved."</p></div>
                        })}
                        <PostForm form page="/admin/settings/proxies">
                            <h2>"A parent's access to a child's services"</h2>
                            <p>"From the age below, a parent can still book appointments and order repeats for their child, but no longer read the record or send messages, unless a clinician decides otherwise for that child. At 16 a parent's access stops, whatever is set here."</p>
                            <InputField name="narrow_from" label="It narrows from this age" hint="From 1 to 15. The usual age is 11." error value=s.narrow_from.clone() width="nhsuk-input--width-4"/>
                            <InputField name="review_at" label="Staff review it at this age" hint="From 1 to 15. The national standard says 13 or earlier." error value=s.review_at.clone() width="nhsuk-input--width-4"/>
                            <h2>"Access patients give"</h2>
                            <RadioField name="patient_grants_reviewed" legend="Does the practice review it before it starts?" options=REVIEWED.to_vec() error selected=s.patient_grants_reviewed.clone()/>
                            <button class="nhsuk-button" type="submit">"Save proxy access settings"</button>
                        </PostForm>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Proxy access settings" body/> }
}
