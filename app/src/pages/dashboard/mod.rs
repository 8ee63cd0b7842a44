//! `/admin/dashboard`: how the practice's patients take up and use online
//! services, for a month and the twelve before it, against the practice's
//! targets, and who is left behind. Charts are drawn on the server with the
//! same figures in tables; each table is a CSV file too. Works without
//! JavaScript.

mod chart;

use crate::api::dashboard::{practice_dashboard, Dashboard, MonthFigures, SaveTargets};
use crate::components::{saved_param, submitted_form, ErrorSummary, FormState, InputField, PostForm};
use crate::pages::admin::{listing, AdminPage};
use domain::measures::{pomi_fields, Measures};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Picks one figure from a month's measures.
type Pick = fn(&Measures) -> u32;

/// The columns of the months table: heading and value.
const MONTH_COLUMNS: [(&str, Pick); 7] = [
    ("On the list", |m| m.registered),
    ("With an online account", |m| m.with_account),
    ("Enabled for any service", |m| m.total_enabled),
    ("Appointments booked or cancelled online", |m| m.appointments_use),
    ("Repeat orders", |m| m.prescriptions_use),
    ("Record views", |m| m.record_use),
    ("Messages from patients", |m| m.messages_from_patients),
];

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let month = move || query.read().get("month").unwrap_or_default();
    let figures = Resource::new(month, practice_dashboard);
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(figures.await, |d| view! { <Figures d/> }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Practice dashboard" body/> }
}

#[component]
fn Figures(d: Dashboard) -> impl IntoView {
    let Some(now) = d.this_month().cloned() else {
        return view! { <p>"No months to show."</p> }.into_any();
    };
    let month = d.month.clone();
    let file = move |name: &str| format!("/admin/dashboard/{name}.csv?month={month}");
    let bars =
        |pick: Pick| -> Vec<(String, u32)> { d.months.iter().map(|m| (m.short.clone(), pick(&m.measures))).collect() };
    let accounts = chart::bar_chart("chart-accounts", "Patients with an online account", &bars(|m| m.with_account));
    let uses = chart::bar_chart(
        "chart-uses",
        "Online uses: bookings, cancellations, orders and record views",
        &bars(|m| m.total_use),
    );
    view! {
        <MonthChooser d=d.clone()/>
        <h2 id="targets">{format!("Targets for {}", now.label)}</h2>
        <TargetsTable d=d.clone()/>
        <p><a href=file("targets") download>"Download the targets (CSV)"</a></p>
        <h2>"This month and the last 12"</h2>
        <div class="gp-charts">
            <figure class="gp-chart">
                <div inner_html=accounts></div>
                <figcaption>"Patients with an online account at each month's end. The figures are in the table below."</figcaption>
            </figure>
            <figure class="gp-chart">
                <div inner_html=uses></div>
                <figcaption>"Online uses in each month. The figures are in the table below."</figcaption>
            </figure>
        </div>
        <MonthsTable months=d.months.clone()/>
        <p><a href=file("months") download>"Download the months (CSV)"</a></p>
        <h2>{format!("{}: the national measures (POMI)", now.label)}</h2>
        <PomiTable now=now.clone()/>
        <p><a href=file("pomi") download>"Download the month in the POMI shape (CSV)"</a></p>
        <h2>"Who is left behind"</h2>
        <p>{format!("Patients on the list with a working online account at the end of {}.", now.label)}</p>
        <UptakeTable d=d.clone()/>
        <p><a href=file("uptake") download>"Download who is left behind (CSV)"</a></p>
        <h2>"Problems reported"</h2>
        <p>{match d.open_problems {
            0 => "No problems with the online services are open.".to_owned(),
            1 => "1 problem with the online services is open.".to_owned(),
            n => format!("{n} problems with the online services are open."),
        }}</p>
        {(!d.newest_problems.is_empty()).then(|| view! {
            <ul class="nhsuk-list nhsuk-list--bullet">
                {d.newest_problems.clone().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        })}
        <p><a href="/admin/problems">"See every problem reported"</a></p>
        {d.can_set_targets.then(|| view! { <TargetsForm d=d.clone()/> })}
    }
    .into_any()
}

/// A month to show, typed or stepped to; without JavaScript a plain GET form.
#[component]
fn MonthChooser(d: Dashboard) -> impl IntoView {
    view! {
        <form method="get" action="/admin/dashboard" class="gp-month-chooser">
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="month">"Month, like 2026-03"</label>
                <input class="nhsuk-input nhsuk-input--width-10" id="month" name="month" type="text" inputmode="numeric" value=d.month.clone()/>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Show this month"</button>
        </form>
        <p>
            <a href=format!("/admin/dashboard?month={}", d.earlier)>"Earlier month"</a>
            {d.later.clone().map(|later| view! { " · " <a href=format!("/admin/dashboard?month={later}")>"Later month"</a> })}
        </p>
    }
}

/// A table that scrolls sideways on a phone, named for a screen reader.
#[component]
fn ScrollTable(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="gp-table-scroll" tabindex="0" role="region" aria-label=label>
            <table class="nhsuk-table">{children()}</table>
        </div>
    }
}

