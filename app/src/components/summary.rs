use leptos::prelude::*;

/// One row of an NHS summary list: a key and its value.
pub fn summary_row(key: impl IntoView + 'static, value: impl IntoView + 'static) -> impl IntoView {
    view! {
        <div class="nhsuk-summary-list__row">
            <dt class="nhsuk-summary-list__key">{key}</dt>
            <dd class="nhsuk-summary-list__value">{value}</dd>
        </div>
    }
}
