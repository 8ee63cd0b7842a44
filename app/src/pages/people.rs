//! `/people`: one sign-in, several people. The patient themself and each
//! person they act for; choosing one switches every page to them.

use crate::api::people::{my_people, ActFor};
use crate::components::{submitted_form, ErrorSummary, FormState, PostForm};
use crate::pages::admin::listing;
use crate::pages::appointments::PatientFrame;
use leptos::prelude::*;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let people = Resource::new(|| (), |_| my_people());
    let submitted = submitted_form();
    let choose = ServerAction::<ActFor>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(choose, submitted.get_value());
                    let error = form.error_signal();
                    listing(people.await, move |people| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        <p>"Choose who you are using the services for. Every page then shows their appointments, prescriptions, messages and record, as far as you have access."</p>
                        <ul class="nhsuk-list">
                            {people.into_iter().map(|person| view! {
                                <li class="nhsuk-card">
                                    <div class="nhsuk-card__content">
                                        <h2 class="nhsuk-card__heading nhsuk-heading-s">{person.name.clone()}</h2>
                                        <p class="nhsuk-card__description">{person.what.clone()}</p>
                                        {if person.current {
                                            view! { <p><strong>"You are acting for them now."</strong></p> }.into_any()
                                        } else {
                                            view! {
                                                <PostForm form page="/people">
                                                    <input type="hidden" name="patient_id" value=person.id.to_string()/>
                                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit" aria-label=format!("Act for {}", person.name)>
                                                        "Choose"
                                                    </button>
                                                </PostForm>
                                            }.into_any()
                                        }}
                                    </div>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Who are you acting for?" body/> }
}
