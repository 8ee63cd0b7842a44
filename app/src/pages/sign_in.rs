use crate::api::auth::SignIn;
use crate::api::practices::home_practice;
use crate::components::{submitted_form, ErrorSummary, FormState, InputField, Layout, PostForm};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/sign-in`: email and password, for patients and staff alike.
#[component]
pub fn SignInPage() -> impl IntoView {
    let practice = Resource::new(|| (), |_| home_practice());
    let submitted = submitted_form();
    let sign_in = ServerAction::<SignIn>::new();
    let query = leptos_router::hooks::use_query_map();
    let activated = move || query.read_untracked().get("activated").is_some();
    view! {
        <Title text="Sign in - GP Online"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let service_name = practice.await.ok().flatten().map(|p| p.name.to_string());
                let form = FormState::new(sign_in, submitted.get_value());
                let error = form.error_signal();
                view! {
                    <Layout service_name=service_name.unwrap_or_else(|| "GP Online".into())>
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        {activated().then(|| view! {
                            <div class="nhsuk-inset-text" role="status"><p>"Your account is set up. Sign in with the email address and password you chose."</p></div>
                        })}
                        <h1>"Sign in"</h1>
                        <p>"Sign in with the email address and password for your online services account."</p>
                        <PostForm form page="/sign-in">
                            <InputField name="email" label="Email address" kind="email" autocomplete="email" error value=form.value("email")/>
                            <InputField name="password" label="Password" kind="password" autocomplete="current-password" error/>
                            <button class="nhsuk-button" type="submit">"Sign in"</button>
                        </PostForm>
                        <p><a href="/forgot-password">"Forgotten your password?"</a></p>
                        <p>"Not registered yet? " <a href="/register">"Register for online services"</a></p>
                    </Layout>
                }
            })}
        </Suspense>
    }
}
