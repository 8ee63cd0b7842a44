use crate::error::AppError;
use leptos::html::Div;
use leptos::prelude::*;

/// The NHS error summary: shown at the top of a form when it was refused,
/// with a link to each field that needs attention. It takes the focus when it
/// appears (an island: the one part of a form's page that runs in the
/// browser), so screen reader and keyboard users land on it.
#[island]
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
    let summary = NodeRef::<Div>::new();
    Effect::new(move |_| {
        if let Some(element) = summary.get() {
            let _ = element.focus();
        }
    });
    view! {
        <div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" node_ref=summary>
            <h2 class="nhsuk-error-summary__title" id="error-summary-title">"There is a problem"</h2>
            <div class="nhsuk-error-summary__body">
                <ul class="nhsuk-list nhsuk-error-summary__list">{items}</ul>
            </div>
        </div>
    }
}
