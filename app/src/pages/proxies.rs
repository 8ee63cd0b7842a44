//! Proxy access for staff: the part of a patient's page listing who acts for
//! them (and what each may do today), the page to set it up, and the
//! practice's list of grants to review.

use crate::api::proxies::{patient_proxies, proxies_to_review, AddProxy, ChangeProxy, ProxyLine};
use crate::components::{
    id_param, submitted_form, summary_row, CheckboxField, ErrorSummary, FormState, InputField, PostForm, RadioField,
    TextareaField,
};
use crate::pages::admin::AdminPage;
use domain::proxy::{LegalBasis, Relationship};
use domain::services::RecordLevel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// On the patient's staff page: the people who act for them. One grant's
/// suspend form at a time, chosen by its link (`?proxy={grant}`), so a
/// refusal without JavaScript shows that form again.
#[component]
pub fn PatientProxies(patient_id: i64) -> impl IntoView {
    let proxies = Resource::new(move || patient_id, patient_proxies);
    let query = use_query_map();
    let chosen = move || query.read().get("proxy").and_then(|id| id.parse::<i64>().ok());
    let submitted = submitted_form();
    let change = ServerAction::<ChangeProxy>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let form = FormState::new(change, submitted.get_value());
                let error = form.error_signal();
                proxies.await.ok().map(|lines| view! {
                    <h2 id="proxies">"People who act for this patient"</h2>
                    {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                    {if lines.is_empty() {
                        view! { <p>"Nobody has proxy access for them."</p> }.into_any()
                    } else {
                        lines.into_iter().map(|line| {
                            let open = chosen() == Some(line.id);
                            view! { <ProxyCard line patient_id open form/> }
                        }).collect_view().into_any()
                    }}
                    <p><a class="nhsuk-button nhsuk-button--secondary" href=format!("/admin/patients/{patient_id}/proxies/new")>"Set up proxy access"</a></p>
                })
            })}
        </Suspense>
    }
}

#[component]
fn ProxyCard(line: ProxyLine, patient_id: i64, open: bool, form: FormState<ChangeProxy>) -> impl IntoView {
    let error = form.error_signal();
    let page = format!("/admin/patients/{patient_id}");
    let hidden = move || {
        view! {
            <input type="hidden" name="patient_id" value=patient_id.to_string()/>
            <input type="hidden" name="grant_id" value=line.id.to_string()/>
        }
    };
    let id = line.id;
    let ids = (patient_id, id);
    view! {
        <div class="nhsuk-card" id=format!("proxy-{id}")>
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading">{line.proxy.clone()}</h3>
                {line.review_due.then(|| view! { <p><strong class="nhsuk-tag nhsuk-tag--orange">"Due for review"</strong></p> })}
                <dl class="nhsuk-summary-list">
                    {summary_row("Today", line.standing.clone())}
                    {summary_row("Relationship", line.relationship.clone())}
                    {summary_row("Legal basis", line.basis.clone())}
                    {summary_row("Services", line.services.clone())}
                    {summary_row("When", line.dates.clone())}
                    {summary_row("Checked", line.verified.clone())}
                    {line.suspended_reason.clone().map(|reason| summary_row("Why suspended", reason))}
                    {line.awaiting_sign_in.then(|| summary_row("Sign-in", "They have not set up their sign-in yet".to_owned()))}
                </dl>
                {line.can_approve.then(|| view! { <ChangeButton form page=page.clone() ids change="approve" label="Approve: the patient gave this access" primary=true/> })}
                {line.review_due.then(|| view! { <ChangeButton form page=page.clone() ids change="review" label="Reviewed: keep this access" primary=true/> })}
                {line.can_resume.then(|| view! { <ChangeButton form page=page.clone() ids change="resume" label="Resume this access" primary=false/> })}
                {(line.can_suspend && open).then(|| view! {
                    // Posted to the page with its `?proxy`, so a refusal shows this form again.
                    <PostForm form page=format!("{page}?proxy={id}")>
                        {hidden()}
                        <input type="hidden" name="change" value="suspend"/>
                        <InputField name="reason" label="Why suspend it" hint="Such as a concern about coercion, or a change the practice must check. Staff see this." error/>
                        <button class="nhsuk-button nhsuk-button--warning" type="submit">"Suspend this access"</button>
                    </PostForm>
                })}
                {(line.can_suspend && !open).then(|| view! {
                    <p><a href=format!("{page}?proxy={id}#proxy-{id}")>"Suspend this access"</a></p>
                })}
                {line.can_end.then(|| view! { <ChangeButton form page=page.clone() ids change="end" label="End this access" primary=false/> })}
            </div>
        </div>
    }
}

/// The services a grant allows, ticked one by one. A problem with them is
/// shown above the boxes, under the first box's name, which the error
/// summary links to.
#[component]
pub(crate) fn ServicesField(
    legend: &'static str,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let message = move || {
        error.get().and_then(|e| e.field_errors().iter().find(|f| f.field == "appointments").map(|f| f.message.clone()))
    };
    view! {
        <div class=move || if message().is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <fieldset class="nhsuk-fieldset">
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                {move || message().map(|m| view! { <span class="nhsuk-error-message" id="appointments-error">{m}</span> })}
                <div class="nhsuk-checkboxes">
                    <CheckboxField name="appointments" label="Book and cancel appointments" checked=false/>
                    <CheckboxField name="prescriptions" label="Order repeat prescriptions" checked=false/>
                    <CheckboxField name="messages" label="Message the practice" checked=false/>
                </div>
            </fieldset>
        </div>
    }
}

