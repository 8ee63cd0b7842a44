//! The patient's messages: their conversations, one conversation with its
//! reply box, and a new message in three steps (what messages are for,
//! writing it, checking it). Every step works without JavaScript; with it,
//! new replies appear without a reload.

use crate::api::messages::{
    message_start, my_thread, my_threads, CheckMessage, Draft, MessageView, NewMessageStart, ReplyToThread, SendMessage,
};
use crate::components::live_messages::MESSAGES_ID;
use crate::components::{
    id_param, submitted_form, summary_row, ErrorSummary, FormState, InputField, LiveMessages, PostForm, RadioField,
    TextareaField,
};
use crate::error::AppError;
use crate::pages::admin::listing;
use crate::pages::appointments::PatientFrame;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The advice shown before writing, and again when a message mentions a
/// red-flag phrase: what messages are not for.
#[component]
pub(crate) fn UrgentHelp() -> impl IntoView {
    view! {
        <div class="nhsuk-warning-callout">
            <h2 class="nhsuk-warning-callout__label">
                <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Messages are not for urgent help"</span>
            </h2>
            <p>"Call 999 now if someone is seriously ill or injured and their life is at risk, for example with chest pain, difficulty breathing or heavy bleeding."</p>
            <p>"For urgent help that is not an emergency, use NHS 111 online or call 111."</p>
        </div>
    }
}