fn head(cells: &[&'static str]) -> impl IntoView {
    let cells = cells.to_vec();
    view! {
        <thead class="nhsuk-table__head">
            <tr class="nhsuk-table__row">
                {cells.into_iter().map(|cell| view! { <th class="nhsuk-table__header" scope="col">{cell}</th> }).collect_view()}
            </tr>
        </thead>
    }
}

#[component]
fn TargetsTable(d: Dashboard) -> impl IntoView {
    view! {
        <ScrollTable label="Targets">
                {head(&["Measure", "This month", "Target", "Verdict"])}
                <tbody class="nhsuk-table__body">
                    {d.targets.into_iter().map(|t| {
                        let tag = if t.met { "nhsuk-tag nhsuk-tag--green" } else { "nhsuk-tag nhsuk-tag--grey" };
                        view! {
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="row">{t.name}</th>
                                <td class="nhsuk-table__cell">{t.value}" ("{t.counts}")"</td>
                                <td class="nhsuk-table__cell">{format!("{}%", t.target)}</td>
                                <td class="nhsuk-table__cell"><strong class=tag>{t.verdict}</strong></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
        </ScrollTable>
    }
}

#[component]
fn MonthsTable(months: Vec<MonthFigures>) -> impl IntoView {
    view! {
        <ScrollTable label="Each month's figures">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Each month's figures"</caption>
            <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="col">"Month"</th>
                    {MONTH_COLUMNS.iter().map(|(name, _)| view! { <th class="nhsuk-table__header" scope="col">{*name}</th> }).collect_view()}
                    <th class="nhsuk-table__header" scope="col">"Online uses"</th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">
                {months.into_iter().rev().map(|m| view! {
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="row">{m.label.clone()}</th>
                        {MONTH_COLUMNS.iter().map(|(_, value)| view! { <td class="nhsuk-table__cell">{value(&m.measures)}</td> }).collect_view()}
                        <td class="nhsuk-table__cell">{m.measures.total_use}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </ScrollTable>
    }
}

#[component]
fn PomiTable(now: MonthFigures) -> impl IntoView {
    let m = now.measures;
    let others = [
        ("Repeat items ordered online", m.items_ordered.to_string()),
        ("Messages from patients", m.messages_from_patients.to_string()),
        ("Messages from the practice", m.messages_from_practice.to_string()),
        ("Proxy grants in force at the month's end", m.proxy_grants_active.to_string()),
        ("Missed appointments booked online", "Not recorded here".to_owned()),
    ];
    view! {
        <ScrollTable label="The month's measures">
                {head(&["Measure", "Value"])}
                <tbody class="nhsuk-table__body">
                    {pomi_fields(&m).into_iter().map(|(name, value)| view! {
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="row"><code>{name}</code></th>
                            <td class="nhsuk-table__cell">{value}</td>
                        </tr>
                    }).collect_view()}
                    {others.into_iter().map(|(name, value)| view! {
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="row">{name}</th>
                            <td class="nhsuk-table__cell">{value}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
        </ScrollTable>
    }
}

#[component]
fn UptakeTable(d: Dashboard) -> impl IntoView {
    view! {
        <ScrollTable label="Who is left behind">
                {head(&["Group", "On the list", "With an online account", "Share"])}
                <tbody class="nhsuk-table__body">
                    {d.uptake.into_iter().map(|u| view! {
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="row">{format!("{}: {}", u.by, u.group)}</th>
                            <td class="nhsuk-table__cell">{u.registered}</td>
                            <td class="nhsuk-table__cell">{u.with_account}</td>
                            <td class="nhsuk-table__cell">{u.percent}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
        </ScrollTable>
    }
}

/// Practice admins: the three targets.
#[component]
fn TargetsForm(d: Dashboard) -> impl IntoView {
    let saved = saved_param();
    let save = ServerAction::<SaveTargets>::new();
    let form = FormState::new(save, submitted_form().get_value());
    let error = form.error_signal();
    let value = move |field: &str| {
        d.targets.iter().find(|t| t.field == field).map(|t| t.target.to_string()).unwrap_or_default()
    };
    view! {
        <h2>"The practice's targets"</h2>
        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
        {move || saved().map(|_| view! { <div class="nhsuk-inset-text" role="status"><p>"The targets are saved."</p></div> })}
        <PostForm form page="/admin/dashboard">
            <InputField name="offered_online" label="Routine appointments offered online (%)" hint="A whole number from 1 to 100. The London programme's is 80." error value=value("offered_online") width="nhsuk-input--width-4"/>
            <InputField name="with_account" label="Patients with an online account (%)" hint="The London programme's is 20." error value=value("with_account") width="nhsuk-input--width-4"/>
            <InputField name="used_online" label="Routine bookings and cancellations made online (%)" hint="The London programme's is 50." error value=value("used_online") width="nhsuk-input--width-4"/>
            <button class="nhsuk-button" type="submit">"Save targets"</button>
        </PostForm>
    }
}
