//! `/admin/record/import`: practice admins upload a patient's record, a FHIR
//! bundle exported from the clinical system, and see what it did.

use crate::api::record_import::{recent_record_imports, ImportRecordBundle, PastImport, RecordImportReport};
use crate::components::{submitted_form, ErrorSummary, FormState};
use crate::pages::admin::{listing, AdminPage};
use leptos::prelude::*;

/// A plain form post with a file (a file cannot go through a server function
/// call in place), so the same with or without JavaScript.
#[component]
pub fn RecordImportPage() -> impl IntoView {
    let submitted = submitted_form();
    let import = ServerAction::<ImportRecordBundle>::new();
    let past = Resource::new(|| (), |_| recent_record_imports());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(import, submitted.get_value());
                    let error = form.error_signal();
                    let report = form.output();
                    listing(past.await, move |past| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        {report.clone().map(|report| view! { <ImportReport report/> })}
                        <p>"Export the patient's record from the clinical system as a FHIR R4 Bundle (UK Core) in JSON, one patient per file. The patient is found by the NHS number in the bundle, among the patients registered here."</p>
                        <p>"Importing the same record again updates it: nothing is added twice, and entries hidden here stay hidden. A file with any problem imports nothing, and each problem is listed. Up to 2 MB."</p>
                        <form method="post" action="/admin/record/import" enctype="multipart/form-data">
                            <input type="hidden" name=crate::components::form::ACTION_FIELD value="/api/admin/record/import"/>
                            <div class="nhsuk-form-group">
                                <label class="nhsuk-label" for="bundle">"Record file (FHIR JSON)"</label>
                                <input class="nhsuk-file-upload" id="bundle" name="bundle" type="file" accept=".json,application/json,application/fhir+json"/>
                            </div>
                            <button class="nhsuk-button" type="submit">"Import the record"</button>
                        </form>
                        <PastImports past/>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Import patients' records" body/> }
}

#[component]
fn ImportReport(report: RecordImportReport) -> impl IntoView {
    let Some((patient, name)) = report.patient else {
        return view! {
            <div class="nhsuk-error-summary" role="alert" aria-labelledby="import-problems-title" tabindex="-1">
                <h2 class="nhsuk-error-summary__title" id="import-problems-title">
                    "The file needs correcting. Nothing was imported."
                </h2>
                <div class="nhsuk-error-summary__body">
                    <ul class="nhsuk-list nhsuk-error-summary__list">
                        {report.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                </div>
            </div>
        }
        .into_any();
    };
    let left_out = match report.left_out {
        0 => String::new(),
        n => format!(" {n} left out (types the record does not take, drafts, entries in error)."),
    };
    view! {
        <div class="nhsuk-inset-text" role="status">
            <p>
                {format!("{name}'s record imported: {} added, {} updated.{left_out} ", report.added, report.updated)}
                <a href=format!("/admin/patients/{patient}")>{format!("Open {name}'s page")}</a>
            </p>
        </div>
    }
    .into_any()
}

#[component]
fn PastImports(past: Vec<PastImport>) -> impl IntoView {
    if past.is_empty() {
        return view! { <p>"No records imported yet."</p> }.into_any();
    }
    view! {
        <h2>"Recent imports"</h2>
        <table class="nhsuk-table">
            <thead class="nhsuk-table__head">
                <tr>
                    <th scope="col">"When"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"Patient"</th>
                    <th scope="col">"What"</th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">
                {past.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.at}</td>
                        <td>{p.by}</td>
                        <td>{p.patient.map(|(id, name)| view! { <a href=format!("/admin/patients/{id}")>{name}</a> })}</td>
                        <td>{p.what}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
