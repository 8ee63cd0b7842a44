//! The appointment book for staff: the day's sessions, clinicians and types,
//! weekly rotas, and each session's slots.

use crate::api::appointments::Choice;
use crate::api::booking_rules::SaveOnlineOffer;
use crate::api::schedule::{
    load_rotas, load_schedule, load_schedule_setup, load_session, load_slot_type, AddClinician, AddRota, AddSession,
    AddSessionType, AddSlotType, CancelSession, CancelSlot, ChangeSessionLocation, ChangeSlot, ChangeSlotType,
    GenerateSessions, SetRotaActive, SlotTypeView, WEEKDAYS,
};
use crate::components::{
    id_param, saved_param, submitted_form, summary_row, CheckboxField, ErrorSummary, FormState, InputField, PostForm,
    RadioField,
};
use crate::error::AppError;
use crate::pages::admin::{listing, AdminPage};
use crate::pages::appointments::SelectField;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A notice that a change was saved, when the page comes back with `?saved=`.
fn saved_notice(saved: Option<String>, say: fn(&str) -> &'static str) -> impl IntoView {
    saved.map(|what| view! { <div class="nhsuk-inset-text" role="status"><p>{say(&what)}</p></div> })
}

fn weekdays() -> Vec<Choice> {
    WEEKDAYS.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect()
}

