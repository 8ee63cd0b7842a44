//! Staff: the practice's inbox and one conversation, to reply, assign and close.

use crate::api::inbox::{inbox, staff_thread, AssignConversation, CloseConversation, StaffReply, VIEWS};
use crate::components::live_messages::MESSAGES_ID;
use crate::components::{
    id_param, submitted_form, summary_row, table_head, ErrorSummary, FormState, InputField, LiveMessages, PostForm,
    TextareaField,
};
use crate::pages::admin::{listing, AdminPage};
use crate::pages::messages::MessageList;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/admin/messages`: one list of the inbox at a time (not assigned, mine,
/// a team's, waiting for the patient, closed), urgent first, then the
/// longest waiting. Staff only.
#[component]
pub fn InboxPage() -> impl IntoView {
    let query = use_query_map();
    let view_key = move || query.read().get("view").unwrap_or_default();
    let list = Resource::new(view_key, inbox);
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(list.await, |l| {
                        let current = l.view.clone();
                        view! {
                            <nav aria-label="Inbox lists">
                                <ul class="nhsuk-list gp-admin-nav">
                                    {VIEWS.iter().map(|(key, label)| {
                                        let here = (*key == current).then_some("page");
                                        view! { <li><a href=format!("/admin/messages?view={key}") aria-current=here>{*label}</a></li> }
                                    }).collect_view()}
                                </ul>
                            </nav>
                            <h2>{VIEWS.iter().find(|(key, _)| *key == current).map(|(_, label)| *label).unwrap_or("Inbox")}</h2>
                            {if l.threads.is_empty() {
                                view! { <p>"No conversations here."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="gp-table-scroll" tabindex="0" role="region" aria-label="Conversations">
                                        <table class="nhsuk-table">
                                            {table_head(&["Subject", "Patient", "About", "Last message", "With"])}
                                            <tbody class="nhsuk-table__body">
                                                {l.threads.into_iter().map(|t| view! {
                                                    <tr class="nhsuk-table__row">
                                                        <td class="nhsuk-table__cell">
                                                            {t.urgent.then(|| view! {
                                                                <strong class="nhsuk-tag nhsuk-tag--red" title=t.red_flags.clone()>"Urgent"</strong>" "
                                                            })}
                                                            {t.unread.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--blue">"Unread"</strong>" " })}
                                                            <a href=format!("/admin/messages/{}", t.id)>{t.subject}</a>
                                                        </td>
                                                        <td class="nhsuk-table__cell">{t.patient_name}</td>
                                                        <td class="nhsuk-table__cell">{t.category}</td>
                                                        <td class="nhsuk-table__cell">{t.last_message}</td>
                                                        <td class="nhsuk-table__cell">{t.assigned}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Messages" body/> }
}

/// `/admin/messages/{thread}`: a conversation with the patient's details and
/// its history; reply, assign, close. The patient's replies appear without
/// a reload. Opening it is audited.
#[component]
pub fn StaffThreadPage() -> impl IntoView {
    let id = id_param("thread");
    let query = use_query_map();
    let done = move || {
        let q = query.read();
        ["replied", "assigned", "closed"].into_iter().find(|key| q.get(key).is_some())
    };
    let thread = Resource::new(move || (id(), done()), |(id, _)| staff_thread(id));
    let submitted = submitted_form();
    let (reply, assign, close) = (
        ServerAction::<StaffReply>::new(),
        ServerAction::<AssignConversation>::new(),
        ServerAction::<CloseConversation>::new(),
    );
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let reply = FormState::new(reply, submitted.get_value());
                    let assign = FormState::new(assign, submitted.get_value());
                    let close = FormState::new(close, submitted.get_value());
                    let errors = [reply.error(), assign.error(), close.error()];
                    let (reply_error, assign_error, close_error) =
                        (reply.error_signal(), assign.error_signal(), close.error_signal());
                    listing(thread.await, move |t| {
                        let page = format!("/admin/messages/{}", t.id);
                        view! {
                            {errors.into_iter().flatten().map(|error| view! { <ErrorSummary error/> }).collect_view()}
                            {done().map(|what| view! {
                                <div class="nhsuk-inset-text" role="status"><p>{match what {
                                    "replied" => "Your reply is sent. The patient is emailed that they have a new message (without its text).",
                                    "assigned" => "The conversation is assigned.",
                                    _ => "The conversation is closed.",
                                }}</p></div>
                            })}
                            {t.urgent.then(|| view! {
                                <div class="nhsuk-warning-callout">
                                    <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Urgent"</span></h2>
                                    <p>{format!("The patient's message mentions: {}. They were shown the advice to call 999 or NHS 111, and confirmed it is not an emergency.", t.red_flags)}</p>
                                </div>
                            })}
                            <h2>{t.subject.clone()}</h2>
                            <dl class="nhsuk-summary-list">
                                {summary_row("Patient", view! { <a href=format!("/admin/patients/{}", t.patient_id)>{t.patient_name.clone()}</a> })}
                                {summary_row(t.identifier_label.clone(), t.identifier.clone())}
                                {summary_row("Date of birth", t.date_of_birth.clone())}
                                {summary_row("About", t.category.clone())}
                                {summary_row("Status", t.outcome.clone().map(|o| format!("{}: {o}", t.status)).unwrap_or(t.status.clone()))}
                                {summary_row("With", t.assigned.clone())}
                            </dl>
                            <LiveMessages thread=Some(t.id)>
                                <div id=MESSAGES_ID>
                                    <MessageList messages=t.messages.clone()/>
                                </div>
                            </LiveMessages>
                            <PostForm form=reply page=page.clone()>
                                <input type="hidden" name="thread_id" value=t.id.to_string()/>
                                <TextareaField name="body" label="Reply to the patient" hint="The patient is emailed that they have a new message; the email never includes its text." error=reply_error rows=6/>
                                <button class="nhsuk-button" type="submit">"Send reply"</button>
                            </PostForm>
                            <h2>"Assign"</h2>
                            <PostForm form=assign page=page.clone()>
                                <input type="hidden" name="thread_id" value=t.id.to_string()/>
                                <input type="hidden" name="version" value=t.version.to_string()/>
                                <crate::pages::appointments::SelectField name="to" label="Who should have it" options=t.assign_to.clone() selected="" any="Choose" error=assign_error/>
                                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Assign"</button>
                            </PostForm>
                            {(!t.closed).then(|| view! {
                                <h2>"Close"</h2>
                                <PostForm form=close page=page.clone()>
                                    <input type="hidden" name="thread_id" value=t.id.to_string()/>
                                    <InputField name="outcome" label="Outcome" hint="For example: Answered, Appointment booked, Prescription issued" error=close_error/>
                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Close conversation"</button>
                                </PostForm>
                            })}
                            <p><a href="/admin/messages">"Back to the inbox"</a></p>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Conversation" body/> }
}
