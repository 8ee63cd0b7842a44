//! The patient's appointments: find, check, book, see and cancel.

use crate::api::account::load_account;
use crate::api::appointments::{
    load_appointment, load_slot, my_appointments, AppointmentView, BookAppointment, CancelAppointment, Choice,
    SlotChoice,
};
use crate::api::finder::{find_appointment, ChosenType, TypeChoice};
use crate::components::live::LIST_ID;
use crate::components::{
    id_param, submitted_form, summary_row, ErrorSummary, FormState, Layout, LiveSlotList, PostForm,
};
use crate::error::AppError;
use crate::pages::admin::listing;
use crate::pages::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The frame of a patient's page: their practice's name and who is signed in.
#[component]
pub(crate) fn PatientFrame<F, V>(title: &'static str, body: F) -> impl IntoView
where
    F: Fn() -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let account = Resource::new(|| (), |_| load_account());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match account.await {
                        Ok(a) => view! {
                            <Title text=format!("{title} - {}", a.practice_name)/>
                            <Layout service_name=a.practice_name.clone() signed_in_as=a.name.clone()>
                                {a.acting_for.clone().map(|name| view! {
                                    <div class="nhsuk-inset-text" role="region" aria-label="Who you are acting for">
                                        <p>"Acting for "<strong>{name}</strong>" — "<a href="/people">"switch person"</a></p>
                                    </div>
                                })}
                                <nav aria-label="Your services">
                                    <ul class="nhsuk-list gp-admin-nav">
                                        <li><a href="/home">"Home"</a></li>
                                        {a.appointments.then(|| view! { <li><a href="/appointments">"Appointments"</a></li> })}
                                        {a.prescriptions.then(|| view! { <li><a href="/prescriptions">"Prescriptions"</a></li> })}
                                        {a.messaging.then(|| view! { <li><a href="/messages">"Messages"</a></li> })}
                                        {a.record.then(|| view! { <li><a href="/record">"Your record"</a></li> })}
                                        {a.acts_for_others.then(|| view! { <li><a href="/people">"Switch person"</a></li> })}
                                        <li><a href="/account">"Your account"</a></li>
                                    </ul>
                                </nav>
                                <h1>{title}</h1>
                                {body()}
                            </Layout>
                        }.into_any(),
                        Err(error) => view! { <ErrorPage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A choice list for a GET filter form, keeping the choice made.
#[component]
pub(crate) fn SelectField(
    name: &'static str,
    label: &'static str,
    options: Vec<Choice>,
    #[prop(into)] selected: String,
    /// What "no choice" reads as, such as "Any day".
    any: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message =
        move || error.get().and_then(|e| e.field_errors().iter().find(|f| f.field == name).map(|f| f.message.clone()));
    view! {
        <div class=move || if message().is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <label class="nhsuk-label" for=name>{label}</label>
            {move || message().map(|m| view! {
                <span class="nhsuk-error-message" id=format!("{name}-error")>
                    <span class="nhsuk-u-visually-hidden">"Error: "</span>{m}
                </span>
            })}
            <select class="nhsuk-select" id=name name=name>
                <option value="">{any}</option>
                {options.into_iter().map(|(value, text)| {
                    let is = value == selected;
                    view! { <option value=value selected=is>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// `/appointments`: the patient's upcoming and past appointments.
#[component]
pub fn AppointmentsPage() -> impl IntoView {
    let query = use_query_map();
    let cancelled = move || query.read().get("cancelled").is_some();
    let list = Resource::new(cancelled, |_| my_appointments());
    let body = move || {
        view! {
            {cancelled().then(|| view! {
                <div class="nhsuk-inset-text" role="status"><p>"Your appointment is cancelled. We have emailed you to confirm."</p></div>
            })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(list.await, |l| view! {
                        <p><a class="nhsuk-button" href="/appointments/book">"Book an appointment"</a></p>
                        <h2>"Upcoming"</h2>
                        {if l.upcoming.is_empty() {
                            view! { <p>"You have no upcoming appointments."</p> }.into_any()
                        } else {
                            l.upcoming.into_iter().map(|a| view! { <AppointmentCard appointment=a link=true/> }).collect_view().into_any()
                        }}
                        <h2>"Past and cancelled"</h2>
                        {if l.past.is_empty() {
                            view! { <p>"None yet."</p> }.into_any()
                        } else {
                            l.past.into_iter().map(|a| view! { <AppointmentCard appointment=a link=false/> }).collect_view().into_any()
                        }}
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Your appointments" body/> }
}

/// One appointment in a list: when, what, with whom, where.
#[component]
pub(crate) fn AppointmentCard(appointment: AppointmentView, link: bool) -> impl IntoView {
    let a = appointment;
    let href = format!("/appointments/{}", a.id);
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-s">
                    {if link { view! { <a href=href>{a.when.clone()}</a> }.into_any() } else { a.when.clone().into_any() }}
                </h3>
                <p class="nhsuk-card__description">{a.name.clone()}" with "{a.clinician.clone()}</p>
                <p class="nhsuk-body-s">{a.channel.clone()}": "{a.location.clone()}</p>
                {a.internal_name.clone().map(|name| view! { <p class="nhsuk-body-s">"In the book as "{name}</p> })}
                <p class="nhsuk-body-s">{a.status.clone()}</p>
            </div>
        </div>
    }
}

/// `/appointments/book`: finding an appointment one thing at a time, as
/// links and GET forms (the same with or without JavaScript): what it is for,
/// then a day from a strip of dates, then a time. The times stay live.
#[component]
pub fn FindAppointmentPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &'static str| move || query.read().get(name).unwrap_or_default();
    let choices = move || (field("slot_type")(), field("clinician")(), field("channel")(), field("day")());
    let finder = Resource::new(choices, |(t, c, h, d)| find_appointment(t, c, h, d));
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match finder.await {
                        Ok(f) => view! {
                            {(!f.limits.is_empty()).then(|| view! {
                                <div class="nhsuk-inset-text">
                                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                                    <p>"Some appointments are not shown:"</p>
                                    <ul>{f.limits.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ul>
                                </div>
                            })}
                            {match f.chosen {
                                None => view! { <ChooseType types=f.types horizon_days=f.horizon_days/> }.into_any(),
                                Some(chosen) => view! { <ChooseTime chosen/> }.into_any(),
                            }}
                        }.into_any(),
                        Err(error @ AppError::Invalid(_)) => view! {
                            <ErrorSummary error/>
                            <p><a href="/appointments/book">"Start again"</a></p>
                        }.into_any(),
                        Err(error) => view! { <ErrorPage error/> }.into_any(),
                    }
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Book an appointment" body/> }
}

/// The first step: what the appointment is for, by the plain names.
#[component]
fn ChooseType(types: Vec<TypeChoice>, horizon_days: u32) -> impl IntoView {
    if types.is_empty() {
        return view! {
            <p>"There are no appointments you can book online at the moment. Contact the practice to book one."</p>
        }
        .into_any();
    }
    view! {
        <h2>"What is the appointment for?"</h2>
        <ul class="nhsuk-list gp-choices">
            {types.into_iter().map(|t| view! {
                <li>
                    <a class="gp-choice" href=format!("/appointments/book?slot_type={}", t.id)>
                        <span class="gp-choice__name">{t.name}</span>
                        {(!t.description.is_empty()).then(|| view! { <span class="gp-choice__detail">{t.description}</span> })}
                        <span class="gp-choice__detail">{format!("{}. First free: {}", t.channels, t.first_free)}</span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
        <p>{format!("You can book up to {horizon_days} days ahead.")}</p>
    }
    .into_any()
}

/// The address of the find page with these choices.
fn finder_address(chosen: &ChosenType, day: &str) -> String {
    let mut address = format!("/appointments/book?slot_type={}", chosen.id);
    for (name, value) in [("clinician", chosen.clinician.as_str()), ("channel", chosen.channel.as_str()), ("day", day)]
    {
        if !value.is_empty() {
            address.push_str(&format!("&{name}={value}"));
        }
    }
    address
}

/// The second and third steps: a day from the strip, then a time.
#[component]
fn ChooseTime(chosen: ChosenType) -> impl IntoView {
    let shown_day = chosen.day.as_ref().map(|d| d.value.clone()).unwrap_or_default();
    let no_error = Signal::derive(|| None::<AppError>);
    let day_links = chosen
        .days
        .iter()
        .map(|d| {
            let inside = view! {
                <span class="gp-day__weekday">{d.weekday.clone()}</span>
                <span class="gp-day__date">{d.date.clone()}</span>
                <span class="gp-day__free">{match d.free { 0 => "None free".to_owned(), 1 => "1 free".to_owned(), n => format!("{n} free") }}</span>
            };
            if d.free == 0 {
                view! { <li><span class="gp-day gp-day--full">{inside}</span></li> }.into_any()
            } else {
                let current = (d.value == shown_day).then_some("date");
                view! { <li><a class="gp-day" href=finder_address(&chosen, &d.value) aria-current=current>{inside}</a></li> }.into_any()
            }
        })
        .collect_view();
    let times = match &chosen.day {
        None => view! {
            <p>"There are no free times in the days you can book with these choices. Try anyone, or any way, or contact the practice."</p>
        }.into_any(),
        Some(day) => {
            let parts = chosen.parts.clone();
            view! {
                <h3>{format!("Times on {}", day.label)}</h3>
                <LiveSlotList>
                    <div id=LIST_ID>
                        {if parts.is_empty() {
                            view! { <p>"No free times are left on this day. Choose another day."</p> }.into_any()
                        } else {
                            parts.into_iter().map(|part| view! {
                                <h4 class="nhsuk-heading-xs">{part.label}</h4>
                                <ul class="nhsuk-list gp-times">
                                    {part.slots.into_iter().map(|s| {
                                        let label = format!("The {} appointment on {}", s.time, s.day);
                                        view! {
                                            <li data-slot=s.id.to_string() data-label=label>
                                                <a class="gp-time" href=format!("/appointments/book/{}", s.id)>
                                                    <span class="gp-time__at">{s.time.clone()}</span>
                                                    <span class="gp-time__detail">{format!("{}, {}", s.clinician, s.channel.to_lowercase())}</span>
                                                </a>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }).collect_view().into_any()
                        }}
                    </div>
                </LiveSlotList>
            }.into_any()
        }
    };
    view! {
        <p><a href="/appointments/book">"Choose a different type of appointment"</a></p>
        <h2>{chosen.name.clone()}</h2>
        {(!chosen.description.is_empty()).then(|| view! { <p>{chosen.description.clone()}</p> })}
        <details class="gp-filters" open=!chosen.clinician.is_empty() || !chosen.channel.is_empty()>
            <summary>"Who with and how"</summary>
            <form method="get" action="/appointments/book">
                <input type="hidden" name="slot_type" value=chosen.id.to_string()/>
                <SelectField name="clinician" label="Who with" options=chosen.clinicians.clone() selected=chosen.clinician.clone() any="Anyone" error=no_error/>
                {(chosen.channels.len() > 1).then(|| view! {
                    <SelectField name="channel" label="How" options=chosen.channels.clone() selected=chosen.channel.clone() any="Any way" error=no_error/>
                })}
                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Show times"</button>
            </form>
        </details>
        <h3 id="days-heading">"Choose a day"</h3>
        <ul class="gp-days" aria-labelledby="days-heading">{day_links}</ul>
        {times}
    }
}

/// The details of a slot as a summary list.
#[component]
pub(crate) fn SlotSummary(choice: SlotChoice) -> impl IntoView {
    view! {
        <dl class="nhsuk-summary-list">
            {summary_row("Appointment", choice.name.clone())}
            {(!choice.description.is_empty()).then(|| summary_row("About it", choice.description.clone()))}
            {summary_row("When", choice.when.clone())}
            {summary_row("With", choice.clinician.clone())}
            {summary_row("How", choice.channel.clone())}
            {summary_row("Where", choice.location.clone())}
        </dl>
    }
}

/// `/appointments/book/{slot}`: check your answers, then confirm.
#[component]
pub fn CheckAppointmentPage() -> impl IntoView {
    let id = id_param("slot");
    let slot = Resource::new(id, load_slot);
    let submitted = submitted_form();
    let book = ServerAction::<BookAppointment>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(book, submitted.get_value());
                    let error = form.error_signal();
                    match slot.await {
                        Ok(s) => view! {
                            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                            <h2>"Check your appointment"</h2>
                            <SlotSummary choice=s.clone()/>
                            <p>"We will email you to confirm. If you cannot come, cancel it so someone else can have it."</p>
                            <PostForm form page=format!("/appointments/book/{}", s.id)>
                                <input type="hidden" name="slot_id" value=s.id.to_string()/>
                                <button class="nhsuk-button" type="submit">"Confirm and book"</button>
                            </PostForm>
                            <p><a href="/appointments/book">"Choose a different appointment"</a></p>
                        }.into_any(),
                        Err(AppError::Conflict(message)) => view! {
                            <div class="nhsuk-inset-text" role="status"><p>{message}</p></div>
                            <p><a href="/appointments/book">"Choose a different appointment"</a></p>
                        }.into_any(),
                        Err(error) => view! { <ErrorPage error/> }.into_any(),
                    }
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Book an appointment" body/> }
}

/// `/appointments/{appointment}`: one appointment; the confirmation panel
/// after booking; cancel until the cut-off.
#[component]
pub fn AppointmentPage() -> impl IntoView {
    let id = id_param("appointment");
    let query = use_query_map();
    let booked = move || query.read().get("booked").is_some();
    let appointment = Resource::new(id, load_appointment);
    let submitted = submitted_form();
    let cancel = ServerAction::<CancelAppointment>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(cancel, submitted.get_value());
                    let error = form.error_signal();
                    listing(appointment.await, move |a| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        {(booked() && a.booked).then(|| view! {
                            <div class="nhsuk-panel">
                                <h2 class="nhsuk-panel__title">"Appointment booked"</h2>
                                <div class="nhsuk-panel__body">{a.when.clone()}</div>
                            </div>
                            <p>"We have sent a confirmation to your email address."</p>
                        })}
                        <dl class="nhsuk-summary-list">
                            {summary_row("Appointment", a.name.clone())}
                            {summary_row("When", a.when.clone())}
                            {summary_row("With", a.clinician.clone())}
                            {summary_row("How", a.channel.clone())}
                            {summary_row("Where", a.location.clone())}
                            {summary_row("Status", a.status.clone())}
                        </dl>
                        {match (a.booked && a.upcoming, a.cancellable.clone()) {
                            (true, Ok(())) => view! {
                                <h2>"Cannot come?"</h2>
                                <PostForm form page=format!("/appointments/{}", a.id)>
                                    <input type="hidden" name="appointment_id" value=a.id.to_string()/>
                                    <button class="nhsuk-button nhsuk-button--warning" type="submit">"Cancel this appointment"</button>
                                </PostForm>
                            }.into_any(),
                            (true, Err(why)) => view! { <p>{why}</p> }.into_any(),
                            _ => ().into_any(),
                        }}
                        <p><a href="/appointments">"Back to your appointments"</a></p>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Your appointment" body/> }
}
