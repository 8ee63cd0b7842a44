use crate::api::setup::{setup_link, CompleteSetup};
use crate::components::{submitted_form, ErrorSummary, FormState, Layout, NewPasswordFields, PostForm};
use crate::pages::ErrorPage;
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
    let submitted = submitted_form();
    let complete = ServerAction::<CompleteSetup>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let form = FormState::new(complete, submitted.get_value());
                let error = form.error_signal();
                match link.await {
                    Ok(link) => view! {
                        <Title text="Choose your password - GP Online"/>
                        <Layout service_name=link.practice_name.clone() staff=true>
                            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                            <h1>"Choose your password"</h1>
                            <p>{format!("Hello {}. Choose a password to finish setting up your account at {}.", link.display_name, link.practice_name)}</p>
                            <PostForm
                                form
                                page=format!("/setup/{}", token())>
                                <input type="hidden" name="token" value=token()/>
                                <NewPasswordFields name="password" label="Password" confirm_label="Type your password again" error/>
                                <button class="nhsuk-button" type="submit">"Save password"</button>
                            </PostForm>
                        </Layout>
                    }.into_any(),
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
        <Layout staff=true>
            <div class="nhsuk-panel nhsuk-panel--confirmation">
                <h1 class="nhsuk-panel__title">"Your password is saved"</h1>
            </div>
            <p>"You can now sign in with your email address and the password you chose."</p>
            <p><a class="nhsuk-button" href="/sign-in">"Sign in"</a></p>
        </Layout>
    }
}
