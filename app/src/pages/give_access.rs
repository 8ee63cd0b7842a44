//! `/people/give-access`: a patient gives someone access to their services.

use crate::api::give_access::{access_choices, GiveAccess, PATIENT_RELATIONSHIPS};
use crate::components::{submitted_form, ErrorSummary, FormState, InputField, PostForm, RadioField};
use crate::pages::admin::listing;
use crate::pages::appointments::PatientFrame;
use crate::pages::proxies::ServicesField;
use leptos::prelude::*;

#[component]
pub fn GiveAccessPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| access_choices());
    let submitted = submitted_form();
    let give = ServerAction::<GiveAccess>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(give, submitted.get_value());
                    let error = form.error_signal();
                    listing(choices.await, move |levels| {
                        let levels: Vec<(&'static str, &'static str)> = levels
                            .into_iter()
                            .filter_map(|(value, _)| domain::services::RecordLevel::parse(&value))
                            .map(|level| (level.as_str(), level.label()))
                            .collect();
                        view! {
                            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                            <p>"Someone you trust, such as a family member or a carer, can use the services you choose for you from their own account. You can stop it at any time. The practice may check it before it starts."</p>
                            <PostForm form page="/people/give-access">
                                <InputField name="proxy_name" label="Their name" autocomplete="off" error/>
                                <InputField name="proxy_email" label="Their email address" hint="They use your services from the account with this email address." kind="email" autocomplete="off" error/>
                                <RadioField name="relationship" legend="Who they are to you" options=PATIENT_RELATIONSHIPS.to_vec() error/>
                                <ServicesField legend="What they may do for you" error/>
                                <RadioField name="record" legend="How much of your record they may see" options=levels error selected="none"/>
                                <InputField name="ends_on" label="Until (optional)" hint="The last day they can use it, for example 31/12/2027." width="nhsuk-input--width-10" error/>
                                <button class="nhsuk-button" type="submit">"Give access"</button>
                            </PostForm>
                            <p><a href="/people">"Back"</a></p>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Give someone access" body/> }
}
