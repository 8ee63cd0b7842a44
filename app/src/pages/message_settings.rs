//! `/admin/settings/messages`: how the practice takes messages.

use crate::api::message_settings::{load_messaging_settings, SaveMessagingSettings, DAYS};
use crate::components::{
    saved_param, submitted_form, CheckboxField, ErrorSummary, FormState, InputField, PostForm, TextareaField,
};
use crate::pages::admin::{listing, AdminPage};
use leptos::prelude::*;

/// Practice admins: messaging on or off, the reply promise, the hours new
/// conversations can be started, daily caps, categories and red-flag phrases.
#[component]
pub fn MessagingSettingsPage() -> impl IntoView {
    let saved = saved_param();
    let settings = Resource::new(saved, |_| load_messaging_settings());
    let submitted = submitted_form();
    let save = ServerAction::<SaveMessagingSettings>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(save, submitted.get_value());
                    let error = form.error_signal();
                    listing(settings.await, move |s| {
                        let hours = s.hours().map(str::to_owned);
                        view! {
                            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                            {saved().map(|_| view! {
                                <div class="nhsuk-inset-text" role="status"><p>"The messaging settings are saved."</p></div>
                            })}
                            <PostForm form page="/admin/settings/messages">
                                <div class="nhsuk-form-group">
                                    <div class="nhsuk-checkboxes">
                                        <CheckboxField name="enabled" label="Patients can send messages to the practice" checked=s.enabled.is_some()
                                            hint="Switched off, patients cannot start new conversations; the practice can still answer open ones. Each patient's own setting is on their page."/>
                                    </div>
                                </div>
                                <InputField name="reply_promise" label="When patients can expect a reply" hint="Patients read: We aim to reply within 2 working days." error value=s.reply_promise.clone()/>
                                <h2>"When patients can start a conversation"</h2>
                                <p>"London time, such as 08:00-18:30. Leave a day empty if the practice does not take new messages that day. Patients can reply to a conversation at any time."</p>
                                {DAYS.iter().zip(hours).map(|((field, label), value)| view! {
                                    <InputField name=field label=label error value=value width="nhsuk-input--width-10"/>
                                }).collect_view()}
                                <h2>"How many new conversations a day"</h2>
                                <InputField name="practice_cap" label="For the whole practice" hint="Leave empty for no limit." error value=s.practice_cap.clone() width="nhsuk-input--width-4"/>
                                <InputField name="patient_cap" label="From one patient" hint="Leave empty for no limit." error value=s.patient_cap.clone() width="nhsuk-input--width-4"/>
                                <h2>"What patients choose from"</h2>
                                <TextareaField name="categories" label="Categories" hint="One per line, in the order patients see them. A category taken off keeps its conversations." error value=s.categories.clone() rows=6/>
                                <h2>"Red-flag phrases"</h2>
                                <TextareaField name="red_flags" label="Phrases that mark a message urgent" hint="One per line. A message with one of these shows the patient the advice to call 999 or NHS 111 again, asks them to confirm, and comes first in the inbox. It is never blocked." error value=s.red_flags.clone() rows=12/>
                                <button class="nhsuk-button" type="submit">"Save messaging settings"</button>
                            </PostForm>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Messaging settings" body/> }
}
