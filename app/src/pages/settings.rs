use crate::api::settings::{load_settings, SaveSettings};
use crate::components::{submitted_form, CheckboxField, ErrorSummary, FormState, InputField, PostForm};
use crate::pages::admin::{listing, AdminPage};
use crate::pages::grants::GrantsFields;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/admin/settings/online-services`: practice admins switch online services
/// and self-registration, and set the default grants for new accounts.
#[component]
pub fn OnlineServicesSettingsPage() -> impl IntoView {
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    // Loaded again when a save brings the browser back with `?saved=1`.
    let settings = Resource::new(saved, |_| load_settings());
    let submitted = submitted_form();
    let save = ServerAction::<SaveSettings>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(save, submitted.get_value());
                    let error = form.error_signal();
                    listing(settings.await, move |s| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        {saved().then(|| view! {
                            <div class="nhsuk-inset-text" role="status"><p>"The settings are saved."</p></div>
                        })}
                        <PostForm form page="/admin/settings/online-services">
                            <div class="nhsuk-form-group">
                                <fieldset class="nhsuk-fieldset">
                                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">"The practice"</legend>
                                    <div class="nhsuk-checkboxes">
                                        <CheckboxField name="online_services" label="Offer online services" checked=s.online_services
                                            hint="Switched off, patients cannot sign in to use any service."/>
                                        <CheckboxField name="self_registration" label="Let patients ask for an account online" checked=s.self_registration
                                            hint="Switched off, the registration page tells patients to ask at the surgery."/>
                                    </div>
                                </fieldset>
                            </div>
                            <InputField name="request_expiry_days" label="Requests expire after (days)" hint="Requests for online services that nobody handles are closed after this many days, from 7 to 365." width="nhsuk-input--width-4" error value=s.request_expiry_days.to_string()/>
                            <InputField name="website" label="Practice website" hint="Shown to patients, for example https://www.riversidemedical.example" kind="url" error value=s.website.clone()/>
                            <h2>"Services for new accounts"</h2>
                            <p>"Since 31 October 2023, patients in England get prospective access to their full record, free text and documents included, unless they opt out or a clinician judges it harmful."</p>
                            <GrantsFields grants=s.defaults error/>
                            <button class="nhsuk-button" type="submit">"Save settings"</button>
                        </PostForm>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Online services settings" body/> }
}
