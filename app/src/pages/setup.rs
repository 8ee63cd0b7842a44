use crate::api::setup::{setup_link, CompleteSetup};
use crate::components::{ErrorMessage, ErrorSummary, Layout};
use crate::pages::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/setup/{token}`: the page a set-up link opens, where a new member of
/// staff chooses their password.
#[component]
pub fn SetupPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, setup_link);
    let complete = ServerAction::<CompleteSetup>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match link.await {
                    Ok(link) => {
                        let error = move || complete.value().get().and_then(Result::err);
                        view! {
                            <Title text="Choose your password - GP Online"/>
                            <Layout service_name=link.practice_name.clone()>
                                {move || error().map(|error| view! { <ErrorSummary error/> })}
                                <h1>"Choose your password"</h1>
                                <p>{format!("Hello {}. Choose a password to finish setting up your account at {}.", link.display_name, link.practice_name)}</p>
                                <ActionForm action=complete>
                                    <input type="hidden" name="token" value=token()/>
                                    <div class="nhsuk-form-group">
                                        <label class="nhsuk-label" for="password">"Password"</label>
                                        <div class="nhsuk-hint" id="password-hint">"Use 10 characters or more. A few unrelated words make a good password."</div>
                                        {move || view! { <ErrorMessage error=error() field="password"/> }}
                                        <input class="nhsuk-input" id="password" name="password" type="password" autocomplete="new-password" aria-describedby="password-hint"/>
                                    </div>
                                    <div class="nhsuk-form-group">
                                        <label class="nhsuk-label" for="confirm_password">"Type your password again"</label>
                                        {move || view! { <ErrorMessage error=error() field="confirm_password"/> }}
                                        <input class="nhsuk-input" id="confirm_password" name="confirm_password" type="password" autocomplete="new-password"/>
                                    </div>
                                    <button class="nhsuk-button" type="submit">"Save password"</button>
                                </ActionForm>
                            </Layout>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/setup-complete`: where a finished set-up lands.
#[component]
pub fn SetupComplete() -> impl IntoView {
    view! {
        <Title text="Your password is saved - GP Online"/>
        <Layout>
            <div class="nhsuk-panel nhsuk-panel--confirmation">
                <h1 class="nhsuk-panel__title">"Your password is saved"</h1>
            </div>
            <p>"You can now sign in with your email address and the password you chose."</p>
            <p><a href="/">"Go to the home page"</a></p>
        </Layout>
    }
}
