//! Online accounts: staff issue a registration letter after checking who the
//! patient is; the patient activates their account with it.

use crate::api::online_accounts::{
    load_letter, load_online_account, ActivateAccount, DisableOnlineAccount, EnableOnlineAccount, IssueLetter,
};
use crate::api::practices::home_practice;
use crate::components::{
    id_param, saved_param, submitted_form, summary_row, CheckboxField, ErrorSummary, FormState, InputField, Layout,
    NewPasswordFields, PostForm, RadioField,
};
use crate::pages::admin::{listing, AdminPage};
use domain::online_account::IdentityCheck;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/patients/{patient}/online-account`: the patient's account, and the
/// identity check that issues (or reissues) their registration letter.
#[component]
pub fn OnlineAccountPage() -> impl IntoView {
    let patient = id_param("patient");
    let saved = saved_param();
    // Loaded again when a change brings the browser back with `?saved=…`.
    let account = Resource::new(move || (patient(), saved()), |(patient, _)| load_online_account(patient));
    let submitted = submitted_form();
    let issue = ServerAction::<IssueLetter>::new();
    let disable = ServerAction::<DisableOnlineAccount>::new();
    let enable = ServerAction::<EnableOnlineAccount>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(issue, submitted.get_value());
                    let disable = FormState::new(disable, submitted.get_value());
                    let enable = FormState::new(enable, submitted.get_value());
                    let disable_error = disable.error_signal();
                    let error = Signal::derive(move || form.error().or_else(|| disable.error()).or_else(|| enable.error()));
                    listing(account.await, move |a| {
                        let id = a.patient.id;
                        let page = format!("/admin/patients/{id}/online-account");
                        let checks: Vec<(&'static str, &'static str)> =
                            IdentityCheck::ALL.iter().map(|c| (c.as_str(), c.label())).collect();
                        view! {
                            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                            {saved().map(|change| view! {
                                <div class="nhsuk-inset-text" role="status"><p>{match change.as_str() {
                                    "disabled" => "The account is disabled. The patient is signed out and has been emailed how to get help.",
                                    _ => "The account is switched back on. The patient signs in with the same email and password.",
                                }}</p></div>
                            })}
                            <h2>{a.patient.name.clone()}</h2>
                            <dl class="nhsuk-summary-list">
                                {summary_row("Date of birth", a.patient.date_of_birth.clone())}
                                {summary_row(a.patient.identifier_label.clone(), a.patient.identifier.clone())}
                                {summary_row("Online account", a.status.clone())}
                                {a.account_id.clone().map(|ref_| summary_row("Account ID", ref_))}
                                {a.last_check.clone().map(|check| summary_row("Identity last checked", check))}
                            </dl>
                            {a.letter_ready.then(|| view! {
                                <p><a class="nhsuk-button" href=format!("{page}/letter")>"Print the registration letter"</a></p>
                            })}
                            <p><a href=format!("/admin/patients/{id}")>"Back to their details"</a></p>
                            {a.can_disable.then(|| view! {
                                <h2>"Disable the account"</h2>
                                <p>"The patient is signed out everywhere and cannot sign in; an unused letter stops working. They are emailed how to contact the practice, without the reason."</p>
                                <PostForm form=disable page=page.clone()>
                                    <input type="hidden" name="patient_id" value=id.to_string()/>
                                    <InputField name="reason" label="Reason, for the practice's record" error=disable_error value=disable.value("reason")/>
                                    <button class="nhsuk-button nhsuk-button--warning" type="submit">"Disable account"</button>
                                </PostForm>
                            })}
                            {a.can_enable.then(|| view! {
                                <h2>"Switch the account back on"</h2>
                                <p>"The patient signs in again with the same email and password. To give them new details instead, issue a new letter below."</p>
                                <PostForm form=enable page=page.clone()>
                                    <input type="hidden" name="patient_id" value=id.to_string()/>
                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Switch back on"</button>
                                </PostForm>
                            })}
                            {if a.registered {
                                view! {
                                    <h2>{if a.is_reset { "Reset: issue a new letter" } else { "Issue a registration letter" }}</h2>
                                    {a.is_reset.then(|| view! {
                                        <div class="nhsuk-warning-callout">
                                            <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"A new letter replaces the old one"</span></h3>
                                            <p>"The patient's current sign-in and any earlier letter stop working at once. They sign in again after activating the new letter."</p>
                                        </div>
                                    })}
                                    <p>"Check who the patient is before you hand them a letter. The letter holds what they need to set up their account: never send it by email."</p>
                                    <PostForm form page=page.clone()>
                                        <input type="hidden" name="patient_id" value=id.to_string()/>
                                        <RadioField name="identity_check" legend="How did you check who they are?" options=checks error selected=form.value("identity_check")/>
                                        <InputField name="identity_note" label="Details" hint="Which document, which clinician vouched for them, or how else you checked." error value=form.value("identity_note")/>
                                        <div class="nhsuk-form-group">
                                            <div class="nhsuk-checkboxes">
                                                <CheckboxField name="discussed" label="I have talked to the patient about online access, who else might see it, and the risk of being made to share it" checked=form.value("discussed") == "yes"/>
                                            </div>
                                        </div>
                                        <button class="nhsuk-button" type="submit">"Issue letter"</button>
                                    </PostForm>
                                }.into_any()
                            } else {
                                view! { <p>"Only patients registered at the practice can have an online account."</p> }.into_any()
                            }}
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Online account" body/> }
}

/// `/admin/patients/{patient}/online-account/letter`: the registration letter,
/// laid out for A4 paper.
#[component]
pub fn RegistrationLetterPage() -> impl IntoView {
    let patient = id_param("patient");
    let letter = Resource::new(patient, load_letter);
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(letter.await, |l| view! {
                        <div class="gp-no-print">
                            <div class="nhsuk-inset-text" role="status">
                                <p>"Print this page (your browser's Print command) and hand it to the patient. It is laid out for A4 paper."</p>
                            </div>
                            <p><a href=format!("/admin/patients/{}/online-account", l.patient_id)>"Back to their online account"</a></p>
                        </div>
                        <article class="gp-letter" aria-label="Registration letter">
                            <p class="gp-letter__from">
                                <strong>{l.practice_name.clone()}</strong><br/>
                                {l.practice_address.clone()}<br/>
                                {format!("Telephone: {}", l.practice_phone)}
                            </p>
                            <p>{l.patient_name.clone()}</p>
                            <h2>"Your online services registration"</h2>
                            <p>"You can now set up your account to book appointments and use other online services. You will need the details below and your date of birth."</p>
                            <dl class="nhsuk-summary-list gp-letter__details">
                                {summary_row("Practice ID (ODS code)", l.ods_code.clone())}
                                {summary_row("Account ID", l.account_id.clone())}
                                {summary_row("Linkage key", l.linkage_key.clone())}
                                {summary_row(l.identifier_label.clone(), l.identifier.clone())}
                                {summary_row("Use by", l.expires.clone())}
                            </dl>
                            <h3>"How to set up your account"</h3>
                            <ol class="nhsuk-list nhsuk-list--number">
                                <li>{format!("Go to {}", l.activate_url)}</li>
                                <li>"Type in the practice ID, account ID and linkage key exactly as they are printed here, and your date of birth."</li>
                                <li>"Enter your own email address (not one you share with anyone) and choose a password."</li>
                                <li>"Sign in with your email address and password."</li>
                            </ol>
                            <p>{format!("The linkage key works once, until {}. Keep this letter safe and do not share it: anyone with it could set up your account. If it is lost or too old, ask the practice for a new one.", l.expires)}</p>
                        </article>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Registration letter" body/> }
}

/// `/activate`: a patient sets up their account with their registration
/// letter's details, their date of birth, their email and a password.
#[component]
pub fn ActivatePage() -> impl IntoView {
    let practice = Resource::new(|| (), |_| home_practice());
    let submitted = submitted_form();
    let activate = ServerAction::<ActivateAccount>::new();
    view! {
        <Title text="Set up your account - GP Online"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let service_name = practice.await.ok().flatten().map(|p| p.name.to_string());
                let form = FormState::new(activate, submitted.get_value());
                let error = form.error_signal();
                view! {
                    <Layout service_name=service_name.unwrap_or_else(|| "GP Online".into())>
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        <h1>"Set up your account"</h1>
                        <p>"Use the registration letter the practice gave you."</p>
                        <PostForm form page="/activate">
                            <h2>"From your letter"</h2>
                            <InputField name="ods_code" label="Practice ID" hint="Six letters and numbers, like Y12345." width="nhsuk-input--width-10" autocomplete="off" error value=form.value("ods_code")/>
                            <InputField name="account_id" label="Account ID" hint="Ten digits." width="nhsuk-input--width-10" autocomplete="off" error value=form.value("account_id")/>
                            <InputField name="linkage_key" label="Linkage key" hint="Sixteen letters and numbers, in four groups." autocomplete="off" error value=form.value("linkage_key")/>
                            <InputField name="date_of_birth" label="Your date of birth" hint="For example, 15/01/1980." width="nhsuk-input--width-10" autocomplete="bday" error value=form.value("date_of_birth")/>
                            <h2>"Your sign-in"</h2>
                            <InputField name="email" label="Your email address" kind="email" autocomplete="email" hint="Use an address only you can read: everyone who reads it sees your appointment emails. A family sharing one address can ask the practice about proxy access." error value=form.value("email")/>
                            <NewPasswordFields name="password" label="Choose a password" confirm_label="Type your password again" error/>
                            <button class="nhsuk-button" type="submit">"Set up account"</button>
                        </PostForm>
                        <p>"No letter? " <a href="/register">"How to register for online services"</a></p>
                    </Layout>
                }
            })}
        </Suspense>
    }
}
