use crate::api::access_requests::{load_register_info, RequestAccess};
use crate::components::{submitted_form, ErrorSummary, FormState, InputField, Layout, PostForm, RadioField};
use crate::pages::ErrorPage;
use domain::access_request::SEXES;
use domain::practice::PracticeSummary;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/register`: how to register for online services. Where the practice
/// takes requests on its website, a form asks for them; otherwise the page
/// explains how to ask at the surgery. Either way staff check who you are
/// and give you a letter with your sign-up details.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| load_register_info());
    let submitted = submitted_form();
    let request = ServerAction::<RequestAccess>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => {
                        let name = info.practice.as_ref().map(|p| p.name.to_string());
                        let form = FormState::new(request, submitted.get_value());
                        let error = form.error_signal();
                        let contact = info.practice.clone().map(contact);
                        let body = if info.self_registration {
                            view! {
                                {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                                <h1>"Register for online services"</h1>
                                <p>"You need to be registered with the practice as a patient. Tell us who you are and the practice will contact you."</p>
                                <p>"You will then need to visit the surgery with photo ID, such as a passport or driving licence. Staff will talk to you about online access and give you a letter with the details to set up your account."</p>
                                <PostForm form page="/register">
                                    <h2>"About you"</h2>
                                    <InputField name="given_name" label="First name" autocomplete="given-name" error value=form.value("given_name")/>
                                    <InputField name="family_name" label="Last name" autocomplete="family-name" error value=form.value("family_name")/>
                                    <InputField name="date_of_birth" label="Date of birth" hint="For example, 15/01/1980." width="nhsuk-input--width-10" autocomplete="bday" error value=form.value("date_of_birth")/>
                                    <RadioField name="sex" legend="Sex" options=SEXES.to_vec() error selected=form.value("sex")/>
                                    <InputField name="postcode" label="Postcode" width="nhsuk-input--width-10" autocomplete="postal-code" error value=form.value("postcode")/>
                                    <RadioField name="identifier_kind" legend="Which number do you have?" options=identifier_kinds() error selected=form.value("identifier_kind")/>
                                    <InputField name="identifier" label="Your number" hint="10 digits. You can find it on letters from the NHS, a prescription, or the NHS App." width="nhsuk-input--width-10" autocomplete="off" error value=form.value("identifier")/>
                                    <h2>"How to contact you"</h2>
                                    <InputField name="email" label="Email address" kind="email" autocomplete="email" hint="Use an address only you can read: each person needs their own. A family that shares one inbox should ask the practice about proxy access, which lets one person act for another." error value=form.value("email")/>
                                    <InputField name="mobile" label="Mobile phone number (optional)" kind="tel" autocomplete="tel" hint="A UK mobile, like 07700 900123." width="nhsuk-input--width-20" error value=form.value("mobile")/>
                                    <button class="nhsuk-button" type="submit">"Send request"</button>
                                </PostForm>
                            }.into_any()
                        } else {
                            view! {
                                <h1>"Register for online services"</h1>
                                <p>"To use online services you need to be registered with the practice as a patient."</p>
                                <p>"This practice does not take requests on its website: ask at the surgery."</p>
                                <h2>"How to register"</h2>
                                <ol class="nhsuk-list nhsuk-list--number">
                                    <li>"Go to the surgery with photo ID, such as a passport or driving licence."</li>
                                    <li>"Ask at reception to register for online services. Staff will check who you are."</li>
                                    <li>"You will be given a letter with your registration details. Use them to set up your account and choose a password."</li>
                                </ol>
                                <div class="nhsuk-inset-text">
                                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                                    <p>"Each person needs their own email address. If your family shares an inbox, ask about proxy access, which lets one person act for another."</p>
                                </div>
                            }.into_any()
                        };
                        view! {
                            <Title text="Register for online services - GP Online"/>
                            <Layout service_name=name.unwrap_or_else(|| "GP Online".into())>
                                {body}
                                {contact}
                                <p>"Have your letter? " <a href="/activate">"Set up your account"</a></p>
                                <p>"Already set up? " <a href="/sign-in">"Sign in"</a></p>
                            </Layout>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn identifier_kinds() -> Vec<(&'static str, &'static str)> {
    vec![
        ("nhs", "NHS number (England, Wales or the Isle of Man)"),
        ("chi", "CHI number (Scotland)"),
        ("health_and_care", "Health and Care number (Northern Ireland)"),
    ]
}

fn contact(p: PracticeSummary) -> impl IntoView {
    view! {
        <h2>"Contact the practice"</h2>
        <p>{p.address.clone()}</p>
        <p>"Telephone: " {p.phone.clone()}</p>
    }
}

/// `/register/sent`: what everyone who sends a request sees, whatever the
/// register says.
#[component]
pub fn RequestSentPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| load_register_info());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => {
                        let name = info.practice.as_ref().map(|p| p.name.to_string());
                        view! {
                            <Title text="Request sent - GP Online"/>
                            <Layout service_name=name.unwrap_or_else(|| "GP Online".into())>
                                <div class="nhsuk-panel nhsuk-panel--confirmation">
                                    <h1 class="nhsuk-panel__title">"Request sent"</h1>
                                </div>
                                <p>"We have sent you an email to confirm we have your request."</p>
                                <h2>"What happens next"</h2>
                                <ol class="nhsuk-list nhsuk-list--number">
                                    <li>"The practice will contact you."</li>
                                    <li>"Visit the surgery with photo ID, such as a passport or driving licence. Staff will talk to you about online access."</li>
                                    <li>"You will be given a letter with the details to set up your account. We never send them by email."</li>
                                </ol>
                                <p>"If you do not get the email within a day, check your spam folder, or contact the practice."</p>
                                {info.practice.map(contact)}
                            </Layout>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
