use crate::api::account::{load_account, ChangePassword};
use crate::api::auth::SignOutEverywhere;
use crate::components::{ErrorMessage, ErrorSummary, Layout};
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
    let change = ServerAction::<ChangePassword>::new();
    let error = move || change.value().get().and_then(Result::err);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(d) => view! {
                        <Title text="Change your password - GP Online"/>
                        <Layout service_name=d.practice_name.clone() signed_in_as=d.name.clone()>
                            {move || error().map(|error| view! { <ErrorSummary error/> })}
                            <h1>"Change your password"</h1>
                            <ActionForm action=change>
                                <div class="nhsuk-form-group">
                                    <label class="nhsuk-label" for="current_password">"Current password"</label>
                                    {move || view! { <ErrorMessage error=error() field="current_password"/> }}
                                    <input class="nhsuk-input" id="current_password" name="current_password" type="password" autocomplete="current-password"/>
                                </div>
                                <div class="nhsuk-form-group">
                                    <label class="nhsuk-label" for="new_password">"New password"</label>
                                    <div class="nhsuk-hint" id="new_password-hint">"Use 10 characters or more. A few unrelated words make a good password."</div>
                                    {move || view! { <ErrorMessage error=error() field="new_password"/> }}
                                    <input class="nhsuk-input" id="new_password" name="new_password" type="password" autocomplete="new-password" aria-describedby="new_password-hint"/>
                                </div>
                                <div class="nhsuk-form-group">
                                    <label class="nhsuk-label" for="confirm_password">"Type your new password again"</label>
                                    {move || view! { <ErrorMessage error=error() field="confirm_password"/> }}
                                    <input class="nhsuk-input" id="confirm_password" name="confirm_password" type="password" autocomplete="new-password"/>
                                </div>
                                <button class="nhsuk-button" type="submit">"Change password"</button>
                            </ActionForm>
                        </Layout>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
