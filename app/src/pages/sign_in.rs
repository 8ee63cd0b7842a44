use crate::api::auth::SignIn;
use crate::components::{ErrorMessage, ErrorSummary, Layout};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/sign-in`: email and password, for patients and staff alike.
#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let error = move || sign_in.value().get().and_then(Result::err);
    view! {
        <Title text="Sign in - GP Online"/>
        <Layout>
            {move || error().map(|error| view! { <ErrorSummary error/> })}
            <h1>"Sign in"</h1>
            <p>"Sign in with the email address and password for your online services account."</p>
            <ActionForm action=sign_in>
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="email">"Email address"</label>
                    {move || view! { <ErrorMessage error=error() field="email"/> }}
                    <input class="nhsuk-input" id="email" name="email" type="email" autocomplete="email" spellcheck="false"/>
                </div>
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="password">"Password"</label>
                    {move || view! { <ErrorMessage error=error() field="password"/> }}
                    <input class="nhsuk-input" id="password" name="password" type="password" autocomplete="current-password"/>
                </div>
                <button class="nhsuk-button" type="submit">"Sign in"</button>
            </ActionForm>
            <p>"Not registered yet? " <a href="/register">"Register for online services"</a></p>
        </Layout>
    }
}
