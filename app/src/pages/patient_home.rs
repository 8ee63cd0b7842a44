//! `/home`: where a patient lands after signing in.

use crate::api::patient_home::patient_home;
use crate::pages::admin::listing;
use crate::pages::appointments::PatientFrame;
use leptos::prelude::*;

/// One service's card: its name as a link over the whole card, and what is
/// new in it.
fn service_card(name: &'static str, href: &'static str, news: String) -> impl IntoView {
    view! {
        <li>
            <div class="nhsuk-card nhsuk-card--clickable">
                <div class="nhsuk-card__content">
                    <h2 class="nhsuk-card__heading nhsuk-heading-m"><a class="nhsuk-card__link" href=href>{name}</a></h2>
                    <p class="nhsuk-card__description">{news}</p>
                </div>
            </div>
        </li>
    }
}

/// "1 request is being dealt with", "2 requests are…", or what to say for none.
fn counted(n: usize, one: &str, many: &str, none: &str) -> String {
    match n {
        0 => none.to_owned(),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// `/home`: the patient's next appointment, requests being dealt with and
/// unread messages at a glance, a card for each service they have (none for
/// a service the practice or their own settings switch off).
#[component]
pub fn PatientHomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| patient_home());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(home.await, |h| {
                        let nothing = h.appointments.is_none()
                            && h.prescriptions.is_none()
                            && h.unread_messages.is_none()
                            && h.record.is_none();
                        view! {
                            <p class="nhsuk-lede-text">{h.name.clone()}</p>
                            <ul class="nhsuk-list">
                                {h.appointments.map(|next| service_card("Appointments", "/appointments", match next {
                                    Some(a) => format!("Your next appointment: {}, {}.", a.what, a.when),
                                    None => "You have no upcoming appointments. Book one online.".to_owned(),
                                }))}
                                {h.prescriptions.map(|open| service_card("Prescriptions", "/prescriptions", counted(
                                    open,
                                    "request is being dealt with.",
                                    "requests are being dealt with.",
                                    "Order your repeat medicines and see where they are.",
                                )))}
                                {h.unread_messages.map(|unread| service_card("Messages", "/messages", counted(
                                    unread,
                                    "conversation has a new reply.",
                                    "conversations have new replies.",
                                    "No new replies. Ask the practice a question that can wait.",
                                )))}
                                {h.record.clone().map(|shows| service_card("Your record", "/record", shows))}
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
