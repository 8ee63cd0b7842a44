use crate::api::password_reset::RequestPasswordReset;
use crate::api::practices::home_practice;
use crate::api::setup::{reset_link, ResetPassword};
use crate::components::{submitted_form, ErrorSummary, FormState, InputField, Layout, NewPasswordFields, PostForm};
use crate::pages::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/forgot-password`: ask for a link to choose a new password.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let practice = Resource::new(|| (), |_| home_practice());
    let submitted = submitted_form();
    let request = ServerAction::<RequestPasswordReset>::new();
    view! {
        <Title text="Reset your password - GP Online"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let service_name = practice.await.ok().flatten().map(|p| p.name.to_string());
                let form = FormState::new(request, submitted.get_value());
                let error = form.error_signal();
                view! {
                    <Layout service_name=service_name.unwrap_or_else(|| "GP Online".into())>
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        <h1>"Reset your password"</h1>
                        <p>"Enter the email address you sign in with. If it has an account, we will email it a link to choose a new password. The link works for 1 hour."</p>
                        <PostForm form page="/forgot-password">
                            <InputField name="email" label="Email address" kind="email" autocomplete="email" error value=form.value("email")/>
                            <button class="nhsuk-button" type="submit">"Send the link"</button>
                        </PostForm>
                        <p><a href="/sign-in">"Back to sign in"</a></p>
                    </Layout>
                }
            })}
        </Suspense>
    }
}

/// `/forgot-password/sent`: the same answer for every email, with an account or not.
#[component]
pub fn ResetSentPage() -> impl IntoView {
    view! {
        <Title text="Check your email - GP Online"/>
        <Layout>
            <h1>"Check your email"</h1>
            <p>"If the email address you entered has an account, we have sent it a link to choose a new password. The link works once, for 1 hour."</p>
            <p>"Nothing arrived after a few minutes? Check your spam folder, or contact your practice."</p>
            <p><a href="/sign-in">"Back to sign in"</a></p>
        </Layout>
    }
}

/// `/reset-password/{token}`: the page a reset link opens.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, reset_link);
    let submitted = submitted_form();
    let reset = ServerAction::<ResetPassword>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let form = FormState::new(reset, submitted.get_value());
                let error = form.error_signal();
                match link.await {
                    Ok(link) => view! {
                        <Title text="Choose a new password - GP Online"/>
                        <Layout service_name=link.practice_name.clone()>
                            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                            <h1>"Choose a new password"</h1>
                            <p>{format!("Hello {}. Choosing a new password signs you out on every device.", link.display_name)}</p>
                            <PostForm
                                form
                                page=format!("/reset-password/{}", token())>
                                <input type="hidden" name="token" value=token()/>
                                <NewPasswordFields name="password" label="New password" confirm_label="Type your new password again" error/>
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
