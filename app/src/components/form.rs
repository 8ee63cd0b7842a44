//! The form pattern every form follows.
//!
//! A form is a real `<form method="post">` whose `action` is its own page.
//! The server runs the form's server function (`server/src/forms.rs`) and
//! either redirects (it worked) or renders the page again with the error
//! summary, the field messages and the values posted (never in the URL).
//! With JavaScript the page script (`app/src/pages.js`) makes the same post
//! and swaps the answer in place, without loading a new document.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::{Http, ServerFn};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The hidden field naming the server function a form runs, so a page with
/// several forms knows which one was posted.
pub const ACTION_FIELD: &str = "_action";

/// What a form posted without JavaScript came back with: the values typed and
/// either why they were refused or, for a form that answers in place rather
/// than moving on, the server function's answer (JSON). The server provides
/// it as context when it renders the page again; it reaches the browser
/// inside the page for hydration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedForm {
    pub values: Vec<(String, String)>,
    pub error: Option<AppError>,
    pub output: Option<String>,
}

impl SubmittedForm {
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The submitted form, if this render answers one. Read synchronously and
/// shared with the browser for hydration (a `SharedValue`), not through a
/// resource: a value that is ready at once needs no suspense, and waiting on
/// one inside nested `Suspense`s is where server renders have stalled.
pub fn submitted_form() -> StoredValue<Option<SubmittedForm>> {
    StoredValue::new(leptos::prelude::SharedValue::new(use_context::<SubmittedForm>).into_inner())
}

/// What was posted in the form being rendered, when the page answers that
/// form's own submission: its fields show these rather than what is stored,
/// so a form refused comes back as it was filled in (ticks and choices too).
#[derive(Debug, Clone)]
struct TypedValues(Vec<(String, String)>);

/// The value posted for `name` in the enclosing form, if it was posted.
fn typed(name: &str) -> Option<String> {
    use_context::<TypedValues>()
        .map(|TypedValues(values)| values.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default())
}

/// Everything a form's fields need: which server function it runs (its
/// type; the action is never dispatched from the browser), the error to show
/// and the answer, from the submission this page answers.
pub struct FormState<S: ServerFn + 'static> {
    pub action: ServerAction<S>,
    submitted: StoredValue<Option<SubmittedForm>>,
}

impl<S: ServerFn + 'static> Clone for FormState<S> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<S: ServerFn + 'static> Copy for FormState<S> {}

impl<S> FormState<S>
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    /// A page may hold several forms; each sees only a submission of its own
    /// (the `_action` field every `PostForm` posts names its server function).
    pub fn new(action: ServerAction<S>, submitted: Option<SubmittedForm>) -> Self {
        let own = submitted.filter(|s| s.value(ACTION_FIELD).is_none_or(|posted| posted == S::PATH));
        Self { action, submitted: StoredValue::new(own) }
    }
}

impl<S, O> FormState<S>
where
    S: ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    /// Why the submission this page answers was refused, if it was.
    pub fn error(&self) -> Option<AppError> {
        self.submitted.with_value(|s| s.as_ref().and_then(|s| s.error.clone()))
    }

    /// The server function's answer, for forms that answer in place rather
    /// than moving on (such as recovery codes).
    pub fn output(&self) -> Option<O>
    where
        O: DeserializeOwned,
    {
        self.submitted
            .with_value(|s| s.as_ref().and_then(|s| s.output.as_deref()).and_then(|o| serde_json::from_str(o).ok()))
    }

    /// Everything posted, when this render answers this form's submission.
    fn typed_values(&self) -> Option<Vec<(String, String)>> {
        self.submitted.with_value(|s| s.as_ref().map(|s| s.values.clone()))
    }

    /// The value typed into `name` last time, for a page rendered again.
    pub fn value(&self, name: &str) -> String {
        self.submitted.with_value(|s| s.as_ref().and_then(|s| s.value(name)).unwrap_or_default().to_owned())
    }

    /// Every value typed into `name` last time (a field posted several
    /// times, such as ticked boxes named `items[]`).
    pub fn values(&self, name: &str) -> Vec<String> {
        self.submitted.with_value(|s| {
            s.as_ref()
                .map(|s| s.values.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect())
                .unwrap_or_default()
        })
    }

    pub fn error_signal(self) -> Signal<Option<AppError>> {
        Signal::derive(move || self.error())
    }
}

