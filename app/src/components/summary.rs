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

/// The head of an NHS table: one header cell per column.
pub fn table_head(columns: &[&'static str]) -> impl IntoView {
    view! {
        <thead class="nhsuk-table__head">
            <tr class="nhsuk-table__row">
                {columns.iter().map(|column| view! { <th class="nhsuk-table__header" scope="col">{*column}</th> }).collect_view()}
            </tr>
        </thead>
    }
}
