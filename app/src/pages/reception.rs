//! Reception books and cancels for a patient.

use crate::api::appointments::SlotChoice;
use crate::api::reception::{
    load_reception_slot, patient_appointments, reception_slots, BookForPatient, CancelForPatient, ROUTES,
};
use crate::components::live::LIST_ID;
use crate::components::{id_param, submitted_form, ErrorSummary, FormState, LiveSlotList, PostForm, RadioField};
use crate::pages::admin::{listing, AdminPage};
use crate::pages::appointments::{AppointmentCard, SlotSummary};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Staff see the internal name beside the one patients see.
fn staff_names(slots: Vec<SlotChoice>) -> Vec<SlotChoice> {
    slots
        .into_iter()
        .map(|s| SlotChoice { name: format!("{} ({})", s.internal_name.clone().unwrap_or_default(), s.name), ..s })
        .collect()
}

/// `/admin/patients/{patient}/appointments`: a patient's appointments; book or cancel for them.
#[component]
pub fn PatientAppointmentsPage() -> impl IntoView {
    let patient = id_param("patient");
    let query = use_query_map();
    let change = move || query.read().get("booked").or(query.read().get("cancelled"));
    let list = Resource::new(move || (patient(), change()), |(id, _)| patient_appointments(id));
    let submitted = submitted_form();
    let cancel = ServerAction::<CancelForPatient>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(cancel, submitted.get_value());
                    let error = form.error_signal();
                    listing(list.await, move |l| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        {query.read_untracked().get("booked").map(|_| view! { <div class="nhsuk-inset-text" role="status"><p>"Booked. The patient has been emailed."</p></div> })}
                        {query.read_untracked().get("cancelled").map(|_| view! { <div class="nhsuk-inset-text" role="status"><p>"Cancelled. The patient has been emailed."</p></div> })}
                        <h2>{l.patient_name.clone()}</h2>
                        <p>
                            <a class="nhsuk-button" href=format!("/admin/patients/{}/book", l.patient_id)>"Book an appointment"</a>
                        </p>
                        <p><a href=format!("/admin/patients/{}", l.patient_id)>"Back to their details"</a></p>
                        <h2>"Upcoming"</h2>
                        {if l.upcoming.is_empty() { view! { <p>"No upcoming appointments."</p> }.into_any() } else {
                            l.upcoming.into_iter().map(|a| {
                                let page = format!("/admin/patients/{}/appointments", l.patient_id);
                                let (patient_id, appointment_id) = (l.patient_id.to_string(), a.id.to_string());
                                // Open when this appointment's cancelling came back with a problem.
                                let this = appointment_id.clone();
                                let open = move || error.get().is_some() && form.value("appointment_id") == this;
                                view! {
                                    <AppointmentCard appointment=a.clone() link=false/>
                                    {a.cancellable.is_ok().then(|| view! {
                                        <details class="nhsuk-details" open=open>
                                            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Cancel this appointment"</span></summary>
                                            <div class="nhsuk-details__text">
                                                <PostForm form page=page>
                                                    <input type="hidden" name="patient_id" value=patient_id/>
                                                    <input type="hidden" name="appointment_id" value=appointment_id/>
                                                    <RadioField name="route" legend="How did the patient ask?" options=ROUTES.to_vec() error/>
                                                    <button class="nhsuk-button nhsuk-button--warning" type="submit">"Cancel appointment"</button>
                                                </PostForm>
                                            </div>
                                        </details>
                                    })}
                                }
                            }).collect_view().into_any()
                        }}
                        <h2>"Past and cancelled"</h2>
                        {if l.past.is_empty() { view! { <p>"None."</p> }.into_any() } else {
                            l.past.into_iter().map(|a| view! { <AppointmentCard appointment=a link=false/> }).collect_view().into_any()
                        }}
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Appointments" body/> }
}

/// `/admin/patients/{patient}/book`: every free slot of a day, bookable online or not.
#[component]
pub fn ReceptionBookPage() -> impl IntoView {
    let patient = id_param("patient");
    let query = use_query_map();
    let day = move || query.read().get("day").unwrap_or_default();
    let free = Resource::new(move || (patient(), day()), |(id, day)| reception_slots(id, day));
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(free.await, |d| {
                        let base = format!("/admin/patients/{}/book", d.patient_id);
                        view! {
                            <p>{format!("Booking for {}.", d.patient_name)}</p>
                            <p>
                                <a href=format!("{base}?day={}", d.previous_day)>"Previous day"</a>" · "
                                <a href=format!("{base}?day={}", d.next_day)>"Next day"</a>
                            </p>
                            <h2>{format!("Free on {}", d.day_label)}</h2>
                            <LiveSlotList><SlotList slots=staff_names(d.slots) base=base.clone()/></LiveSlotList>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Book an appointment" body/> }
}

/// `/admin/patients/{patient}/book/{slot}`: confirm, recording how the patient asked.
#[component]
pub fn ReceptionConfirmPage() -> impl IntoView {
    let patient = id_param("patient");
    let slot_id = id_param("slot");
    let slot = Resource::new(move || (patient(), slot_id()), |(p, s)| load_reception_slot(p, s));
    let submitted = submitted_form();
    let book = ServerAction::<BookForPatient>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(book, submitted.get_value());
                    let error = form.error_signal();
                    listing(slot.await, move |r| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        <p>{format!("Booking for {}.", r.patient_name)}</p>
                        <SlotSummary choice=r.slot.clone()/>
                        <PostForm form page=format!("/admin/patients/{}/book/{}", r.patient_id, r.slot.id)>
                            <input type="hidden" name="patient_id" value=r.patient_id.to_string()/>
                            <input type="hidden" name="slot_id" value=r.slot.id.to_string()/>
                            <RadioField name="route" legend="How did the patient ask?" options=ROUTES.to_vec() error/>
                            <button class="nhsuk-button" type="submit">"Book appointment"</button>
                        </PostForm>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Book an appointment" body/> }
}

/// Slots grouped by day, each a link to choose it at `{base}/{slot}`. Each
/// slot carries its id and how to announce it, for a [`LiveSlotList`].
#[component]
fn SlotList(slots: Vec<SlotChoice>, #[prop(into)] base: String) -> impl IntoView {
    if slots.is_empty() {
        return view! { <div id=LIST_ID><p>"No appointments match. Try another day or type, or contact the practice."</p></div> }
            .into_any();
    }
    let mut days: Vec<(String, Vec<SlotChoice>)> = Vec::new();
    for slot in slots {
        match days.last_mut() {
            Some((day, list)) if *day == slot.day => list.push(slot),
            _ => days.push((slot.day.clone(), vec![slot])),
        }
    }
    let days = days
        .into_iter()
        .map(|(day, list)| {
            view! {
                <h2 class="nhsuk-heading-m">{day}</h2>
                <ul class="nhsuk-list gp-slot-list">
                    {list.into_iter().map(|s| {
                        let link = format!("{base}/{}", s.id);
                        let label = format!("The {} appointment on {}", s.time, s.day);
                        view! {
                            <li class="gp-slot" data-slot=s.id.to_string() data-label=label>
                                <a href=link>
                                    <span class="gp-slot__time">{s.time.clone()}</span>
                                    " "<span class="gp-slot__name">{s.name.clone()}</span>
                                </a>
                                <span class="nhsuk-body-s gp-slot__detail">{s.channel.clone()}" with "{s.clinician.clone()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })
        .collect_view();
    view! { <div id=LIST_ID>{days}</div> }.into_any()
}