/// `/admin/schedule`: the sessions of a day, with how full each is.
#[component]
pub fn SchedulePage() -> impl IntoView {
    let query = use_query_map();
    let day = move || query.read().get("day").unwrap_or_default();
    let schedule = Resource::new(day, load_schedule);
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(schedule.await, |d| view! {
                        {d.can_manage.then(|| view! {
                            <ul class="nhsuk-list gp-admin-nav">
                                <li><a href="/admin/schedule/sessions/new">"Add a session"</a></li>
                                <li><a href="/admin/schedule/rotas">"Weekly rotas"</a></li>
                                <li><a href="/admin/schedule/setup">"Clinicians and appointment types"</a></li>
                            </ul>
                        })}
                        <h2>{d.day_label.clone()}</h2>
                        <p>
                            <a href=format!("/admin/schedule?day={}", d.previous_day)>"Previous day"</a>" · "
                            <a href=format!("/admin/schedule?day={}", d.next_day)>"Next day"</a>
                        </p>
                        {if d.sessions.is_empty() {
                            view! { <p>"No sessions on this day."</p> }.into_any()
                        } else {
                            view! {
                                <div class="gp-table-scroll" tabindex="0" role="region" aria-label="Sessions">
                                    <table class="nhsuk-table">
                                        <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                                            <th class="nhsuk-table__header" scope="col">"Times"</th>
                                            <th class="nhsuk-table__header" scope="col">"Clinician"</th>
                                            <th class="nhsuk-table__header" scope="col">"Session"</th>
                                            <th class="nhsuk-table__header" scope="col">"Booked"</th>
                                        </tr></thead>
                                        <tbody class="nhsuk-table__body">
                                            {d.sessions.into_iter().map(|s| {
                                                let link = d.can_manage.then(|| format!("/admin/schedule/sessions/{}", s.id));
                                                view! {
                                                    <tr class="nhsuk-table__row">
                                                        <td class="nhsuk-table__cell">{match link {
                                                            Some(href) => view! { <a href=href>{s.times.clone()}</a> }.into_any(),
                                                            None => s.times.clone().into_any(),
                                                        }}</td>
                                                        <td class="nhsuk-table__cell">{s.clinician.clone()}</td>
                                                        <td class="nhsuk-table__cell">{format!("{}, {}", s.session_type, s.location)}</td>
                                                        <td class="nhsuk-table__cell">{if s.cancelled { "Cancelled".to_owned() } else { format!("{} of {}", s.booked, s.slots) }}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Appointment book" body/> }
}

/// The fields of a slot type, empty or filled.
#[component]
fn SlotTypeFields(
    #[prop(optional)] current: Option<SlotTypeView>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let c = current.unwrap_or(SlotTypeView {
        id: 0,
        internal_name: String::new(),
        patient_name: String::new(),
        description: String::new(),
        channel: "in_person".into(),
        channel_label: String::new(),
        category: "routine".into(),
        category_label: String::new(),
        minutes: 10,
        online: String::new(),
        warning: None,
        bookable_online: false,
        held_back: false,
        release_days: String::new(),
        release_at: String::new(),
        capped: false,
        cap_count: String::new(),
        cap_days: String::new(),
    });
    let channels = domain::appointments::Channel::ALL.iter().map(|c| (c.as_str(), c.label())).collect::<Vec<_>>();
    let categories = domain::appointments::Category::ALL.iter().map(|c| (c.as_str(), c.label())).collect::<Vec<_>>();
    view! {
        <InputField name="internal_name" label="Name staff see" hint="For example, NURSE20" error value=c.internal_name/>
        <InputField name="patient_name" label="Name patients see"
            hint="Say what it is for and who it is with, for example \"Asthma review with the practice nurse, 20 minutes\"" error value=c.patient_name/>
        <InputField name="description" label="Description for patients (optional)" error value=c.description/>
        <RadioField name="channel" legend="How it happens" options=channels error selected=c.channel/>
        <RadioField name="category" legend="Kind" options=categories error selected=c.category/>
        <InputField name="minutes" label="Length in minutes" width="nhsuk-input--width-4" error value=c.minutes.to_string()/>
    }
}

/// `/admin/schedule/setup`: clinicians, session types and slot types.
#[component]
pub fn ScheduleSetupPage() -> impl IntoView {
    let saved = saved_param();
    let setup = Resource::new(saved, |_| load_schedule_setup());
    let submitted = submitted_form();
    let clinician = ServerAction::<AddClinician>::new();
    let session_type = ServerAction::<AddSessionType>::new();
    let slot_type = ServerAction::<AddSlotType>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let submitted = submitted.get_value();
                    let clinician_form = FormState::new(clinician, submitted.clone());
                    let session_form = FormState::new(session_type, submitted.clone());
                    let slot_form = FormState::new(slot_type, submitted);
                    let (clinician_error, session_error, slot_type_error) = (clinician_form.error_signal(), session_form.error_signal(), slot_form.error_signal());
                    let roles = domain::appointments::ClinicianRole::ALL.iter().map(|r| (r.as_str(), r.label())).collect::<Vec<_>>();
                    listing(setup.await, move |s| view! {
                        {move || clinician_error.get().or(session_error.get()).or(slot_type_error.get()).map(|error| view! { <ErrorSummary error/> })}
                        {saved_notice(saved(), |_| "Saved.")}
                        <h2>"Appointment types"</h2>
                        <p>"Patients only ever see the patient name and description. Practice admins choose which types patients can book online."</p>
                        <ul class="nhsuk-list">
                            {s.slot_types.into_iter().map(|t| view! {
                                <li>
                                    <a href=format!("/admin/schedule/slot-types/{}", t.id)>{t.internal_name.clone()}</a>
                                    {format!(": \"{}\", {}, {} minutes. {}.", t.patient_name, t.channel_label, t.minutes, t.online)}
                                    {t.warning.map(|w| view! { " "<strong class="nhsuk-tag nhsuk-tag--orange">"Unclear name"</strong><span class="nhsuk-u-visually-hidden">{w}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                        <details class="nhsuk-details" open=move || slot_type_error.get().is_some()>
                            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Add an appointment type"</span></summary>
                            <div class="nhsuk-details__text">
                                <PostForm form=slot_form page="/admin/schedule/setup">
                                    <SlotTypeFields error=slot_type_error/>
                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add appointment type"</button>
                                </PostForm>
                            </div>
                        </details>
                        <h2>"Clinicians"</h2>
                        <ul class="nhsuk-list">
                            {s.clinicians.into_iter().map(|c| view! {
                                <li>{format!("{}, {}{}", c.name, c.role, if c.bookable_online { "" } else { " (not bookable online)" })}</li>
                            }).collect_view()}
                        </ul>
                        <details class="nhsuk-details" open=move || clinician_error.get().is_some()>
                            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Add a clinician"</span></summary>
                            <div class="nhsuk-details__text">
                                <PostForm form=clinician_form page="/admin/schedule/setup">
                                    <InputField name="name" label="Name as patients see it" hint="For example, Dr Ada Okafor" error=clinician_error/>
                                    <RadioField name="role" legend="Role" options=roles error=clinician_error/>
                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add clinician"</button>
                                </PostForm>
                            </div>
                        </details>
                        <h2>"Session types"</h2>
                        <ul class="nhsuk-list">
                            {s.session_types.into_iter().map(|(_, label)| view! { <li>{label}</li> }).collect_view()}
                        </ul>
                        <details class="nhsuk-details" open=move || session_error.get().is_some()>
                            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Add a session type"</span></summary>
                            <div class="nhsuk-details__text">
                                <PostForm form=session_form page="/admin/schedule/setup">
                                    <InputField name="session_internal_name" label="Name staff see" hint="For example, AM" error=session_error/>
                                    <InputField name="session_patient_name" label="Name patients see" hint="For example, Morning surgery" error=session_error/>
                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add session type"</button>
                                </PostForm>
                            </div>
                        </details>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Clinicians and appointment types" body/> }
}

/// `/admin/schedule/slot-types/{slot_type}`: change a type; practice admins
/// also choose how it is offered online.
#[component]
pub fn SlotTypePage() -> impl IntoView {
    let id = id_param("slot_type");
    let saved = saved_param();
    let page = Resource::new(move || (id(), saved()), |(id, _)| load_slot_type(id));
    let submitted = submitted_form();
    let change = ServerAction::<ChangeSlotType>::new();
    let offer = ServerAction::<SaveOnlineOffer>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let submitted = submitted.get_value();
                    let change_form = FormState::new(change, submitted.clone());
                    let offer_form = FormState::new(offer, submitted);
                    let (change_error, offer_error) = (change_form.error_signal(), offer_form.error_signal());
                    listing(page.await, move |p| {
                        let t = p.slot_type.clone();
                        let release = if t.held_back { "held" } else { "when_created" };
                        view! {
                            {move || change_error.get().or(offer_error.get()).map(|error| view! { <ErrorSummary error/> })}
                            {saved_notice(saved(), |_| "Saved.")}
                            <h2>{t.internal_name.clone()}</h2>
                            {t.warning.clone().map(|w| view! {
                                <div class="nhsuk-warning-callout">
                                    <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Unclear name"</span></h3>
                                    <p>{w}</p>
                                </div>
                            })}
                            <dl class="nhsuk-summary-list">{summary_row("Online", t.online.clone())}</dl>
                            {p.can_set_online.then({ let t = t.clone(); move || view! {
                                <h2>"Booking online"</h2>
                                <PostForm form=offer_form page=format!("/admin/schedule/slot-types/{}", t.id)>
                                    <input type="hidden" name="slot_type_id" value=t.id.to_string()/>
                                    <div class="nhsuk-form-group"><div class="nhsuk-checkboxes">
                                        <CheckboxField name="bookable" label="Patients can book this type online" checked=t.bookable_online/>
                                    </div></div>
                                    <RadioField name="release" legend="When slots of this type can be booked online"
                                        options=vec![("when_created", "As soon as they are in the book"), ("held", "Held back, and released at a set time")]
                                        error=offer_error selected=release/>
                                    <InputField name="release_days" label="Released how many days before the appointment (0 for the same day)" width="nhsuk-input--width-4" error=offer_error value=t.release_days.clone()/>
                                    <InputField name="release_at" label="Released at (UK time)" hint="For example, 08:00" width="nhsuk-input--width-5" error=offer_error value=t.release_at.clone()/>
                                    <InputField name="cap_count" label="Most of this type one patient can hold (optional)" width="nhsuk-input--width-4" error=offer_error value=t.cap_count.clone()/>
                                    <InputField name="cap_days" label="Within how many days" width="nhsuk-input--width-4" error=offer_error value=t.cap_days.clone()/>
                                    <button class="nhsuk-button" type="submit">"Save online booking"</button>
                                </PostForm>
                            }})}
                            <h2>"Change the type"</h2>
                            <PostForm form=change_form page=format!("/admin/schedule/slot-types/{}", t.id)>
                                <input type="hidden" name="slot_type_id" value=t.id.to_string()/>
                                <SlotTypeFields current=t.clone() error=change_error/>
                                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Save changes"</button>
                            </PostForm>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Appointment type" body/> }
}

/// `/admin/schedule/rotas`: weekly patterns, and making their sessions.
#[component]
pub fn RotasPage() -> impl IntoView {
    let query = use_query_map();
    let saved = move || query.read().get("saved").or(query.read().get("made"));
    let made = move || query.read().get("made");
    let rotas = Resource::new(saved, |_| load_rotas());
    let submitted = submitted_form();
    let add = ServerAction::<AddRota>::new();
    let generate = ServerAction::<GenerateSessions>::new();
    let switch = ServerAction::<SetRotaActive>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let submitted = submitted.get_value();
                    let add_form = FormState::new(add, submitted.clone());
                    let generate_form = FormState::new(generate, submitted.clone());
                    let switch_form = FormState::new(switch, submitted);
                    let (rota_error, generate_error) = (add_form.error_signal(), generate_form.error_signal());
                    listing(rotas.await, move |r| view! {
                        {move || rota_error.get().or(generate_error.get()).map(|error| view! { <ErrorSummary error/> })}
                        {made().map(|n| view! { <div class="nhsuk-inset-text" role="status"><p>{format!("{n} sessions added to the book.")}</p></div> })}
                        {(made().is_none()).then(|| saved_notice(saved(), |_| "The rota is saved."))}
                        {if r.rotas.is_empty() {
                            view! { <p>"No weekly rotas yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="nhsuk-list gp-slot-list">
                                    {r.rotas.clone().into_iter().map(|x| view! {
                                        <li class="gp-slot">
                                            {format!("{}, {}: {} ({}), {} slots, {}{}", x.weekday, x.times, x.clinician, x.session_type, x.slot_type, x.location, if x.active { "" } else { " (stopped)" })}
                                            <PostForm form=switch_form page="/admin/schedule/rotas">
                                                <input type="hidden" name="rota_id" value=x.id.to_string()/>
                                                <input type="hidden" name="active" value=if x.active { "no" } else { "yes" }/>
                                                <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small gp-button--inline" type="submit">
                                                    {if x.active { "Stop" } else { "Restart" }}
                                                </button>
                                            </PostForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2>"Add sessions to the book"</h2>
                        <PostForm form=generate_form page="/admin/schedule/rotas">
                            <InputField name="from" label="From" hint="For example, 04/05/2026" width="nhsuk-input--width-10" error=generate_error/>
                            <InputField name="weeks" label="For how many weeks (up to 8)" width="nhsuk-input--width-4" error=generate_error value="4".to_owned()/>
                            <p class="nhsuk-body-s">"Days that already have a rota's session are left as they are."</p>
                            <button class="nhsuk-button" type="submit">"Add sessions"</button>
                        </PostForm>
                        <h2>"Add a weekly rota"</h2>
                        <PostForm form=add_form page="/admin/schedule/rotas">
                            <SelectField name="clinician" label="Clinician" options=r.clinicians.clone() selected="" any="Choose" error=rota_error/>
                            <SelectField name="session_type" label="Session type" options=r.session_types.clone() selected="" any="Choose" error=rota_error/>
                            <SelectField name="slot_type" label="Slot type" options=r.slot_types.clone() selected="" any="Choose" error=rota_error/>
                            <SelectField name="weekday" label="Day of the week" options=weekdays() selected="" any="Choose" error=rota_error/>
                            <InputField name="start" label="Starts at" hint="For example, 08:30" width="nhsuk-input--width-5" error=rota_error/>
                            <InputField name="end" label="Ends at" hint="For example, 12:00" width="nhsuk-input--width-5" error=rota_error/>
                            <InputField name="location" label="Where" hint="For example, Room 3, ground floor" error=rota_error/>
                            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add rota"</button>
                        </PostForm>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Weekly rotas" body/> }
}

/// `/admin/schedule/sessions/new`: one session on one day.
#[component]
pub fn NewSessionPage() -> impl IntoView {
    let choices = Resource::new(|| (), |_| load_rotas());
    let submitted = submitted_form();
    let add = ServerAction::<AddSession>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(add, submitted.get_value());
                    let error = form.error_signal();
                    let value = move |name: &str| form.value(name);
                    listing(choices.await, move |r| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        <PostForm form page="/admin/schedule/sessions/new">
                            <SelectField name="clinician" label="Clinician" options=r.clinicians.clone() selected=value("clinician") any="Choose" error/>
                            <SelectField name="session_type" label="Session type" options=r.session_types.clone() selected=value("session_type") any="Choose" error/>
                            <SelectField name="slot_type" label="Slot type" options=r.slot_types.clone() selected=value("slot_type") any="Choose" error/>
                            <InputField name="day" label="Day" hint="For example, 05/05/2026" width="nhsuk-input--width-10" error value=value("day")/>
                            <InputField name="start" label="Starts at" hint="For example, 08:30" width="nhsuk-input--width-5" error value=value("start")/>
                            <InputField name="end" label="Ends at" hint="For example, 12:00" width="nhsuk-input--width-5" error value=value("end")/>
                            <InputField name="location" label="Where" hint="For example, Room 3, ground floor" error value=value("location")/>
                            <button class="nhsuk-button" type="submit">"Add session"</button>
                        </PostForm>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Add a session" body/> }
}

/// `/admin/schedule/sessions/{session}`: a session's slots; change where it
/// is, cancel a slot or the whole session (booked patients are emailed).
#[component]
pub fn SessionPage() -> impl IntoView {
    let id = id_param("session");
    let saved = saved_param();
    let session = Resource::new(move || (id(), saved()), |(id, _)| load_session(id));
    let submitted = submitted_form();
    let location = ServerAction::<ChangeSessionLocation>::new();
    let cancel = ServerAction::<CancelSession>::new();
    let cancel_one = ServerAction::<CancelSlot>::new();
    let change_one = ServerAction::<ChangeSlot>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let submitted = submitted.get_value();
                    let location_form = FormState::new(location, submitted.clone());
                    let cancel_form = FormState::new(cancel, submitted.clone());
                    let slot_form = FormState::new(cancel_one, submitted.clone());
                    let change_form = FormState::new(change_one, submitted);
                    let (location_error, cancel_error, slot_error) = (location_form.error_signal(), cancel_form.error_signal(), slot_form.error_signal());
                    let change_error = change_form.error_signal();
                    listing(session.await, move |detail| {
                        let summary = detail.session.clone();
                        let page = format!("/admin/schedule/sessions/{}", summary.id);
                        view! {
                            {move || location_error.get().or(cancel_error.get()).or(slot_error.get()).or(change_error.get()).map(|error| view! { <ErrorSummary error/> })}
                            {saved_notice(saved(), |what| match what {
                                "cancelled" => "The session is cancelled. Patients who were booked have been emailed.",
                                "slot" => "The slot is cancelled. A patient who was booked has been emailed.",
                                "changed" => "The slot's type is changed.",
                                _ => "Saved.",
                            })}
                            <dl class="nhsuk-summary-list">
                                {summary_row("Day", summary.day.clone())}
                                {summary_row("Times", summary.times.clone())}
                                {summary_row("Clinician", summary.clinician.clone())}
                                {summary_row("Session type", summary.session_type.clone())}
                                {summary_row("Where", summary.location.clone())}
                                {summary_row("Booked", if summary.cancelled { "Cancelled".to_owned() } else { format!("{} of {}", summary.booked, summary.slots) })}
                            </dl>
                            <h2>"Slots"</h2>
                            <ul class="nhsuk-list gp-slot-list">
                                {detail.slots.into_iter().map(|row| {
                                    let state = if row.cancelled { "Cancelled".to_owned() } else { row.slot.booked_by.clone().map(|p| format!("Booked: {p}")).unwrap_or_else(|| "Free".into()) };
                                    let can_cancel = !row.cancelled;
                                    let can_change = !row.cancelled && row.slot.booked_by.is_none();
                                    let types = detail.slot_types.clone();
                                    let change_page = page.clone();
                                    let (change_session, change_slot) = (summary.id.to_string(), row.slot.id.to_string());
                                    let select_id = format!("slot-type-{}", row.slot.id);
                                    let current_type = row.slot_type_id.to_string();
                                    let page = page.clone();
                                    let slot_id = row.slot.id.to_string();
                                    let session_id = summary.id.to_string();
                                    view! {
                                        <li class="gp-slot">
                                            <span class="gp-slot__time">{row.slot.time.clone()}</span>" "
                                            <span>{format!("{}: {}", row.slot.internal_name.clone().unwrap_or_default(), state)}</span>
                                            {can_change.then(|| view! {
                                                <details class="nhsuk-details gp-slot__change">
                                                    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Change type"</span></summary>
                                                    <div class="nhsuk-details__text">
                                                        <PostForm form=change_form page=change_page>
                                                            <input type="hidden" name="session_id" value=change_session/>
                                                            <input type="hidden" name="slot_id" value=change_slot/>
                                                            <label class="nhsuk-label" for=select_id.clone()>"Type of slot"</label>
                                                            <select class="nhsuk-select" id=select_id name="slot_type">
                                                                {types.into_iter().map(|(value, text)| {
                                    let current = value == current_type;
                                    view! { <option value=value selected=current>{text}</option> }
                                }).collect_view()}
                                                            </select>
                                                            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small gp-button--inline" type="submit">"Change"</button>
                                                        </PostForm>
                                                    </div>
                                                </details>
                                            })}
                                            {can_cancel.then(|| view! {
                                                <PostForm form=slot_form page=page>
                                                    <input type="hidden" name="session_id" value=session_id/>
                                                    <input type="hidden" name="slot_id" value=slot_id/>
                                                    <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small gp-button--inline" type="submit">"Cancel slot"</button>
                                                </PostForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {(!summary.cancelled).then(|| view! {
                                <h2>"Change where it is"</h2>
                                <PostForm form=location_form page=page.clone()>
                                    <input type="hidden" name="session_id" value=summary.id.to_string()/>
                                    <InputField name="location" label="Where" error=location_error value=summary.location.clone()/>
                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Save"</button>
                                </PostForm>
                                <h2>"Cancel the session"</h2>
                                <p>"Every slot is cancelled, and patients who were booked are emailed."</p>
                                <PostForm form=cancel_form page=page.clone()>
                                    <input type="hidden" name="session_id" value=summary.id.to_string()/>
                                    <button class="nhsuk-button nhsuk-button--warning" type="submit">"Cancel session"</button>
                                </PostForm>
                            })}
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Session" body/> }
}
