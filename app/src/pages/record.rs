//! `/record`: the patient's record, by section, newest first, with a small
//! chart for each repeated result. Rendered on the server; the filter is a
//! plain GET form, and the page prints as it reads.

use crate::api::record::{my_record, who_looked, EntryView, ResultSeries};
use crate::components::table_head;
use crate::pages::admin::listing;
use crate::pages::appointments::{PatientFrame, SelectField};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The record, in the section and from the date the filter chose.
#[component]
pub fn RecordPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &'static str| move || query.read().get(name).unwrap_or_default();
    let record =
        Resource::new(move || (field("section")(), field("from")()), |(section, from)| my_record(section, from));
    let body = move || {
        let sections: Vec<(String, String)> =
            domain::record::EntryKind::ALL.iter().map(|k| (k.as_str().to_owned(), k.label().to_owned())).collect();
        view! {
            <Suspense fallback=|| ()>
                {move || {
                    let sections = sections.clone();
                    Suspend::new(async move {
                        listing(record.await, move |r| view! {
                            <p class="nhsuk-body-l">{r.describe.clone()}</p>
                            <form method="get" action="/record" class="nhsuk-u-margin-bottom-5">
                                <SelectField name="section" label="Section" options=sections selected=r.section.clone() any="All sections" error=Signal::stored(None)/>
                                <div class="nhsuk-form-group">
                                    <label class="nhsuk-label" for="from">"From"</label>
                                    <div class="nhsuk-hint" id="from-hint">"A date, such as 1/4/2021. Leave it empty for every date."</div>
                                    <input class="nhsuk-input nhsuk-input--width-10" id="from" name="from" type="text" aria-describedby="from-hint" value=r.from.clone()/>
                                </div>
                                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Show"</button>
                            </form>
                            <ul class="nhsuk-list">
                                {r.sections.iter().filter(|s| s.count > 0).map(|s| view! {
                                    <li><a href=format!("/record?section={}", s.kind)>{s.label.clone()}</a>{format!(" ({})", s.count)}</li>
                                }).collect_view()}
                            </ul>
                            <p><a href="/record/download" download="">"Download what you can see (a FHIR file)"</a></p>
                            {r.can_see_looks.then(|| view! { <p><a href="/record/who-looked">"Who has looked at your record"</a></p> })}
                            {r.can_see_sharing.then(|| view! { <p><a href="/record/sharing">"Sharing your record"</a></p> })}
                            {r.series.into_iter().map(|series| view! { <ResultChart series/> }).collect_view()}
                            {if r.entries.is_empty() {
                                view! { <p>"Nothing to show here."</p> }.into_any()
                            } else {
                                r.entries.into_iter().map(|entry| view! { <RecordEntry entry/> }).collect_view().into_any()
                            }}
                        }.into_any())
                    })
                }}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Your record" body/> }
}

/// One entry, as a card.
#[component]
pub(crate) fn RecordEntry(entry: EntryView) -> impl IntoView {
    let section = domain::record::EntryKind::parse(&entry.kind).map_or("", |k| k.label());
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">{format!("{section}, {}", entry.date)}</p>
                <h2 class="nhsuk-card__heading nhsuk-heading-s">{entry.title}</h2>
                {entry.value.map(|value| view! {
                    <p>
                        <strong>{value}</strong>
                        {entry.abnormal.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--orange">"Outside the normal range"</strong> })}
                    </p>
                })}
                {entry.range.map(|range| view! { <p class="nhsuk-body-s">{range}</p> })}
                {entry.status.map(|status| view! { <p class="nhsuk-body-s">{status}</p> })}
                {entry.detail.map(|detail| view! { <p>{detail}</p> })}
                {entry.notes.map(|notes| view! { <p class="gp-message-body">{notes}</p> })}
                {entry.document.map(|href| view! { <p><a href=href download="">"Download the document"</a></p> })}
                {entry.clinician.map(|who| view! { <p class="nhsuk-body-s">{who}</p> })}
            </div>
        </div>
    }
}

/// A repeated result as a small line chart drawn on the server, with the
/// same figures as a table for anyone who cannot see it.
#[component]
fn ResultChart(series: ResultSeries) -> impl IntoView {
    const WIDTH: f64 = 300.0;
    const HEIGHT: f64 = 90.0;
    let values: Vec<f64> = series.points.iter().map(|(_, v)| *v).collect();
    let (low, high) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let spread = if high > low { high - low } else { 1.0 };
    let step = WIDTH / (values.len().max(2) - 1) as f64;
    let points: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (i as f64 * step, HEIGHT - 10.0 - (v - low) / spread * (HEIGHT - 20.0)))
        .collect();
    let line = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let label = format!("{} over time", series.title);
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-s">{label.clone()}</h2>
                <svg viewBox=format!("-6 0 {} {HEIGHT}", WIDTH + 12.0) width="100%" role="img" aria-label=label focusable="false">
                    <polyline points=line fill="none" stroke="#005eb8" stroke-width="2"/>
                    {points.into_iter().map(|(x, y)| view! { <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="4" fill="#005eb8"/> }).collect_view()}
                </svg>
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{series.title.clone()}</caption>
                    <tbody class="nhsuk-table__body">
                        {series.points.into_iter().map(|(date, value)| view! {
                            <tr class="nhsuk-table__row">
                                <td class="nhsuk-table__cell">{date}</td>
                                <td class="nhsuk-table__cell">{format!("{value} {}", series.unit)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// `/record/who-looked`: every look at the patient's record, newest first.
#[component]
pub fn WhoLookedPage() -> impl IntoView {
    let looks = Resource::new(|| (), |_| who_looked());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(looks.await, |looks| view! {
                        <p>"Every time someone opens or downloads your record, it is written down. This is the list, newest first."</p>
                        {if looks.is_empty() {
                            view! { <p>"Nobody has looked yet."</p> }.into_any()
                        } else {
                            view! {
                                <table class="nhsuk-table">
                                        {table_head(&["When", "Who", "What"])}
                                        <tbody class="nhsuk-table__body">
                                            {looks.into_iter().map(|look| view! {
                                                <tr class="nhsuk-table__row">
                                                    <td class="nhsuk-table__cell">{look.when}</td>
                                                    <td class="nhsuk-table__cell">{look.who}</td>
                                                    <td class="nhsuk-table__cell">{look.what}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                </table>
                            }.into_any()
                        }}
                        <p><a href="/record">"Back to your record"</a></p>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <PatientFrame title="Who has looked at your record" body/> }
}