/// One change to a grant (`change`), posted from the patient's page.
#[component]
fn ChangeButton(
    form: FormState<ChangeProxy>,
    page: String,
    /// The patient's and the grant's.
    ids: (i64, i64),
    change: &'static str,
    label: &'static str,
    primary: bool,
) -> impl IntoView {
    let class = if primary { "nhsuk-button" } else { "nhsuk-button nhsuk-button--secondary" };
    view! {
        <PostForm form page>
            <input type="hidden" name="patient_id" value=ids.0.to_string()/>
            <input type="hidden" name="grant_id" value=ids.1.to_string()/>
            <input type="hidden" name="change" value=change/>
            <button class=class type="submit">{label}</button>
        </PostForm>
    }
}

/// `/admin/patients/{patient}/proxies/new`: staff set up proxy access after
/// checking who the proxy is and their right to act.
#[component]
pub fn AddProxyPage() -> impl IntoView {
    let id = id_param("patient");
    let submitted = submitted_form();
    let add = ServerAction::<AddProxy>::new();
    // Loaded to check the visitor may set it up for this patient.
    let proxies = Resource::new(id, patient_proxies);
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(add, submitted.get_value());
                    let error = form.error_signal();
                    let patient_id = id();
                    crate::pages::admin::listing(proxies.await, move |_| {
                        let relationships: Vec<(&'static str, &'static str)> = Relationship::ALL.iter().map(|r| (r.as_str(), r.label())).collect();
                        let bases: Vec<(&'static str, &'static str)> = LegalBasis::ALL.iter().map(|b| (b.as_str(), b.label())).collect();
                        let levels: Vec<(&'static str, &'static str)> = RecordLevel::ALL.iter().map(|l| (l.as_str(), l.label())).collect();
                        view! {
                            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                            <p>"Check who the person is and their right to act (such as a birth certificate, a lasting power of attorney, or the patient's consent in person) before you set this up. A parent's access to a child narrows at the practice's age and stops at 16."</p>
                            <PostForm form page=format!("/admin/patients/{patient_id}/proxies/new")>
                                <input type="hidden" name="patient_id" value=patient_id.to_string()/>
                                <InputField name="proxy_name" label="Their name" autocomplete="off" error/>
                                <InputField name="proxy_email" label="Their email address" hint="They act for the patient from the sign-in with this email." kind="email" autocomplete="off" error/>
                                <RadioField name="relationship" legend="Who they are to the patient" options=relationships error/>
                                <RadioField name="basis" legend="Legal basis" options=bases error/>
                                <ServicesField legend="What they may do" error/>
                                <RadioField name="record" legend="How much of the record they may see (never more than the patient sees)" options=levels error selected="none"/>
                                <InputField name="starts_on" label="From" hint="For example, 01/04/2026. Empty: today." width="nhsuk-input--width-10" error/>
                                <InputField name="ends_on" label="Until (optional)" hint="The last day it can be used." width="nhsuk-input--width-10" error/>
                                <TextareaField name="verified_how" label="How you checked who they are and their right to act" error rows=3/>
                                <TextareaField name="clinician_note" label="Clinician's note (needed for a best-interests decision)" error rows=3/>
                                <button class="nhsuk-button" type="submit">"Set up proxy access"</button>
                            </PostForm>
                            <p><a href=format!("/admin/patients/{patient_id}#proxies")>"Back to the patient"</a></p>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Set up proxy access" body/> }
}

/// `/admin/proxies`: the practice's grants due for review or changing within
/// 30 days, soonest first, each with a link to its patient's page.
#[component]
pub fn ProxyReviewPage() -> impl IntoView {
    let lines = Resource::new(|| (), |_| proxies_to_review());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    crate::pages::admin::listing(lines.await, |lines| {
                        if lines.is_empty() {
                            return view! { <p>"No proxy access is due for review or changing in the next 30 days."</p> }.into_any();
                        }
                        view! {
                            <p>"Parents' access to a child is reviewed at the practice's review age and stops at 16; any access ends after its last day or 5 years unused. The people who act are told 30 days before."</p>
                            <table class="nhsuk-table">
                                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Proxy access to review"</caption>
                                <thead class="nhsuk-table__head">
                                    <tr class="nhsuk-table__row">
                                        <th class="nhsuk-table__header" scope="col">"Patient"</th>
                                        <th class="nhsuk-table__header" scope="col">"Who acts"</th>
                                        <th class="nhsuk-table__header" scope="col">"Why"</th>
                                    </tr>
                                </thead>
                                <tbody class="nhsuk-table__body">
                                    {lines.into_iter().map(|line| view! {
                                        <tr class="nhsuk-table__row">
                                            <td class="nhsuk-table__cell">
                                                <a href=format!("/admin/patients/{}#proxy-{}", line.patient_id, line.grant_id)>{line.patient}</a>
                                            </td>
                                            <td class="nhsuk-table__cell">{line.proxy}</td>
                                            <td class="nhsuk-table__cell">{line.why}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Proxy access to review" body/> }
}
