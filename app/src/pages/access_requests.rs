//! The staff queue of requests for online services, and one request's page
//! where staff record their checks and decide.

use crate::api::access_requests::{
    load_access_queue, load_access_request, ApproveAccessRequest, DeclineAccessRequest, TakeAccessRequest,
};
use crate::components::{
    id_param, submitted_form, summary_row, ErrorSummary, FormState, InputField, PostForm, RadioField, TextareaField,
};
use crate::pages::admin::{listing, AdminPage};
use crate::pages::grants::GrantsFields;
use domain::online_account::IdentityCheck;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const TABS: [(&str, &str); 4] =
    [("open", "Waiting"), ("approved", "Approved"), ("declined", "Declined"), ("expired", "Expired")];

/// `/admin/access-requests`: requests waiting for staff, oldest first, and
/// the decided ones by outcome.
#[component]
pub fn AccessRequestsPage() -> impl IntoView {
    let query = use_query_map();
    let tab = move || query.read().get("tab");
    let decided = move || query.read().get("decided");
    let queue = Resource::new(tab, load_access_queue);
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(queue.await, move |q| {
                        let current = q.tab.clone();
                        view! {
                            {decided().map(|outcome| view! {
                                <div class="nhsuk-inset-text" role="status"><p>{format!("The request is {outcome}. The applicant has been emailed.")}</p></div>
                            })}
                            <p>"People ask for online services on the practice's website. Check who they are, talk to them about online access and its risks, then approve or decline. Requests nobody handles expire."</p>
                            <nav aria-label="Requests by status">
                                <ul class="nhsuk-list gp-admin-nav">
                                    {TABS.iter().map(|(key, label)| {
                                        let text = if *key == "open" { format!("{label} ({})", q.open_count) } else { (*label).to_owned() };
                                        let here = current == *key;
                                        view! {
                                            <li><a href=format!("/admin/access-requests?tab={key}") aria-current=here.then_some("page")>{text}</a></li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </nav>
                            {if q.requests.is_empty() {
                                view! { <p>"There are no requests here."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="nhsuk-list">
                                        {q.requests.into_iter().map(|r| view! {
                                            <li class="nhsuk-card"><div class="nhsuk-card__content">
                                                <h2 class="nhsuk-card__heading nhsuk-heading-s"><a href=format!("/admin/access-requests/{}", r.id)>{r.name.clone()}</a></h2>
                                                <p>
                                                    {format!("Born {}", r.date_of_birth)}<br/>
                                                    {r.asked.clone()}<br/>
                                                    {r.when.clone()}
                                                    {r.handler.clone().map(|h| view! { <br/>{format!("Handled by {h}")} })}
                                                </p>
                                                <p>
                                                    <strong class="nhsuk-tag nhsuk-tag--grey">{r.status.clone()}</strong>" "
                                                    {if r.matched {
                                                        view! { <strong class="nhsuk-tag nhsuk-tag--green">"On the register"</strong> }.into_any()
                                                    } else {
                                                        view! { <strong class="nhsuk-tag nhsuk-tag--orange">"No match on the register"</strong> }.into_any()
                                                    }}" "
                                                    {r.email_in_use.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--red">"Email already in use"</strong> })}
                                                </p>
                                            </div></li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Online access requests" body/> }
}

/// `/admin/access-requests/{request}`: what was asked, the register's match,
/// and the forms to take it on, approve it or decline it.
#[component]
pub fn AccessRequestPage() -> impl IntoView {
    let id = id_param("request");
    let query = use_query_map();
    // Loaded again when taking it on brings the browser back with `?taken=1`.
    let request = Resource::new(move || (id(), query.read().get("taken")), |(id, _)| load_access_request(id));
    let submitted = submitted_form();
    let take = ServerAction::<TakeAccessRequest>::new();
    let approve = ServerAction::<ApproveAccessRequest>::new();
    let decline = ServerAction::<DeclineAccessRequest>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let take = FormState::new(take, submitted.get_value());
                    let approve = FormState::new(approve, submitted.get_value());
                    let decline = FormState::new(decline, submitted.get_value());
                    let (approve_error, decline_error, take_error) =
                        (approve.error_signal(), decline.error_signal(), take.error_signal());
                    listing(request.await, move |r| {
                        let page = format!("/admin/access-requests/{}", r.id);
                        let checks: Vec<(&'static str, &'static str)> =
                            IdentityCheck::ALL.iter().map(|c| (c.as_str(), c.label())).collect();
                        let concerns = || vec![("no", "No concerns"), ("yes", "Yes, a concern")];
                        let open = r.open;
                        view! {
                            {move || approve_error.get().or_else(|| decline_error.get()).or_else(|| take_error.get()).map(|error| view! { <ErrorSummary error/> })}
                            <h2>{r.name.clone()}</h2>
                            <p><strong class="nhsuk-tag nhsuk-tag--grey">{r.status.clone()}</strong></p>
                            <dl class="nhsuk-summary-list">
                                {r.details.iter().cloned().map(|(k, v)| summary_row(k, v)).collect_view()}
                                {summary_row("On the register", match &r.matched_patient {
                                    Some((id, name)) => view! { <a href=format!("/admin/patients/{id}")>{format!("Matches {name}")}</a> }.into_any(),
                                    None => view! { "No patient matches this number, date of birth and surname" }.into_any(),
                                })}
                            </dl>
                            {r.email_in_use.then(|| view! {
                                <div class="nhsuk-warning-callout">
                                    <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"This email address already has an account"</span></h3>
                                    <p>{format!("{} is used by another person's sign-in. Each person needs their own address: ask the patient for a different one when they set up their account, or talk to them about proxy access if a family shares it.", r.email)}</p>
                                </div>
                            })}
                            {(open && r.has_account).then(|| view! {
                                <div class="nhsuk-warning-callout">
                                    <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"The patient already has an online account"</span></h3>
                                    <p>"Approving issues a new letter: their current sign-in and any earlier letter stop working at once."</p>
                                </div>
                            })}
                            {(!r.outcome.is_empty()).then(|| view! {
                                <h2>"What was recorded"</h2>
                                <dl class="nhsuk-summary-list">
                                    {r.outcome.iter().cloned().map(|(k, v)| summary_row(k, v)).collect_view()}
                                </dl>
                            })}
                            {(open && !r.taken).then(|| view! {
                                <PostForm form=take page=page.clone()>
                                    <input type="hidden" name="request_id" value=r.id.to_string()/>
                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Take this request"</button>
                                </PostForm>
                            })}
                            {(open && r.matched_patient.is_some()).then(|| {
                                let under_16 = r.under_16;
                                view! {
                                    <h2>"Approve"</h2>
                                    <p>"Approve when you have seen who the patient is and talked to them. The registration letter opens next: print it and hand it over."</p>
                                    <PostForm form=approve page=page.clone()>
                                        <input type="hidden" name="request_id" value=r.id.to_string()/>
                                        <RadioField name="identity_check" legend="How did you check who they are?" options=checks error=approve_error selected=approve.value("identity_check")/>
                                        <InputField name="identity_note" label="Identity details" hint="Which document, which clinician vouched for them, or how else you checked." error=approve_error value=approve.value("identity_note")/>
                                        <TextareaField name="discussion" label="What you discussed" hint="What they will see, who else might see it, and keeping their sign-in to themselves." error=approve_error value=approve.value("discussion")/>
                                        <RadioField name="coercion" legend="Is there any concern that someone could make them share their access, or see it against their wishes?" options=concerns() error=approve_error selected=approve.value("coercion")/>
                                        <RadioField name="capacity" legend="Is there any concern about their capacity to understand and manage online access?" options=concerns() error=approve_error selected=approve.value("capacity")/>
                                        {under_16.then(|| view! {
                                            <RadioField name="gillick" legend="They are under 16. Are they competent to have their own access (Gillick)?" options=vec![("yes", "Yes, competent"), ("no", "No")] error=approve_error selected=approve.value("gillick")/>
                                        })}
                                        <h3>"Services to grant"</h3>
                                        <p>"The practice's defaults are ticked."</p>
                                        <GrantsFields grants=r.defaults error=approve_error/>
                                        <InputField name="reason" label="Reason, if the services differ from the defaults" error=approve_error value=approve.value("reason")/>
                                        <button class="nhsuk-button" type="submit">"Approve and issue letter"</button>
                                    </PostForm>
                                }
                            })}
                            {open.then(|| view! {
                                <h2>"Decline"</h2>
                                <p>"The applicant is emailed that the practice cannot set up online services from their request, and how to contact the practice. They are not told the reason."</p>
                                <PostForm form=decline page=page.clone()>
                                    <input type="hidden" name="request_id" value=r.id.to_string()/>
                                    <InputField name="decline_reason" label="Reason, for the practice's record" error=decline_error value=decline.value("decline_reason")/>
                                    <button class="nhsuk-button nhsuk-button--warning" type="submit">"Decline request"</button>
                                </PostForm>
                            })}
                            <p><a href="/admin/access-requests">"Back to the requests"</a></p>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Online access request" body/> }
}
