//! Staff: the prescription queue, one request to decide and to record
//! collection, and the patients who have stopped ordering.

use crate::api::prescription_queue::{
    prescription_queue, staff_request, DecidePrescription, MessageAboutRequest, RecordStep, StaffItemView,
    REJECT_REASONS,
};
use crate::components::{
    id_param, submitted_form, summary_row, table_head, ErrorSummary, FormState, InputField, PostForm, TextareaField,
};
use crate::pages::admin::{listing, AdminPage};
use crate::pages::appointments::SelectField;
use crate::pages::messages::MessageList;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/admin/prescriptions`: requests waiting for a clinician, oldest first,
/// with their flags; and patients who seem to have stopped ordering.
#[component]
pub fn PrescriptionQueuePage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| prescription_queue());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(queue.await, |q| view! {
                        <h2>"Waiting for a clinician"</h2>
                        {if q.requests.is_empty() {
                            view! { <p>"No requests are waiting."</p> }.into_any()
                        } else {
                            view! {
                                <div class="gp-table-scroll" tabindex="0" role="region" aria-label="Requests waiting">
                                    <table class="nhsuk-table">
                                        {table_head(&["Patient", "Requested", "Promised by", "Flags"])}
                                        <tbody class="nhsuk-table__body">
                                            {q.requests.into_iter().map(|r| view! {
                                                <tr class="nhsuk-table__row">
                                                    <td class="nhsuk-table__cell"><a href=format!("/admin/prescriptions/{}", r.id)>{r.patient_name}</a></td>
                                                    <td class="nhsuk-table__cell">{r.requested}</td>
                                                    <td class="nhsuk-table__cell">{r.expected}</td>
                                                    <td class="nhsuk-table__cell">
                                                        {r.flags.into_iter().map(|f| view! { <strong class="nhsuk-tag nhsuk-tag--orange">{f}</strong>" " }).collect_view()}
                                                        {r.has_note.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--blue">"Note"</strong> })}
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <h2>"Stopped ordering"</h2>
                        <p>{format!("Patients whose supply ran out more than {} days ago with no order since.", q.margin_days)}</p>
                        {if q.stopped.is_empty() {
                            view! { <p>"Nobody."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="nhsuk-list">
                                    {q.stopped.into_iter().map(|s| view! {
                                        <li><a href=format!("/admin/patients/{}", s.patient_id)>{s.patient_name}</a>": "{s.medicine}", ran out "{s.ran_out}</li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Prescriptions" body/> }
}

/// `/admin/prescriptions/{request}`: the request with the patient's note and
/// current list; a clinician approves or rejects each item; staff record
/// collection of issued ones.
#[component]
pub fn StaffRequestPage() -> impl IntoView {
    let id = id_param("request");
    let query = use_query_map();
    let done = move || {
        let query = query.read();
        query.get("decided").or_else(|| query.get("recorded")).or_else(|| query.get("messaged"))
    };
    let request = Resource::new(move || (id(), done()), |(id, _)| staff_request(id));
    let submitted = submitted_form();
    let (decide, step) = (ServerAction::<DecidePrescription>::new(), ServerAction::<RecordStep>::new());
    let message = ServerAction::<MessageAboutRequest>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let decide = FormState::new(decide, submitted.get_value());
                    let step = FormState::new(step, submitted.get_value());
                    let message = FormState::new(message, submitted.get_value());
                    let message_error = message.error_signal();
                    let errors = [decide.error(), step.error(), message.error()];
                    listing(request.await, move |r| {
                        let page = format!("/admin/prescriptions/{}", r.id);
                        let pending = r.items.iter().filter(|i| i.pending).count();
                        view! {
                            {errors.into_iter().flatten().map(|error| view! { <ErrorSummary error/> }).collect_view()}
                            {done().map(|_| view! { <div class="nhsuk-inset-text" role="status"><p>"Saved. The patient is emailed that their request has changed."</p></div> })}
                            <dl class="nhsuk-summary-list">
                                {summary_row("Patient", view! { <a href=format!("/admin/patients/{}", r.patient_id)>{r.patient_name.clone()}</a> })}
                                {summary_row(r.identifier_label.clone(), r.identifier.clone())}
                                {summary_row("Date of birth", r.date_of_birth.clone())}
                                {summary_row("Requested", r.requested.clone())}
                                {summary_row("Patient's note", r.note.clone().unwrap_or_else(|| "None".to_owned()))}
                                {summary_row("Pharmacy", r.pharmacy.clone().unwrap_or_else(|| "Collect from the practice".to_owned()))}
                            </dl>
                            {(r.can_decide && pending > 1).then(|| view! {
                                <PostForm form=decide page=page.clone()>
                                    <input type="hidden" name="request_id" value=r.id.to_string()/>
                                    <input type="hidden" name="version" value=r.version.to_string()/>
                                    <input type="hidden" name="decision" value="approve_all"/>
                                    <button class="nhsuk-button" type="submit">{format!("Approve all {pending} items")}</button>
                                </PostForm>
                            })}
                            // One item's decision form at a time: the next pending one.
                            {r.items.into_iter().scan(false, |shown, item| {
                                let deciding = item.pending && r.can_decide && !*shown;
                                *shown |= deciding;
                                Some(view! { <RequestItem item request=r.id version=r.version deciding page=page.clone() decide step/> })
                            }).collect_view()}
                            <h2>"Messages with the patient"</h2>
                            {if r.messages.is_empty() {
                                view! { <p>"None yet. A question sent here starts the request's conversation; the patient answers it in their messages."</p> }.into_any()
                            } else {
                                view! {
                                    <MessageList messages=r.messages/>
                                    {r.thread.map(|t| view! { <p><a href=format!("/admin/messages/{t}")>"Open the conversation"</a></p> })}
                                }.into_any()
                            }}
                            <PostForm form=message page=page.clone()>
                                <input type="hidden" name="request_id" value=r.id.to_string()/>
                                <TextareaField name="body" label="Message the patient" hint="Such as a question about the request, or why an item was not approved. They are emailed that their request changed; the message itself is only online." error=message_error rows=4/>
                                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Send message"</button>
                            </PostForm>
                            <h2>"The patient's current repeat list"</h2>
                            <ul class="nhsuk-list nhsuk-list--bullet">{r.current_list.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                            <p><a href="/admin/prescriptions">"Back to the queue"</a></p>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Prescription request" body/> }
}

/// One item: its flags and status; approve or reject when it is the one
/// being decided;
/// collection steps once issued.
#[component]
fn RequestItem(
    item: StaffItemView,
    request: i64,
    version: i32,
    /// Whether this item shows the decision forms (one item at a time).
    deciding: bool,
    page: String,
    decide: FormState<DecidePrescription>,
    step: FormState<RecordStep>,
) -> impl IntoView {
    let error = decide.error_signal();
    let reasons: Vec<(String, String)> = REJECT_REASONS.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
    let fields = move || {
        view! {
            <input type="hidden" name="request_id" value=request.to_string()/>
            <input type="hidden" name="version" value=version.to_string()/>
            <input type="hidden" name="item_id" value=item.id.to_string()/>
        }
    };
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-s">{item.name.clone()}</h2>
                <p class="nhsuk-body-s">{item.status.clone()}{item.detail.clone().map(|d| format!(": {d}"))}</p>
                {item.flags.iter().map(|f| view! { <strong class="nhsuk-tag nhsuk-tag--orange">{f.clone()}</strong>" " }).collect_view()}
                {deciding.then(|| view! {
                    <PostForm form=decide page=page.clone()>
                        {fields()}
                        <input type="hidden" name="decision" value="approve"/>
                        <InputField name="quantity" label="Quantity, if changing it" width="nhsuk-input--width-4" error/>
                        <button class="nhsuk-button" type="submit">"Approve"</button>
                    </PostForm>
                    <details class="nhsuk-details">
                        <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Do not approve"</span></summary>
                        <div class="nhsuk-details__text">
                            <PostForm form=decide page=page.clone()>
                                {fields()}
                                <input type="hidden" name="decision" value="reject"/>
                                <SelectField name="reason" label="Why" options=reasons.clone() selected="" any="Choose a reason" error/>
                                <InputField name="text" label="What to tell the patient" hint="They read this on their request." error/>
                                <button class="nhsuk-button nhsuk-button--warning" type="submit">"Do not approve"</button>
                            </PostForm>
                        </div>
                    </details>
                })}
                {item.next_steps.into_iter().map(|(status, label)| view! {
                    <PostForm form=step page=page.clone()>
                        <input type="hidden" name="request_id" value=request.to_string()/>
                        <input type="hidden" name="item_id" value=item.id.to_string()/>
                        <input type="hidden" name="status" value=status/>
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit">{label}</button>
                    </PostForm>
                }).collect_view()}
            </div>
        </div>
    }
}