/// A form that posts to its own page, naming its server function in the
/// `_action` field; its fields show what was posted when the page answers it.
#[component]
pub fn PostForm<S, O, OutputProtocol>(
    form: FormState<S>,
    /// This page's address: where the form posts.
    #[prop(into)]
    page: String,
    children: Children,
) -> impl IntoView
where
    S: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>, Output = O, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    O: Clone + Send + Sync + 'static,
{
    if let Some(values) = form.typed_values() {
        provide_context(TypedValues(values));
    }
    view! {
        <form method="post" action=page novalidate>
            <input type="hidden" name=ACTION_FIELD value=S::PATH/>
            {children()}
        </form>
    }
}

/// A text input in the NHS style, with its label, hint and error message,
/// keeping the value typed when the page comes back with an error.
#[component]
pub fn InputField(
    name: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] value: String,
    /// An extra class for the input, such as `nhsuk-input--width-10`.
    #[prop(optional)]
    width: Option<&'static str>,
) -> impl IntoView {
    let message = field_message(error, name);
    let group_class = group_class(message);
    let input_class = move || {
        let mut class = String::from("nhsuk-input");
        if let Some(width) = width {
            class.push(' ');
            class.push_str(width);
        }
        if message().is_some() {
            class.push_str(" nhsuk-input--error");
        }
        class
    };
    let described_by = described_by(name, hint, message);
    // Passwords are never sent back to the page.
    let value = (kind != "password").then(|| typed(name).unwrap_or(value));
    view! {
        <div class=group_class>
            {field_top(name, label, hint, message)}
            <input
                class=input_class
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                spellcheck=(kind == "email").then_some("false")
                value=value
                aria-describedby=described_by
            />
        </div>
    }
}

/// The message for one field in the error shown now.
fn field_message(error: Signal<Option<AppError>>, name: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || error.get().and_then(|e| e.field_errors().iter().find(|f| f.field == name).map(|f| f.message.clone()))
}

/// A field's label, hint and message, above the field itself.
fn field_top(
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    message: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="nhsuk-label" for=name>{label}</label>
        {hint.map(|hint| view! { <div class="nhsuk-hint" id=format!("{name}-hint")>{hint}</div> })}
        {move || message().map(|m| view! {
            <span class="nhsuk-error-message" id=format!("{name}-error")>
                <span class="nhsuk-u-visually-hidden">"Error: "</span>
                {m}
            </span>
        })}
    }
}

/// A field's `aria-describedby`: its hint and its message, when it has them.
fn described_by(
    name: &'static str,
    hint: Option<&'static str>,
    message: impl Fn() -> Option<String> + Copy,
) -> impl Fn() -> Option<String> + Copy {
    move || {
        let parts: Vec<String> = [hint.map(|_| format!("{name}-hint")), message().map(|_| format!("{name}-error"))]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// A form group's class, marked when its field has a message.
fn group_class(message: impl Fn() -> Option<String> + Copy) -> impl Fn() -> &'static str + Copy {
    move || if message().is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }
}

/// A box for a few lines of text, such as a note of a discussion.
#[component]
pub fn TextareaField(
    name: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: String,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let message = field_message(error, name);
    let described_by = described_by(name, hint, message);
    let value = typed(name).unwrap_or(value);
    view! {
        <div class=group_class(message)>
            {field_top(name, label, hint, message)}
            <textarea
                class=move || if message().is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                id=name
                name=name
                rows=rows
                aria-describedby=described_by
            >{value}</textarea>
        </div>
    }
}

/// The choices of a set of radios: `(value, label)`, fixed or loaded.
pub struct RadioOptions(Vec<(String, String)>);

impl From<Vec<(&'static str, &'static str)>> for RadioOptions {
    fn from(options: Vec<(&'static str, &'static str)>) -> Self {
        Self(options.into_iter().map(|(value, label)| (value.to_owned(), label.to_owned())).collect())
    }
}

impl From<Vec<(String, String)>> for RadioOptions {
    fn from(options: Vec<(String, String)>) -> Self {
        Self(options)
    }
}

