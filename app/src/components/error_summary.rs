use crate::error::AppError;
use leptos::prelude::*;

/// The NHS error summary: shown at the top of a form when it was refused,
/// with a link to each field that needs attention.
#[component]
pub fn ErrorSummary(error: AppError) -> impl IntoView {
    let items = match &error {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|f| {
                let href = format!("#{}", f.field);
                view! { <li><a href=href>{f.message.clone()}</a></li> }
            })
            .collect_view()
            .into_any(),
        other => view! { <li>{other.to_string()}</li> }.into_any(),
    };
    view! {
        <div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1">
            <h2 class="nhsuk-error-summary__title" id="error-summary-title">"There is a problem"</h2>
            <div class="nhsuk-error-summary__body">
                <ul class="nhsuk-list nhsuk-error-summary__list">{items}</ul>
            </div>
        </div>
    }
}

/// The message under a field, when the last submission refused it.
#[component]
pub fn ErrorMessage(error: Option<AppError>, field: &'static str) -> impl IntoView {
    let message = error.and_then(|e| e.field_errors().iter().find(|f| f.field == field).map(|f| f.message.clone()));
    message.map(|m| {
        view! {
            <span class="nhsuk-error-message" id=format!("{field}-error")>
                <span class="nhsuk-u-visually-hidden">"Error: "</span>
                {m}
            </span>
        }
    })
}
