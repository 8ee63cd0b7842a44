//! "Consider online access": the patients to ask about online services, and
//! the paper application form for those who want them.

use crate::api::consider_access::{
    list_address, load_application_form, load_patients_to_consider, PatientToConsider, PatientsToConsider,
    RecordOfferDeclined,
};
use crate::components::{id_param, submitted_form, summary_row, ErrorSummary, FormState, PostForm};
use crate::pages::admin::{listing, AdminPage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const LIST_PAGE: &str = "/admin/consider-access";

/// `/admin/consider-access`: registered patients with no online account who
/// have not been offered one in the last 12 months, a page at a time, each
/// with "Offered and declined" and their application form.
#[component]
pub fn ConsiderAccessPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let declined = move || query.read().get("declined").is_some();
    // Keyed on `declined` too: after recording one the browser comes back
    // with `?declined=1`, and the list is loaded again.
    let list = Resource::new(move || (page(), declined()), |(page, _)| load_patients_to_consider(page));
    let submitted = submitted_form();
    let decline = ServerAction::<RecordOfferDeclined>::new();
    let body = move || {
        view! {
            <p>"Registered patients with no online account who have not been offered one in the last 12 months."</p>
            <p>"Ask them when you next speak to them. Give anyone who wants online services the application form; if they do not want them, record that they declined, and they will not be listed again for 12 months."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(decline, submitted.get_value());
                    let error = form.error_signal();
                    let recorded = declined();
                    listing(list.await, move |list| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        {recorded.then(|| view! {
                            <div class="nhsuk-inset-text" role="status">
                                <p>"Recorded: they were offered online access and declined. They will not be listed again for 12 months."</p>
                            </div>
                        })}
                        <PatientList list form/>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Consider online access" body/> }
}

#[component]
fn PatientList(list: PatientsToConsider, form: FormState<RecordOfferDeclined>) -> impl IntoView {
    if list.patients.is_empty() {
        return view! {
            <p>"No patients to consider: every registered patient has an online account or was offered one in the last 12 months."</p>
        }
        .into_any();
    }
    let count = match list.total {
        1 => "1 patient to consider.".to_owned(),
        n => format!("{n} patients to consider."),
    };
    let position = (list.pages > 1).then(|| format!(" Page {} of {}.", list.page, list.pages));
    let page = list.page;
    view! {
        <p>{count}{position}</p>
        {list.patients.into_iter().map(|patient| view! { <PatientCard patient page form/> }).collect_view()}
        <Pagination page=list.page pages=list.pages/>
    }
    .into_any()
}

/// One patient: who they are, when they were last offered, and what to do.
#[component]
fn PatientCard(patient: PatientToConsider, page: u32, form: FormState<RecordOfferDeclined>) -> impl IntoView {
    let id = patient.id;
    let for_whom = format!(": {}", patient.name);
    let form_for = format!(" for {}", patient.name);
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-s">
                    <a href=format!("/admin/patients/{id}")>{patient.name.clone()}</a>
                </h2>
                <dl class="nhsuk-summary-list">
                    {summary_row("Date of birth", patient.date_of_birth.clone())}
                    {summary_row(patient.identifier_label.clone(), patient.identifier.clone())}
                    {summary_row("Last offered", patient.last_offered.clone())}
                </dl>
                <div class="gp-actions">
                    <PostForm form page=LIST_PAGE>
                        <input type="hidden" name="patient_id" value=id.to_string()/>
                        {(page > 1).then(|| view! { <input type="hidden" name="page" value=page.to_string()/> })}
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit">
                            "Offered and declined"
                            <span class="nhsuk-u-visually-hidden">{for_whom}</span>
                        </button>
                    </PostForm>
                    <p class="gp-card-link">
                        <a href=format!("/admin/patients/{id}/application-form")>
                            "Print application form"
                            <span class="nhsuk-u-visually-hidden">{form_for}</span>
                        </a>
                    </p>
                </div>
            </div>
        </div>
    }
}

/// Previous and next page links, in the NHS style.
#[component]
fn Pagination(page: u32, pages: u32) -> impl IntoView {
    if pages <= 1 {
        return ().into_any();
    }
    let previous = (page > 1).then(|| {
        view! {
            <li class="nhsuk-pagination-item--previous">
                <a class="nhsuk-pagination__link nhsuk-pagination__link--prev" href=list_address(page - 1, None) rel="prev">
                    <span class="nhsuk-pagination__title">"Previous"<span class="nhsuk-u-visually-hidden">" page"</span></span>
                    <span class="nhsuk-u-visually-hidden">":"</span>
                    <span class="nhsuk-pagination__page">{format!("Page {} of {pages}", page - 1)}</span>
                    <svg class="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                        <path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z"/>
                    </svg>
                </a>
            </li>
        }
    });
    let next = (page < pages).then(|| {
        view! {
            <li class="nhsuk-pagination-item--next">
                <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href=list_address(page + 1, None) rel="next">
                    <span class="nhsuk-pagination__title">"Next"<span class="nhsuk-u-visually-hidden">" page"</span></span>
                    <span class="nhsuk-u-visually-hidden">":"</span>
                    <span class="nhsuk-pagination__page">{format!("Page {} of {pages}", page + 1)}</span>
                    <svg class="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
                        <path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z"/>
                    </svg>
                </a>
            </li>
        }
    });
    view! {
        <nav class="nhsuk-pagination" role="navigation" aria-label="Pagination">
            <ul class="nhsuk-list nhsuk-pagination__list">
                {previous}
                {next}
            </ul>
        </nav>
    }
    .into_any()
}

/// `/admin/patients/{patient}/application-form`: the paper application for
/// online services, filled in with what the practice knows and laid out for A4.
#[component]
pub fn ApplicationFormPage() -> impl IntoView {
    let patient = id_param("patient");
    let application = Resource::new(patient, load_application_form);
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(application.await, |a| view! {
                        <div class="gp-no-print">
                            <div class="nhsuk-inset-text" role="status">
                                <p>"Print this page (your browser's Print command) and give it to the patient to fill in. It is laid out for A4 paper."</p>
                            </div>
                            <ul class="nhsuk-list">
                                <li><a href=LIST_PAGE>"Back to consider online access"</a></li>
                                <li><a href=format!("/admin/patients/{}", a.patient_id)>"Their details"</a></li>
                            </ul>
                        </div>
                        <article class="gp-letter gp-application" aria-label="Application for online services">
                            <p class="gp-letter__from">
                                <strong>{a.practice_name.clone()}</strong><br/>
                                {a.practice_address.clone()}<br/>
                                {format!("Telephone: {} · Practice ID (ODS code): {}", a.practice_phone, a.ods_code)}
                            </p>
                            <h2>"Application for online services"</h2>
                            <p>"Online services let you book appointments, order repeat prescriptions, message the practice and read your health record on a phone, tablet or computer. Hand this form in at reception with photo ID, such as a passport or driving licence: we will check who you are and give you a letter to set up your account."</p>
                            <h3>"Your details"</h3>
                            <dl class="nhsuk-summary-list gp-letter__details">
                                {summary_row("Name", a.patient_name.clone())}
                                {summary_row("Date of birth", a.date_of_birth.clone())}
                                {summary_row(a.identifier_label.clone(), a.identifier.clone())}
                                {summary_row("Email address", blank())}
                                {summary_row("Mobile number", blank())}
                            </dl>
                            <p class="nhsuk-body-s">"Use an email address only you can read: we send appointment emails to it."</p>
                            <h3>"Which services do you want? Tick each one."</h3>
                            <ul class="gp-tick-list">
                                {tick("Booking and cancelling appointments")}
                                {tick("Ordering repeat prescriptions")}
                                {tick("Messaging the practice")}
                                {tick("Seeing my health record")}
                            </ul>
                            <h3>"Declaration"</h3>
                            <p>"I want to use the online services ticked above, and:"</p>
                            <ul>
                                <li>"I will keep my login details safe and not share them with anyone. If I think someone else knows them or has used my account, I will change my password and tell the practice."</li>
                                <li>"I understand the risks: my record may hold information I was not expecting, such as test results I have not yet talked about with a clinician, or information about other people; anyone who sees my screen or makes me share my login could see my record."</li>
                                <li>"If I see information in my record that is not about me, or is wrong, I will log out and tell the practice."</li>
                                <li>"I can ask the practice to stop my online services at any time."</li>
                            </ul>
                            <div class="gp-signature">
                                <div><p>"Signature"</p>{blank()}</div>
                                <div><p>"Date"</p>{blank()}</div>
                            </div>
                            <section class="gp-practice-box" aria-label="For the practice">
                                <h3>"For the practice"</h3>
                                <dl class="nhsuk-summary-list gp-letter__details">
                                    {summary_row("Identity checked by", blank())}
                                    {summary_row("How", view! {
                                        <ul class="gp-tick-list">
                                            {tick("Photo ID seen")}
                                            {tick("Vouched for by a clinician")}
                                            {tick("Other:")}
                                        </ul>
                                    })}
                                    {summary_row("Date", blank())}
                                </dl>
                            </section>
                        </article>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Application for online services" body/> }
}

/// A line to write on by hand.
fn blank() -> impl IntoView {
    view! { <span class="gp-blank"><span class="nhsuk-u-visually-hidden">"To fill in by hand"</span></span> }
}

/// A box to tick by hand, and what it is for.
fn tick(label: &'static str) -> impl IntoView {
    view! { <li><span class="gp-tick-box" aria-hidden="true"></span>{label}</li> }
}