/// A set of radios in the NHS style: one choice from a few, with the
/// legend as the question. The first radio carries the field's id, so the
/// error summary's link lands on it.
#[component]
pub fn RadioField(
    name: &'static str,
    legend: &'static str,
    #[prop(into)] options: RadioOptions,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The value chosen now, if any.
    #[prop(optional, into)]
    selected: String,
) -> impl IntoView {
    let message = field_message(error, name);
    let selected = typed(name).unwrap_or(selected);
    view! {
        <div class=group_class(message)>
            <fieldset class="nhsuk-fieldset" aria-describedby=move || message().map(|_| format!("{name}-error"))>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                {move || message().map(|m| view! {
                    <span class="nhsuk-error-message" id=format!("{name}-error")>
                        <span class="nhsuk-u-visually-hidden">"Error: "</span>
                        {m}
                    </span>
                })}
                <div class="nhsuk-radios">
                    {options.0.into_iter().enumerate().map(|(i, (value, label))| {
                        let id = if i == 0 { name.to_owned() } else { format!("{name}-{value}") };
                        let checked = selected == value;
                        view! {
                            <div class="nhsuk-radios__item">
                                <input class="nhsuk-radios__input" id=id.clone() name=name type="radio" value=value checked=checked/>
                                <label class="nhsuk-label nhsuk-radios__label" for=id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// One checkbox in the NHS style. A ticked box posts `yes`; an unticked one
/// posts nothing, so its server function argument is an `Option<String>`.
#[component]
pub fn CheckboxField(
    name: &'static str,
    label: &'static str,
    checked: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    // Posted without the box, it was unticked.
    let checked = typed(name).map_or(checked, |value| value == "yes");
    view! {
        <div class="nhsuk-checkboxes__item">
            <input class="nhsuk-checkboxes__input" id=name name=name type="checkbox" value="yes" checked=checked
                aria-describedby=hint.map(|_| format!("{name}-hint"))/>
            <label class="nhsuk-label nhsuk-checkboxes__label" for=name>{label}</label>
            {hint.map(|hint| view! { <div class="nhsuk-hint nhsuk-checkboxes__hint" id=format!("{name}-hint")>{hint}</div> })}
        </div>
    }
}

/// A new password and its confirmation (`confirm_password`), with the advice
/// on choosing one.
#[component]
pub fn NewPasswordFields(
    /// The new password field's name.
    name: &'static str,
    label: &'static str,
    confirm_label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <InputField
            name=name
            label=label
            kind="password"
            autocomplete="new-password"
            hint="Use 10 characters or more. A few unrelated words make a good password."
            error
        />
        <InputField name="confirm_password" label=confirm_label kind="password" autocomplete="new-password" error/>
    }
}

/// The forms that post to their own page, and the server function each one
/// runs. The server answers a post to the page with this server function
/// (`server/src/forms.rs`); a page with several forms has a line for each,
/// and the posted `_action` field picks one. A test checks every entry names
/// a real one.
pub const FORMS: &[(&str, &str)] = &[
    ("/sign-in", "/api/auth/sign-in"),
    ("/activate", "/api/account/activate"),
    ("/admin/patients/{patient}/online-account", "/api/admin/patients/online-account/issue"),
    ("/admin/patients/{patient}/online-account", "/api/admin/patients/online-account/disable"),
    ("/admin/patients/{patient}/online-account", "/api/admin/patients/online-account/enable"),
    ("/register", "/api/register/request"),
    ("/admin/access-requests/{request}", "/api/admin/access-requests/take"),
    ("/admin/access-requests/{request}", "/api/admin/access-requests/approve"),
    ("/admin/access-requests/{request}", "/api/admin/access-requests/decline"),
    ("/admin/consider-access", "/api/admin/consider-access/declined"),
    ("/account/password", "/api/account/password"),
    ("/setup/{token}", "/api/account/setup"),
    ("/sign-in/two-factor", "/api/auth/two-factor"),
    ("/sign-in/set-up-two-factor", "/api/auth/enrol-two-factor"),
    ("/forgot-password", "/api/account/forgot-password"),
    ("/reset-password/{token}", "/api/account/reset-password"),
    ("/admin/staff/invite", "/api/admin/staff/invite"),
    ("/admin/staff/{login}", "/api/admin/staff/change"),
    ("/admin/patients/import", "/api/admin/patients/import"),
    ("/admin/record/import", "/api/admin/record/import"),
    ("/admin/patients", "/api/admin/patients/search"),
    ("/admin/patients/{patient}", "/api/admin/patients/grants"),
    ("/admin/patients/{patient}", "/api/admin/patients/registration"),
    ("/admin/patients/{patient}", "/api/admin/patients/contact"),
    ("/admin/patients/{patient}", "/api/admin/patients/details/change"),
    ("/admin/patients/{patient}", "/api/admin/patients/prescribing/ordering"),
    ("/admin/patients/{patient}", "/api/admin/patients/sharing/save"),
    ("/admin/patients/{patient}", "/api/admin/patients/proxies/change"),
    ("/admin/patients/{patient}/proxies/new", "/api/admin/patients/proxies/add"),
    ("/people", "/api/people/act-for"),
    ("/people", "/api/people/end"),
    ("/people/give-access", "/api/people/give-access"),
    ("/admin/settings/proxies", "/api/admin/settings/proxies/save"),
    ("/admin/dashboard", "/api/admin/dashboard/targets"),
    ("/admin/problems", "/api/admin/problems/triage"),
    ("/admin/problems", "/api/problems/report"),
    ("/report-a-problem", "/api/problems/report"),
    ("/admin/patients/{patient}/record", "/api/admin/patients/record/hide"),
    ("/admin/patients/{patient}/record", "/api/admin/patients/record/file"),
    ("/admin/settings/online-services", "/api/admin/settings/online-services/save"),
    ("/appointments/book/{slot}", "/api/appointments/book"),
    ("/prescriptions/order", "/api/prescriptions/check"),
    ("/prescriptions/order", "/api/prescriptions/order"),
    ("/prescriptions/requests", "/api/prescriptions/cancel"),
    ("/admin/prescriptions/{request}", "/api/admin/prescriptions/decide"),
    ("/admin/prescriptions/{request}", "/api/admin/prescriptions/step"),
    ("/admin/prescriptions/{request}", "/api/admin/prescriptions/message"),
    ("/messages/new/write", "/api/messages/check"),
    ("/messages/new/write", "/api/messages/send"),
    ("/messages/{thread}", "/api/messages/reply"),
    ("/admin/messages/{thread}", "/api/admin/messages/reply"),
    ("/admin/messages/{thread}", "/api/admin/messages/assign"),
    ("/admin/messages/{thread}", "/api/admin/messages/close"),
    ("/admin/settings/messages", "/api/admin/settings/messages/save"),
    ("/admin/settings/prescriptions", "/api/admin/settings/prescriptions/save"),
    ("/appointments/{appointment}", "/api/appointments/cancel"),
    ("/admin/schedule/setup", "/api/admin/schedule/clinicians/add"),
    ("/admin/schedule/setup", "/api/admin/schedule/session-types/add"),
    ("/admin/schedule/setup", "/api/admin/schedule/slot-types/add"),
    ("/admin/schedule/slot-types/{slot_type}", "/api/admin/schedule/slot-types/change"),
    ("/admin/schedule/slot-types/{slot_type}", "/api/admin/booking-rules/offer"),
    ("/admin/schedule/rotas", "/api/admin/schedule/rotas/add"),
    ("/admin/schedule/rotas", "/api/admin/schedule/rotas/generate"),
    ("/admin/schedule/rotas", "/api/admin/schedule/rotas/active"),
    ("/admin/schedule/sessions/new", "/api/admin/schedule/sessions/add"),
    ("/admin/schedule/sessions/{session}", "/api/admin/schedule/sessions/location"),
    ("/admin/schedule/sessions/{session}", "/api/admin/schedule/sessions/cancel"),
    ("/admin/schedule/sessions/{session}", "/api/admin/schedule/slots/cancel"),
    ("/admin/schedule/sessions/{session}", "/api/admin/schedule/slots/change"),
    ("/admin/booking-rules", "/api/admin/booking-rules/save"),
    ("/admin/patients/{patient}/appointments", "/api/admin/appointments/cancel"),
    ("/admin/patients/{patient}/book/{slot}", "/api/admin/appointments/book"),
];

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    /// Multi-choice fields (checkboxes) are named `name[]`, so a browser without
    /// JavaScript posts every ticked value; `#[serde(default)]` keeps "none ticked"
    /// (no field at all) from failing.
    #[derive(Debug, Deserialize, PartialEq)]
    struct Choices {
        #[serde(default)]
        services: Vec<String>,
    }

    fn decode(body: &str) -> Choices {
        serde_qs::Config::new(5, false).deserialize_str(body).expect("decodes")
    }

    #[test]
    fn repeated_name_brackets_decode_as_a_list() {
        assert_eq!(
            decode("services[]=appointments&services[]=prescriptions").services,
            ["appointments", "prescriptions"]
        );
        assert_eq!(decode("services%5B%5D=messaging").services, ["messaging"]);
        assert_eq!(decode("").services, Vec::<String>::new());
    }
}
