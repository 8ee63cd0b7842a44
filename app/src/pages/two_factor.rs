use crate::api::two_factor::{pending_sign_in, two_factor_enrolment, EnrolTwoFactor, SecondStep};
use crate::components::{submitted_form, ErrorSummary, FormState, InputField, Layout, PostForm};
use crate::pages::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;

/// What the second-step pages show when there is no pending sign-in: it timed
/// out (ten minutes), or the page was opened directly.
fn sign_in_again() -> AnyView {
    view! {
        <Title text="Sign in again - GP Online"/>
        <Layout staff=true>
            <h1>"Sign in again"</h1>
            <p>"Your sign-in has timed out, or was finished in another tab. Sign in with your email address and password first."</p>
            <p><a class="nhsuk-button" href="/sign-in">"Sign in"</a></p>
        </Layout>
    }
    .into_any()
}

/// The field for a code from the app or a recovery code.
#[component]
fn CodeField(#[prop(into)] error: Signal<Option<crate::error::AppError>>, hint: &'static str) -> impl IntoView {
    view! {
        <InputField name="code" label="Security code" kind="text" autocomplete="one-time-code" width="nhsuk-input--width-10" hint error/>
    }
}

/// `/sign-in/two-factor`: the staff sign-in's second step.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let pending = Resource::new(|| (), |_| pending_sign_in());
    let submitted = submitted_form();
    let step = ServerAction::<SecondStep>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let form = FormState::new(step, submitted.get_value());
                let error = form.error_signal();
                match pending.await {
                    Ok(Some(p)) => view! {
                        <Title text="Enter your security code - GP Online"/>
                        <Layout service_name=p.practice_name.clone() staff=true>
                            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                            <h1>"Enter your security code"</h1>
                            <p>{format!("{}, open the authenticator app on your phone and enter the 6-digit code it shows for {}.", p.display_name, p.practice_name)}</p>
                            <PostForm form page="/sign-in/two-factor">
                                <CodeField error hint="The code changes every 30 seconds. Lost your phone? Enter one of your recovery codes instead."/>
                                <button class="nhsuk-button" type="submit">"Continue"</button>
                            </PostForm>
                        </Layout>
                    }.into_any(),
                    Ok(None) => sign_in_again(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/sign-in/set-up-two-factor`: a member of staff's first sign-in sets up an
/// authenticator app, then sees their recovery codes once.
#[component]
pub fn SetUpTwoFactorPage() -> impl IntoView {
    let enrolment = Resource::new(|| (), |_| two_factor_enrolment());
    let submitted = submitted_form();
    let enrol = ServerAction::<EnrolTwoFactor>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let form = FormState::new(enrol, submitted.get_value());
                let error = form.error_signal();
                let enrolment = enrolment.await;
                view! {
                    {move || match (form.output(), enrolment.clone()) {
                        (Some(codes), _) => view! {
                            <Title text="Save your recovery codes - GP Online"/>
                            <Layout staff=true>
                                <div class="nhsuk-panel nhsuk-panel--confirmation">
                                    <h1 class="nhsuk-panel__title">"Save your recovery codes"</h1>
                                    <div class="nhsuk-panel__body">"Your authenticator app is set up"</div>
                                </div>
                                <p>"If you lose your phone, each of these codes signs you in once instead of a code from the app. Print them or write them down and keep them somewhere safe. They are not shown again."</p>
                                <ul class="nhsuk-list gp-recovery-codes">
                                    {codes.codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                                </ul>
                                <p><a class="nhsuk-button" href="/admin">"Continue to the admin area"</a></p>
                            </Layout>
                        }.into_any(),
                        (None, Ok(Some(e))) => view! {
                            <Title text="Set up your authenticator app - GP Online"/>
                            <Layout service_name=e.practice_name.clone() staff=true>
                                {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                                <h1>"Set up your authenticator app"</h1>
                                <p>{format!("{}, staff sign in with a password and a code from an authenticator app on their phone.", e.display_name)}</p>
                                <ol class="nhsuk-list nhsuk-list--number">
                                    <li>"Install an authenticator app, such as Microsoft Authenticator or Google Authenticator."</li>
                                    <li>"In the app, add an account and scan this QR code."</li>
                                </ol>
                                <div class="gp-qr" role="img" aria-label="QR code for your authenticator app" inner_html=e.qr_svg.clone()></div>
                                <p>"Cannot scan it? Enter this key in the app instead:"</p>
                                <p><code class="gp-secret">{e.secret.clone()}</code></p>
                                <PostForm form page="/sign-in/set-up-two-factor">
                                    <CodeField error hint="Enter the 6-digit code the app now shows, to check it is set up."/>
                                    <button class="nhsuk-button" type="submit">"Continue"</button>
                                </PostForm>
                            </Layout>
                        }.into_any(),
                        (None, Ok(None)) => sign_in_again(),
                        (None, Err(error)) => view! { <ErrorPage error/> }.into_any(),
                    }}
                }
            })}
        </Suspense>
    }
}
