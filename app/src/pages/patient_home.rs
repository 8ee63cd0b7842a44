//! `/home`: where a patient lands after signing in.

use crate::api::patient_home::patient_home;
use crate::pages::admin::listing;
use crate::pages::appointments::PatientFrame;
use leptos::prelude::*;

/// `/home`: the patient's next appointment and unread messages at a glance,
/// and a card for each service they have (none for a service the practice
/// or their own settings switch off).
#[component]
pub fn PatientHomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| patient_home());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(home.await, |h| {
                        let nothing = h.appointments.is_none() && h.unread_messages.is_none();
                        view! {
                            <p class="nhsuk-lede-text">{h.name.clone()}</p>
                            <ul class="nhsuk-list">
                                {h.appointments.map(|next| view! {
                                    <li>
                                        <div class="nhsuk-card nhsuk-card--clickable">
                                            <div class="nhsuk-card__content">
                                                <h2 class="nhsuk-card__heading nhsuk-heading-m"><a class="nhsuk-card__link" href="/appointments">"Appointments"</a></h2>
                                                {match next {
                                                    Some(a) => view! { <p class="nhsuk-card__description">{format!("Your next appointment: {}, {}.", a.what, a.when)}</p> }.into_any(),
                                                    None => view! { <p class="nhsuk-card__description">"You have no upcoming appointments. Book one online."</p> }.into_any(),
                                                }}
                                            </div>
                                        </div>
                                    </li>
                                })}
                                {h.unread_messages.map(|unread| view! {
                                    <li>
                                        <div class="nhsuk-card nhsuk-card--clickable">
                                            <div class="nhsuk-card__content">
                                                <h2 class="nhsuk-card__heading nhsuk-heading-m"><a class="nhsuk-card__link" href="/messages">"Messages"</a></h2>
                                                <p class="nhsuk-card__description">{match unread {
                                                    0 => "No new replies. Ask the practice a question that can wait.".to_owned(),
                                                    1 => "1 conversation has a new reply.".to_owned(),
                                                    n => format!("{n} conversations have new replies."),
                                                }}</p>
                                            </div>
                                        </div>
                                    </li>
                                })}
                            </ul>
                            {nothing.then(|| view! {
                                <p>"The practice has not switched on any online services for you. Contact the practice to ask about them."</p>
                            })}
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Home" body/> }
}
