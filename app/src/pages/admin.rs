use crate::api::admin::admin_overview;
use crate::components::Layout;
use crate::pages::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin`: the staff area's home. Staff only.
#[component]
pub fn AdminHome() -> impl IntoView {
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <Title text=format!("Practice admin - {}", o.practice_name)/>
                        <Layout service_name=o.practice_name.clone()>
                            <h1>"Practice admin"</h1>
                            <p>{format!("{} registered patients.", o.patients)}</p>
                            <h2>"Staff"</h2>
                            <table class="nhsuk-table">
                                <thead class="nhsuk-table__head">
                                    <tr class="nhsuk-table__row">
                                        <th class="nhsuk-table__header" scope="col">"Name"</th>
                                        <th class="nhsuk-table__header" scope="col">"Role"</th>
                                        <th class="nhsuk-table__header" scope="col">"Email"</th>
                                    </tr>
                                </thead>
                                <tbody class="nhsuk-table__body">
                                    {o.staff.into_iter().map(|s| view! {
                                        <tr class="nhsuk-table__row">
                                            <td class="nhsuk-table__cell">{s.name}</td>
                                            <td class="nhsuk-table__cell">{s.role}</td>
                                            <td class="nhsuk-table__cell">{s.email}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </Layout>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
