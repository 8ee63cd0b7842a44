//! `/people`: one sign-in, several people. The patient themself and each
//! person they act for; choosing one switches every page to them. Below,
//! the people who can act for the patient, what they did, and a way to stop
//! either.

use crate::api::people::{my_people, my_proxies, ActFor, EndAccess, MyProxy};
use crate::components::{submitted_form, ErrorSummary, FormState, PostForm};
use crate::pages::admin::listing;
use crate::pages::appointments::PatientFrame;
use leptos::prelude::*;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let people = Resource::new(|| (), |_| my_people());
    let submitted = submitted_form();
    let choose = ServerAction::<ActFor>::new();
    let proxies = Resource::new(|| (), |_| my_proxies());
    let ending = ServerAction::<EndAccess>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(choose, submitted.get_value());
                    let end = FormState::new(ending, submitted.get_value());
                    let error = form.error_signal();
                    let end_error = end.error_signal();
                    listing(people.await, move |people| view! {
                        {move || error.get().or_else(|| end_error.get()).map(|error| view! { <ErrorSummary error/> })}
                        <p>"Choose who you are using the services for. Every page then shows their appointments, prescriptions, messages and record, as far as you have access."</p>
                        <ul class="nhsuk-list">
                            {people.into_iter().map(|person| {
                                let stop = person.grant_id.map(|grant| (grant, format!("Stop acting for {}", person.name)));
                                view! {
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
                                        {stop.map(|(grant, label)| view! { <EndButton grant label end/> })}
                                    </div>
                                </li>
                            }}).collect_view()}
                        </ul>
                    }.into_any())
                })}
                {move || Suspend::new(async move {
                    let end = FormState::new(ending, submitted.get_value());
                    // None for a proxy: whom else the person trusts is not theirs to see.
                    proxies.await.ok().flatten().map(|mine| view! {
                        <h2>"People who can act for you"</h2>
                        {if mine.is_empty() {
                            view! { <p>"Nobody can use your services for you."</p> }.into_any()
                        } else {
                            view! {
                                <p>"They can use the services shown for you. You can stop their access at any time; the practice can help if you are worried about it."</p>
                                {mine.into_iter().map(|proxy| view! { <ProxyCard proxy end/> }).collect_view()}
                            }.into_any()
                        }}
                        <p><a class="nhsuk-button nhsuk-button--secondary" href="/people/give-access">"Give someone access"</a></p>
                    })
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Who are you acting for?" body/> }
}

/// Someone who can act for the patient: what they may do, what they did.
#[component]
fn ProxyCard(proxy: MyProxy, end: FormState<EndAccess>) -> impl IntoView {
    let count = proxy.deeds.len();
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-s">
                    {match &proxy.relationship {
                        Some(relationship) => format!("{} ({relationship})", proxy.name),
                        None => proxy.name.clone(),
                    }}
                </h3>
                <p class="nhsuk-card__description">{proxy.what}</p>
                {if count == 0 {
                    view! { <p>"They have not done anything for you yet."</p> }.into_any()
                } else {
                    view! {
                        <details class="nhsuk-details">
                            <summary class="nhsuk-details__summary">
                                <span class="nhsuk-details__summary-text">{format!("What they did ({count})")}</span>
                            </summary>
                            <div class="nhsuk-details__text">
                                <ul>{proxy.deeds.into_iter().map(|deed| view! { <li>{deed}</li> }).collect_view()}</ul>
                            </div>
                        </details>
                    }.into_any()
                }}
                <EndButton grant=proxy.grant_id label=format!("Stop access for {}", proxy.name) end/>
            </div>
        </div>
    }
}

/// Ends a grant, from either side.
#[component]
fn EndButton(grant: i64, label: String, end: FormState<EndAccess>) -> impl IntoView {
    view! {
        <PostForm form=end page="/people">
            <input type="hidden" name="grant_id" value=grant.to_string()/>
            <button class="nhsuk-button nhsuk-button--warning" type="submit">{label}</button>
        </PostForm>
    }
}