/// `/messages`: the patient's conversations, newest first, unread ones marked.
#[component]
pub fn MessagesPage() -> impl IntoView {
    let threads = Resource::new(|| (), |_| my_threads());
    let body = move || {
        view! {
            <p><a class="nhsuk-button" href="/messages/new">"Send a message"</a></p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(threads.await, |threads| view! {
                        <LiveMessages thread=None>
                            <div id=MESSAGES_ID>
                                {if threads.is_empty() {
                                    view! { <p>"You have not sent any messages yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="nhsuk-list gp-choices">
                                            {threads.into_iter().map(|t| view! {
                                                <li>
                                                    <a class="gp-choice" href=format!("/messages/{}", t.id)>
                                                        <span class="gp-choice__name">
                                                            {t.unread.then(|| view! { <strong>"New reply"</strong>" " })}
                                                            {t.subject}
                                                        </span>
                                                        <span class="gp-choice__detail">{format!("{}. {}", t.category, t.status)}</span>
                                                        <span class="gp-choice__detail">{format!("Last message {}", t.last_message)}</span>
                                                    </a>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </div>
                        </LiveMessages>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Your messages" body/> }
}

/// `/messages/new`: before writing, what messages are for and when the
/// practice replies, or why a new one cannot be started now.
#[component]
pub fn NewMessagePage() -> impl IntoView {
    let start = Resource::new(|| (), |_| message_start());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(start.await, |s| view! {
                        <UrgentHelp/>
                        <p>{format!("Use messages for questions that can wait. We aim to reply {}.", s.reply_promise)}</p>
                        <p>"Someone from the practice team will read your message: a receptionist, a doctor, a nurse or a pharmacist."</p>
                        {match s.not_now {
                            Some(why) => view! {
                                <div class="nhsuk-inset-text" role="status"><p>{why}</p></div>
                                <p>{format!("You can also phone the practice on {}.", s.practice_phone)}</p>
                                <p><a href="/messages">"Back to your messages"</a></p>
                            }.into_any(),
                            None => view! {
                                <a class="nhsuk-button" href="/messages/new/write">"Continue"</a>
                            }.into_any(),
                        }}
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Send a message to the practice" body/> }
}

/// `/messages/new/write`: the question page (what it is about, a subject,
/// the message), then check your answers, then send. Nothing typed goes
/// into an address: each step is posted, and the page answers in place.
#[component]
pub fn WriteMessagePage() -> impl IntoView {
    let start = Resource::new(|| (), |_| message_start());
    let submitted = submitted_form();
    let check = ServerAction::<CheckMessage>::new();
    let send = ServerAction::<SendMessage>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let check = FormState::new(check, submitted.get_value());
                    let send = FormState::new(send, submitted.get_value());
                    listing(start.await, move |s| {
                        if let Some(error) = send.error() {
                            // Sending was refused: check your answers again, with why.
                            let draft = draft_from(&s, &send.value("category"), send.value("subject"), send.value("body"));
                            return view! { <CheckAnswers draft send error=Some(error)/> }.into_any();
                        }
                        match check.output() {
                            Some(draft) if !draft.editing => view! { <CheckAnswers draft send error=None/> }.into_any(),
                            editing => view! { <WriteMessage start=s check editing/> }.into_any(),
                        }
                    })
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Send a message to the practice" body/> }
}

/// A draft rebuilt from what was posted, naming its category.
fn draft_from(start: &NewMessageStart, category: &str, subject: String, body: String) -> Draft {
    let name = start.categories.iter().find(|(id, _)| id == category).map(|(_, name)| name.clone()).unwrap_or_default();
    Draft { category_id: category.to_owned(), category: name, subject, body, red_flags: Vec::new(), editing: false }
}

/// The question page: what the message is about, its subject, the message.
#[component]
fn WriteMessage(start: NewMessageStart, check: FormState<CheckMessage>, editing: Option<Draft>) -> impl IntoView {
    let error = check.error_signal();
    let (category, subject, body) = match editing {
        Some(d) => (d.category_id, d.subject, d.body),
        None => Default::default(),
    };
    view! {
        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
        <PostForm form=check page="/messages/new/write">
            <RadioField name="category" legend="What is your message about?" options=start.categories.clone() error selected=category/>
            <InputField name="subject" label="Subject" hint="A few words, such as Question about my blood pressure tablets" error value=subject/>
            <TextareaField name="body" label="Your message" hint="Up to 2,000 characters. Do not include anything urgent." error value=body rows=8/>
            <button class="nhsuk-button" type="submit">"Continue"</button>
        </PostForm>
        <p><a href="/messages">"Cancel and go back to your messages"</a></p>
    }
}

/// Check your answers, then send. A red-flag phrase brings the urgent-help
/// advice back and asks the patient to confirm; it never stops the message.
#[component]
fn CheckAnswers(draft: Draft, send: FormState<SendMessage>, error: Option<AppError>) -> impl IntoView {
    let needs_confirming = !draft.red_flags.is_empty()
        || error.as_ref().is_some_and(|e| e.field_errors().iter().any(|f| f.field == "not_an_emergency"));
    let hidden = {
        let draft = draft.clone();
        move || {
            view! {
                <input type="hidden" name="category" value=draft.category_id.clone()/>
                <input type="hidden" name="subject" value=draft.subject.clone()/>
                <input type="hidden" name="body" value=draft.body.clone()/>
            }
        }
    };
    let hidden_again = hidden.clone();
    let change = ServerAction::<CheckMessage>::new();
    let change = FormState::new(change, None);
    view! {
        {error.map(|error| view! { <ErrorSummary error/> })}
        // Said first: a message about something urgent should not be sent at all.
        {needs_confirming.then(|| view! {
            <UrgentHelp/>
            {(!draft.red_flags.is_empty()).then(|| view! {
                <p>{format!("Your message mentions {}.", draft.red_flags.join(", "))}" The practice will see it as urgent, but may not read it straight away."</p>
            })}
        })}
        <h2>"Check your message"</h2>
        <dl class="nhsuk-summary-list">
            {summary_row("About", draft.category.clone())}
            {summary_row("Subject", draft.subject.clone())}
            {summary_row("Message", view! { <p class="gp-message-body">{draft.body.clone()}</p> })}
        </dl>
        <PostForm form=change page="/messages/new/write">
            {hidden()}
            <input type="hidden" name="change" value="yes"/>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Change your message"</button>
        </PostForm>
        <PostForm form=send page="/messages/new/write">
            {hidden_again()}
            {needs_confirming.then(|| view! {
                <div class="nhsuk-form-group">
                    <div class="nhsuk-checkboxes">
                        <div class="nhsuk-checkboxes__item">
                            <input class="nhsuk-checkboxes__input" id="not_an_emergency" name="not_an_emergency" type="checkbox" value="yes"/>
                            <label class="nhsuk-label nhsuk-checkboxes__label" for="not_an_emergency">"My message is not about an emergency, and I do not need help today"</label>
                        </div>
                    </div>
                </div>
            })}
            <button class="nhsuk-button" type="submit">"Send message"</button>
        </PostForm>
    }
}

/// The messages of a conversation, oldest first, each as text.
#[component]
pub(crate) fn MessageList(messages: Vec<MessageView>) -> impl IntoView {
    view! {
        <ol class="nhsuk-list gp-messages">
            {messages.into_iter().map(|m| view! {
                <li class=if m.from_practice { "gp-message gp-message--practice" } else { "gp-message" }>
                    <p class="nhsuk-body-s gp-message__from"><strong>{m.author}</strong>", "{m.sent}</p>
                    <p class="gp-message-body">{m.body}</p>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// `/messages/{thread}`: one of the patient's conversations, with its reply
/// box while they can reply. New replies appear without a reload.
#[component]
pub fn ThreadPage() -> impl IntoView {
    let id = id_param("thread");
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let replied = move || query.read().get("replied").is_some();
    let thread = Resource::new(move || (id(), replied()), |(id, _)| my_thread(id));
    let submitted = submitted_form();
    let reply = ServerAction::<ReplyToThread>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(reply, submitted.get_value());
                    let error = form.error_signal();
                    listing(thread.await, move |t| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        {sent().then(|| view! {
                            <div class="nhsuk-panel">
                                <h2 class="nhsuk-panel__title">"Message sent"</h2>
                                <div class="nhsuk-panel__body">"The practice will reply here. We will email you when it does."</div>
                            </div>
                        })}
                        {replied().then(|| view! {
                            <div class="nhsuk-inset-text" role="status"><p>"Your reply is sent."</p></div>
                        })}
                        <h2>{t.subject.clone()}</h2>
                        <LiveMessages thread=Some(t.id)>
                            <div id=MESSAGES_ID>
                                <p class="nhsuk-body-s">{format!("{}. {}", t.category, t.status)}</p>
                                <MessageList messages=t.messages.clone()/>
                            </div>
                        </LiveMessages>
                        {match t.can_reply.clone() {
                            Ok(()) => view! {
                                <PostForm form page=format!("/messages/{}", t.id)>
                                    <input type="hidden" name="thread_id" value=t.id.to_string()/>
                                    <TextareaField name="body" label="Reply" hint=if t.reopens { "This conversation is closed. Replying opens it again." } else { "Up to 2,000 characters. Do not include anything urgent." } error rows=5/>
                                    <button class="nhsuk-button" type="submit">"Send reply"</button>
                                </PostForm>
                            }.into_any(),
                            Err(why) => view! {
                                <div class="nhsuk-inset-text"><p>{why}</p></div>
                                <p><a class="nhsuk-button nhsuk-button--secondary" href="/messages/new">"Send a new message"</a></p>
                            }.into_any(),
                        }}
                        <p><a href="/messages">"Back to your messages"</a></p>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Your message" body/> }
}
