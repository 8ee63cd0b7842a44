use crate::api::patients::{
    load_patient, ChangeContact, ChangeDetails, ChangeGrants, ChangeRegistration, ImportRegister, ImportReport,
    PatientDetails, SearchPatients, SEXES,
};
use crate::components::{
    id_param, saved_param, submitted_form, CheckboxField, ErrorSummary, FormState, InputField, PostForm, RadioField,
};
use crate::pages::admin::{listing, AdminPage};
use crate::pages::grants::{describe_grants, GrantsFields};
use leptos::prelude::*;

/// `/admin/patients`: staff search the register by name, date of birth or
/// identifier. The search is posted, and the results shown in the page, so
/// what was typed never appears in an address.
#[component]
pub fn PatientsPage() -> impl IntoView {
    let form = FormState::new(ServerAction::<SearchPatients>::new(), submitted_form().get_value());
    let error = form.error_signal();
    let body = move || {
        view! {
            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
            <div role="search">
                <PostForm form page="/admin/patients">
                    <InputField name="q" label="Name, date of birth or NHS, CHI or H&C number" hint="For example, Amara Ahmed, 15/01/1940 or 999 000 1000" error value=form.value("q")/>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Search"</button>
                </PostForm>
            </div>
            {move || form.output().map(|found| if found.is_empty() {
                view! { <p>"No patients match."</p> }.into_any()
            } else {
                view! {
                    <p>{format!("{} found.", found.len())}</p>
                    <div class="gp-table-scroll" tabindex="0" role="region" aria-label="Patients found">
                        <table class="nhsuk-table">
                            <thead class="nhsuk-table__head">
                                <tr class="nhsuk-table__row">
                                    <th class="nhsuk-table__header" scope="col">"Name"</th>
                                    <th class="nhsuk-table__header" scope="col">"Date of birth"</th>
                                    <th class="nhsuk-table__header" scope="col">"Number"</th>
                                    <th class="nhsuk-table__header" scope="col">"Registration"</th>
                                </tr>
                            </thead>
                            <tbody class="nhsuk-table__body">
                                {found.into_iter().map(|p| view! {
                                    <tr class="nhsuk-table__row">
                                        <td class="nhsuk-table__cell"><a href=format!("/admin/patients/{}", p.id)>{p.name}</a></td>
                                        <td class="nhsuk-table__cell">{p.date_of_birth}</td>
                                        <td class="nhsuk-table__cell">{p.identifier}</td>
                                        <td class="nhsuk-table__cell">{p.status}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
        }
    };
    view! { <AdminPage title="Find a patient" body/> }
}

/// `/admin/patients/{patient}`: a patient's details, online account and services.
#[component]
pub fn PatientPage() -> impl IntoView {
    let id = id_param("patient");
    let saved = saved_param();
    // Keyed on `saved` too: after a change the browser comes back to this page
    // with `?saved=…`, and the patient is loaded again.
    let patient = Resource::new(move || (id(), saved()), |(id, _)| load_patient(id));
    let submitted = submitted_form();
    let change = ServerAction::<ChangeGrants>::new();
    let registration = ServerAction::<ChangeRegistration>::new();
    let contact = ServerAction::<ChangeContact>::new();
    let details = ServerAction::<ChangeDetails>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let submitted = submitted.get_value();
                    let form = FormState::new(change, submitted.clone());
                    let status_form = FormState::new(registration, submitted.clone());
                    let contact_form = FormState::new(contact, submitted.clone());
                    let details_form = FormState::new(details, submitted);
                    let details_error = details_form.error_signal();
                    let error = form.error_signal();
                    let status_error = status_form.error_signal();
                    let contact_error = contact_form.error_signal();
                    listing(patient.await, move |p| view! {
                        {move || error.get().or(status_error.get()).or(contact_error.get()).or(details_error.get()).map(|error| view! { <ErrorSummary error/> })}
                        {saved().map(|what| view! {
                            <div class="nhsuk-inset-text" role="status"><p>{match what.as_str() {
                                "contact" => "Their contact details are saved.",
                                "details" => "Their details are saved.",
                                "registration" => "Their registration is saved.",
                                "prescribing" => "Their online ordering is saved.",
                                "sharing" => "Their consent to share is saved.",
                                "proxy" => "Their proxy access is saved.",
                                _ => "Their online services are saved.",
                            }}</p></div>
                        })}
                        <PatientFacts patient=p.clone()/>
                        {(p.status == "registered").then(|| view! {
                            <p>
                                <a class="nhsuk-button nhsuk-button--secondary" href=format!("/admin/patients/{}/appointments", p.summary.id)>"Appointments"</a>" "
                                {p.can_issue_letters.then(|| view! {
                                    <a class="nhsuk-button nhsuk-button--secondary" href=format!("/admin/patients/{}/online-account", p.summary.id)>"Online account"</a>
                                })}" "
                                {p.can_keep_record.then(|| view! {
                                    <a class="nhsuk-button nhsuk-button--secondary" href=format!("/admin/patients/{}/record", p.summary.id)>"Record"</a>
                                })}
                            </p>
                        })}
                        {p.can_change_details.then(|| view! {
                            <details class="nhsuk-details" open=move || details_error.get().is_some()>
                                <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Change name, date of birth, sex or address"</span></summary>
                                <div class="nhsuk-details__text">
                                    <PostForm form=details_form page=format!("/admin/patients/{}", p.summary.id)>
                                        <input type="hidden" name="patient_id" value=p.summary.id.to_string()/>
                                        <InputField name="given_name" label="First name" error=details_error value=p.given_name.clone()/>
                                        <InputField name="family_name" label="Last name" error=details_error value=p.family_name.clone()/>
                                        <InputField name="date_of_birth" label="Date of birth" hint="For example, 15/01/1940" width="nhsuk-input--width-10" error=details_error value=p.date_of_birth_typed.clone()/>
                                        <RadioField name="sex" legend="Sex" options=SEXES.to_vec() error=details_error selected=p.sex_value.clone()/>
                                        <InputField name="address" label="Address" error=details_error value=p.address.clone()/>
                                        <InputField name="postcode" label="Postcode" width="nhsuk-input--width-10" error=details_error value=p.postcode.clone()/>
                                        <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Save details"</button>
                                    </PostForm>
                                </div>
                            </details>
                        })}
                        <details class="nhsuk-details" open=move || contact_error.get().is_some()>
                            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Change contact details"</span></summary>
                            <div class="nhsuk-details__text">
                                <PostForm form=contact_form page=format!("/admin/patients/{}", p.summary.id)>
                                    <input type="hidden" name="patient_id" value=p.summary.id.to_string()/>
                                    <InputField name="email" label="Email address" kind="email" error=contact_error value=p.email.clone()/>
                                    <InputField name="mobile" label="Mobile number" kind="tel" width="nhsuk-input--width-20" error=contact_error value=p.mobile.clone()/>
                                    <div class="nhsuk-form-group">
                                        <fieldset class="nhsuk-fieldset">
                                            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"How they want to be contacted"</legend>
                                            <div class="nhsuk-checkboxes">
                                                <CheckboxField name="contact_by_email" label="By email" checked=p.contact_by_email/>
                                                <CheckboxField name="contact_by_sms" label="By text message" checked=p.contact_by_sms/>
                                            </div>
                                        </fieldset>
                                    </div>
                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Save contact details"</button>
                                </PostForm>
                            </div>
                        </details>
                        <h2>"Online services"</h2>
                        <ul class="nhsuk-list">
                            {describe_grants(&p.grants).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                        </ul>
                        <p class="nhsuk-body-s">{if p.grants_are_defaults {
                            "These are the practice's defaults.".to_owned()
                        } else {
                            format!("Set for this patient. Reason: {}", if p.grants_reason.is_empty() { "none given" } else { &p.grants_reason })
                        }}</p>
                        <details class="nhsuk-details" open=move || error.get().is_some()>
                            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Change their online services"</span></summary>
                            <div class="nhsuk-details__text">
                                <PostForm form page=format!("/admin/patients/{}", p.summary.id)>
                                    <input type="hidden" name="patient_id" value=p.summary.id.to_string()/>
                                    <GrantsFields grants=p.grants error/>
                                    <InputField name="reason" label="Reason for the change" hint="Needed when their services differ from the practice's defaults, for example a clinician's decision that full record access could cause harm." error/>
                                    <button class="nhsuk-button" type="submit">"Save their online services"</button>
                                </PostForm>
                            </div>
                        </details>
                        <crate::pages::patient_prescribing::PatientPrescribing patient_id=p.summary.id/>
                        <crate::pages::patient_sharing::PatientSharing patient_id=p.summary.id/>
                        <crate::pages::proxies::PatientProxies patient_id=p.summary.id/>
                        {p.can_change_registration.then(|| {
                            let statuses: Vec<(&'static str, &'static str)> = domain::services::RegistrationStatus::ALL.iter().map(|s| (s.as_str(), s.label())).collect();
                            view! {
                                <h2>"Registration"</h2>
                                <details class="nhsuk-details" open=move || status_error.get().is_some()>
                                    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Record that they left, died or registered again"</span></summary>
                                    <div class="nhsuk-details__text">
                                        <p>"Leaving or dying disables their online account, signs them out and stops email to them."</p>
                                        <PostForm form=status_form page=format!("/admin/patients/{}", p.summary.id)>
                                            <input type="hidden" name="patient_id" value=p.summary.id.to_string()/>
                                            <RadioField name="status" legend="Registration" options=statuses error=status_error selected=p.status.clone()/>
                                            <InputField name="on" label="Date" hint="For example, 01/04/2026" width="nhsuk-input--width-10" error=status_error/>
                                            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Save registration"</button>
                                        </PostForm>
                                    </div>
                                </details>
                            }
                        })}
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Patient" body/> }
}

#[component]
fn PatientFacts(patient: PatientDetails) -> impl IntoView {
    let row = |key: &'static str, value: String| {
        view! {
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">{key}</dt>
                <dd class="nhsuk-summary-list__value">{value}</dd>
            </div>
        }
    };
    let s = patient.summary;
    view! {
        <h2>{s.name.clone()}</h2>
        <dl class="nhsuk-summary-list">
            {row("Date of birth", s.date_of_birth)}
            {row(if s.identifier_label == "CHI number" { "CHI number" } else if s.identifier_label == "Health and Care number" { "H&C number" } else { "NHS number" }, s.identifier)}
            {row("Sex", patient.sex)}
            {row("Address", format!("{} {}", patient.address, patient.postcode))}
            {row("Email", patient.email)}
            {row("Mobile", patient.mobile)}
            {row("Contact by", patient.contact_preferences)}
            {row("Registration", format!("{} {}", s.status, if patient.registered_on.is_empty() { String::new() } else { format!("since {}", patient.registered_on) }))}
            {row("Online account", patient.account)}
        </dl>
    }
}

/// `/admin/patients/import`: practice admins add patients from a CSV file:
/// first a check that reports every bad line and changes nothing, then the
/// import, all or nothing. A plain form post (a file cannot go through a
/// server function call in place), so the same with or without JavaScript.
#[component]
pub fn ImportPatientsPage() -> impl IntoView {
    let submitted = submitted_form();
    let import = ServerAction::<ImportRegister>::new();
    // Loaded to check the visitor may import, not only see the staff area.
    let allowed = Resource::new(|| (), |_| crate::api::settings::load_settings());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(import, submitted.get_value());
                    let error = form.error_signal();
                    let report = form.output();
                    listing(allowed.await, move |_| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        {report.clone().map(|report| view! { <ImportOutcome report/> })}
                        <p>"The file is a CSV export with a header line naming these columns, in any order:"</p>
                        <p><code>{domain::register_import::COLUMNS.join(", ")}</code></p>
                        <p>"identifier_type is nhs, chi or hc; date_of_birth is like 15/01/1940; sex is female, male, other or unknown; address, postcode, email and mobile may be empty. Up to 2 MB."</p>
                        // A form with a file: posted by the browser itself, never in place.
                        <form method="post" action="/admin/patients/import" enctype="multipart/form-data">
                            <input type="hidden" name=crate::components::form::ACTION_FIELD value="/api/admin/patients/import"/>
                            <div class="nhsuk-form-group">
                                <label class="nhsuk-label" for="csv">"Register file (CSV)"</label>
                                <input class="nhsuk-file-upload" id="csv" name="csv" type="file" accept=".csv,text/csv"/>
                            </div>
                            <RadioField name="mode" legend="What to do" options=vec![
                                ("check", "Check the file only: nothing is changed"),
                                ("import", "Import the patients: all of them, or none if any line is wrong"),
                            ] error selected="check"/>
                            <button class="nhsuk-button" type="submit">"Continue"</button>
                        </form>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Import patients" body/> }
}

#[component]
fn ImportOutcome(report: ImportReport) -> impl IntoView {
    if !report.problems.is_empty() {
        return view! {
            <div class="nhsuk-error-summary" role="alert" aria-labelledby="import-problems-title" tabindex="-1">
                <h2 class="nhsuk-error-summary__title" id="import-problems-title">
                    {format!("{} line(s) need correcting. Nothing was imported.", report.problems.len())}
                </h2>
                <div class="nhsuk-error-summary__body">
                    <ul class="nhsuk-list nhsuk-error-summary__list">
                        {report.problems.into_iter().map(|p| view! { <li>{format!("Line {}: {}", p.line, p.message)}</li> }).collect_view()}
                    </ul>
                </div>
            </div>
        }.into_any();
    }
    let patients = |n: u64| if n == 1 { "1 patient".to_owned() } else { format!("{n} patients") };
    let message = if report.checked_only {
        format!("The file is ready: {} to import. Nothing has been changed yet.", patients(report.patients as u64))
    } else {
        format!("{} imported.", patients(report.imported))
    };
    view! { <div class="nhsuk-inset-text" role="status"><p>{message}</p></div> }.into_any()
}
