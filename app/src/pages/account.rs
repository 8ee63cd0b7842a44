use crate::api::account::{load_account, ChangePassword};
use crate::api::auth::SignOutEverywhere;
use crate::components::{submitted_form, ErrorSummary, FormState, InputField, Layout, NewPasswordFields, PostForm};
use crate::pages::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/account`: the signed-in person's account.
#[component]
pub fn AccountPage() -> impl IntoView {
    let details = Resource::new(|| (), |_| load_account());
    let query = use_query_map();
    let changed = move || query.read().get("changed").as_deref() == Some("password");
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(d) => view! {
                        <Title text="Your account - GP Online"/>
                        <Layout service_name=d.practice_name.clone() signed_in_as=d.name.clone()>
                            {changed().then(|| view! {
                                <div class="nhsuk-inset-text" role="status">
                                    <p>"Your password was changed. You have been signed out on your other devices."</p>
                                </div>
                            })}
                            <h1>"Your account"</h1>
                            <dl class="nhsuk-summary-list">
                                <div class="nhsuk-summary-list__row">
                                    <dt class="nhsuk-summary-list__key">"Name"</dt>
                                    <dd class="nhsuk-summary-list__value">{d.name.clone()}</dd>
                                </div>
                                <div class="nhsuk-summary-list__row">
                                    <dt class="nhsuk-summary-list__key">"Email address"</dt>
                                    <dd class="nhsuk-summary-list__value">{d.email.clone()}</dd>
                                </div>
                                <div class="nhsuk-summary-list__row">
                                    <dt class="nhsuk-summary-list__key">"Practice"</dt>
                                    <dd class="nhsuk-summary-list__value">{d.practice_name.clone()}</dd>
                                </div>
                            </dl>
                            {d.is_staff.then(|| view! { <p><a href="/admin">"Go to the practice admin area"</a></p> })}
                            {(!d.is_staff).then(|| view! {
                                <ul class="nhsuk-list">
                                    <li><a href="/appointments">"Your appointments"</a></li>
                                    <li><a href="/appointments/book">"Book an appointment"</a></li>
                                </ul>
                            })}
                            <p><a href="/account/password">"Change your password"</a></p>
                            <h2>"Signed in somewhere else?"</h2>
                            <p>"If you signed in on a device you no longer use, sign out on all your devices."</p>
                            <ActionForm action=everywhere>
                                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Sign out everywhere"</button>
                            </ActionForm>
                        </Layout>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/account/password`: change the signed-in person's password.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let details = Resource::new(|| (), |_| load_account());
    let submitted = submitted_form();
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let form = FormState::new(change, submitted.get_value());
                let error = form.error_signal();
                match details.await {
                    Ok(d) => view! {
                        <Title text="Change your password - GP Online"/>
                        <Layout service_name=d.practice_name.clone() signed_in_as=d.name.clone()>
                            {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                            <h1>"Change your password"</h1>
                            <PostForm
                                form
                                page="/account/password">
                                <InputField name="current_password" label="Current password" kind="password" autocomplete="current-password" error/>
                                <NewPasswordFields name="new_password" label="New password" confirm_label="Type your new password again" error/>
                                <button class="nhsuk-button" type="submit">"Change password"</button>
                            </PostForm>
                        </Layout>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
