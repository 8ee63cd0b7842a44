//! The patient's repeat prescriptions: their medicines and what each can be
//! ordered as today, ordering (choose, note, pharmacy, check, confirm), and
//! their requests with one timeline per item. Every step works without
//! JavaScript.

use crate::api::prescriptions::{
    my_medicines, my_requests, CancelRequest, CheckOrder, MedicineList, OrderDraft, PlaceOrder, RequestView,
};
use crate::components::live_requests::REQUESTS_ID;
use crate::components::{
    submitted_form, summary_row, ErrorSummary, FormState, InputField, LiveRequests, PostForm, TextareaField,
};
use crate::error::AppError;
use crate::pages::admin::listing;
use crate::pages::appointments::PatientFrame;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/prescriptions`: the patient's repeat medicines, each with whether it
/// can be ordered now, and if not why (and from when).
#[component]
pub fn PrescriptionsPage() -> impl IntoView {
    let medicines = Resource::new(|| (), |_| my_medicines());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(medicines.await, |m| view! {
                        <p>{format!("Prescriptions are {}.", m.promise)}</p>
                        <div class="gp-actions">
                            {m.items.iter().any(|i| i.can_order).then(|| view! {
                                <a class="nhsuk-button" href="/prescriptions/order">"Order repeat prescriptions"</a>
                            })}
                            <a class="nhsuk-button nhsuk-button--secondary" href="/prescriptions/requests">"Your requests"</a>
                        </div>
                        <h2>"Your repeat medicines"</h2>
                        {if m.items.is_empty() {
                            view! { <p>"You have no repeat medicines you can see online."</p> }.into_any()
                        } else {
                            m.items.into_iter().map(|item| view! {
                                <div class="nhsuk-card">
                                    <div class="nhsuk-card__content">
                                        <h3 class="nhsuk-card__heading nhsuk-heading-s">{item.name}</h3>
                                        <p class="nhsuk-body-s">{format!("{}. {}", item.dosage, item.quantity)}</p>
                                        <p class="nhsuk-body-s"><strong>{if item.can_order { "You can order this" } else { "You cannot order this online now" }}</strong></p>
                                        {item.message.map(|m| view! { <p class="nhsuk-body-s">{m}</p> })}
                                    </div>
                                </div>
                            }).collect_view().into_any()
                        }}
                        <p>"If a medicine is missing or wrong, contact the practice."</p>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Your prescriptions" body/> }
}

/// `/prescriptions/order`: choose what to order, add a note, confirm the
/// pharmacy; then check your answers and confirm. Each step is posted and
/// the page answers in place.
#[component]
pub fn OrderPage() -> impl IntoView {
    let medicines = Resource::new(|| (), |_| my_medicines());
    let submitted = submitted_form();
    let (check, place) = (ServerAction::<CheckOrder>::new(), ServerAction::<PlaceOrder>::new());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let check = FormState::new(check, submitted.get_value());
                    let place = FormState::new(place, submitted.get_value());
                    listing(medicines.await, move |m| {
                        if let Some(error) = place.error() {
                            // Placing it was refused: check your answers again, with why.
                            let ids = place.values("items[]");
                            let draft = OrderDraft {
                                items: m.items.iter().filter(|i| ids.contains(&i.id.to_string())).map(|i| (i.id.to_string(), i.name.clone())).collect(),
                                note: place.value("note"),
                                pharmacy: place.value("pharmacy"),
                                order_key: place.value("order_key"),
                                editing: false,
                            };
                            return view! { <CheckOrderAnswers draft place error=Some(error)/> }.into_any();
                        }
                        match check.output() {
                            Some(draft) if !draft.editing => view! { <CheckOrderAnswers draft place error=None/> }.into_any(),
                            editing => view! { <ChooseMedicines list=m check editing/> }.into_any(),
                        }
                    })
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Order repeat prescriptions" body/> }
}

/// The first step: which medicines, a note, the pharmacy.
#[component]
fn ChooseMedicines(list: MedicineList, check: FormState<CheckOrder>, editing: Option<OrderDraft>) -> impl IntoView {
    let error = check.error_signal();
    let ticked: Vec<String> =
        editing.as_ref().map(|d| d.items.iter().map(|(id, _)| id.clone()).collect()).unwrap_or_default();
    let (note, pharmacy, key) = match editing {
        Some(d) => (d.note, d.pharmacy, d.order_key),
        None => (String::new(), list.pharmacy.clone(), list.order_key.clone()),
    };
    let items_error = move || {
        error.get().and_then(|e| e.field_errors().iter().find(|f| f.field == "items").map(|f| f.message.clone()))
    };
    let (orderable, not_now): (Vec<_>, Vec<_>) = list.items.into_iter().partition(|i| i.can_order);
    view! {
        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
        <PostForm form=check page="/prescriptions/order">
            <input type="hidden" name="order_key" value=key/>
            <div class=move || if items_error().is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                <fieldset class="nhsuk-fieldset" aria-describedby=move || items_error().map(|_| "items-error")>
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">"Which medicines do you need?"</legend>
                    {move || items_error().map(|m| view! {
                        <span class="nhsuk-error-message" id="items-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                    })}
                    <div class="nhsuk-checkboxes">
                        {orderable.into_iter().enumerate().map(|(n, item)| {
                            let id = if n == 0 { "items".to_owned() } else { format!("items-{}", item.id) };
                            let checked = ticked.contains(&item.id.to_string());
                            view! {
                                <div class="nhsuk-checkboxes__item">
                                    <input class="nhsuk-checkboxes__input" id=id.clone() name="items[]" type="checkbox" value=item.id.to_string() checked=checked/>
                                    <label class="nhsuk-label nhsuk-checkboxes__label" for=id>{item.name.clone()}</label>
                                    <div class="nhsuk-hint nhsuk-checkboxes__hint">{format!("{}. {}", item.dosage, item.quantity)}{item.message.map(|m| format!(" {m}"))}</div>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            {(list.note != "off").then(|| view! {
                <TextareaField name="note" label=if list.note == "required" { "A note for the practice" } else { "A note for the practice (optional)" } hint="Up to 500 characters, such as a change of pharmacy or a question about a medicine." error value=note/>
            })}
            <InputField name="pharmacy" label="Your pharmacy" hint="Where your prescription is sent. Leave it empty to collect it from the practice." error value=pharmacy/>
            <button class="nhsuk-button" type="submit">"Continue"</button>
        </PostForm>
        {(!not_now.is_empty()).then(|| view! {
            <h2>"Not available to order now"</h2>
            <ul class="nhsuk-list nhsuk-list--bullet">
                {not_now.into_iter().map(|item| view! { <li><strong>{item.name}</strong>": "{item.message.unwrap_or_default()}</li> }).collect_view()}
            </ul>
        })}
        <p><a href="/prescriptions">"Back to your prescriptions"</a></p>
    }
}

/// Check your answers, then confirm; or change the order.
#[component]
fn CheckOrderAnswers(draft: OrderDraft, place: FormState<PlaceOrder>, error: Option<AppError>) -> impl IntoView {
    let hidden = {
        let draft = draft.clone();
        move || {
            view! {
                {draft.items.iter().map(|(id, _)| view! { <input type="hidden" name="items[]" value=id.clone()/> }).collect_view()}
                <input type="hidden" name="note" value=draft.note.clone()/>
                <input type="hidden" name="pharmacy" value=draft.pharmacy.clone()/>
                <input type="hidden" name="order_key" value=draft.order_key.clone()/>
            }
        }
    };
    let hidden_again = hidden.clone();
    let change = FormState::new(ServerAction::<CheckOrder>::new(), None);
    view! {
        {error.map(|error| view! { <ErrorSummary error/> })}
        <h2>"Check your order"</h2>
        <dl class="nhsuk-summary-list">
            {summary_row("Medicines", view! {
                <ul class="nhsuk-list">{draft.items.iter().map(|(_, name)| view! { <li>{name.clone()}</li> }).collect_view()}</ul>
            })}
            {summary_row("Note", if draft.note.is_empty() { "None".to_owned() } else { draft.note.clone() })}
            {summary_row("Pharmacy", if draft.pharmacy.is_empty() { "Collect from the practice".to_owned() } else { draft.pharmacy.clone() })}
        </dl>
        <PostForm form=change page="/prescriptions/order">
            {hidden()}
            <input type="hidden" name="change" value="yes"/>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Change your order"</button>
        </PostForm>
        <PostForm form=place page="/prescriptions/order">
            {hidden_again()}
            <button class="nhsuk-button" type="submit">"Confirm and order"</button>
        </PostForm>
    }
}

/// One request: when, when expected, and each item's timeline.
#[component]
fn RequestCard(request: RequestView, cancel: FormState<CancelRequest>) -> impl IntoView {
    let id = request.id;
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-s">{format!("Requested {}", request.requested)}</h3>
                <p class="nhsuk-body-s">{request.expected.clone()}</p>
                {request.note.clone().map(|note| view! { <p class="nhsuk-body-s">"Your note: "{note}</p> })}
                {request.items.into_iter().map(|item| view! {
                    <h4 class="nhsuk-heading-xs">{item.name}": "{item.status}</h4>
                    {item.detail.map(|d| view! { <p class="nhsuk-body-s">{d}</p> })}
                    <ol class="nhsuk-list gp-timeline">
                        {item.timeline.into_iter().map(|step| view! { <li>{step.status}", "{step.when}</li> }).collect_view()}
                    </ol>
                }).collect_view()}
                {(!request.messages.is_empty()).then(|| view! {
                    <h4 class="nhsuk-heading-xs">"Messages about this request"</h4>
                    <crate::pages::messages::MessageList messages=request.messages.clone()/>
                    {request.thread.map(|t| view! { <p><a href=format!("/messages/{t}")>"Reply to the practice"</a></p> })}
                })}
                {request.can_cancel.then(|| view! {
                    <PostForm form=cancel page="/prescriptions/requests">
                        <input type="hidden" name="request_id" value=id.to_string()/>
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Cancel this request"</button>
                    </PostForm>
                })}
            </div>
        </div>
    }
}

/// `/prescriptions/requests`: every request, newest first, one timeline per item.
#[component]
pub fn RequestsPage() -> impl IntoView {
    let query = use_query_map();
    let ordered = move || query.read().get("ordered").is_some();
    let cancelled = move || query.read().get("cancelled").is_some();
    let requests = Resource::new(move || (ordered(), cancelled()), |_| my_requests());
    let submitted = submitted_form();
    let cancel = ServerAction::<CancelRequest>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let cancel = FormState::new(cancel, submitted.get_value());
                    listing(requests.await, move |requests| view! {
                        {cancel.error().map(|error| view! { <ErrorSummary error/> })}
                        {ordered().then(|| view! {
                            <div class="nhsuk-panel">
                                <h2 class="nhsuk-panel__title">"Request sent"</h2>
                                <div class="nhsuk-panel__body">"We will email you when it changes."</div>
                            </div>
                        })}
                        {cancelled().then(|| view! { <div class="nhsuk-inset-text" role="status"><p>"Your request is cancelled."</p></div> })}
                        <LiveRequests>
                            <div id=REQUESTS_ID>
                                {if requests.is_empty() {
                                    view! { <p>"You have not ordered any prescriptions online yet."</p> }.into_any()
                                } else {
                                    requests.into_iter().map(|request| view! { <RequestCard request cancel/> }).collect_view().into_any()
                                }}
                            </div>
                        </LiveRequests>
                        <p><a href="/prescriptions">"Back to your prescriptions"</a></p>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Your prescription requests" body/> }
}
