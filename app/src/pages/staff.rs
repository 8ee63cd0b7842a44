use crate::api::staff::{list_staff, load_staff_member, ChangeStaff, InviteStaff, StaffMember};
use crate::components::{id_param, submitted_form, ErrorSummary, FormState, InputField, PostForm, RadioField};
use crate::pages::admin::{listing, AdminPage};
use domain::StaffRole;
use leptos::prelude::*;

fn role_options() -> Vec<(&'static str, &'static str)> {
    StaffRole::ALL.iter().map(|r| (r.as_str(), r.label())).collect()
}

/// `/admin/staff`: practice admins see the practice's staff and invite more.
#[component]
pub fn StaffPage() -> impl IntoView {
    let staff = Resource::new(|| (), |_| list_staff());
    let body = move || {
        view! {
            <p><a class="nhsuk-button" href="/admin/staff/invite">"Invite a member of staff"</a></p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(staff.await, |staff| view! {
                        <div class="gp-table-scroll" tabindex="0" role="region" aria-label="Staff">
                            <table class="nhsuk-table">
                                <thead class="nhsuk-table__head">
                                    <tr class="nhsuk-table__row">
                                        <th class="nhsuk-table__header" scope="col">"Name"</th>
                                        <th class="nhsuk-table__header" scope="col">"Role"</th>
                                        <th class="nhsuk-table__header" scope="col">"Account"</th>
                                        <th class="nhsuk-table__header" scope="col">"Authenticator app"</th>
                                    </tr>
                                </thead>
                                <tbody class="nhsuk-table__body">
                                    {staff.into_iter().map(|s| view! {
                                        <tr class="nhsuk-table__row">
                                            <td class="nhsuk-table__cell">
                                                <a href=format!("/admin/staff/{}", s.login_id)>{s.name}</a>
                                                <br/><span class="nhsuk-body-s">{s.email}</span>
                                            </td>
                                            <td class="nhsuk-table__cell">{s.role_label}</td>
                                            <td class="nhsuk-table__cell">{s.status}</td>
                                            <td class="nhsuk-table__cell">{if s.two_factor { "Set up" } else { "Not set up" }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Staff" body/> }
}

/// `/admin/staff/invite`: practice admins invite a member of staff by email.
#[component]
pub fn InviteStaffPage() -> impl IntoView {
    let submitted = submitted_form();
    let invite = ServerAction::<InviteStaff>::new();
    // Loaded to check the visitor may manage staff, not only see the staff area.
    let allowed = Resource::new(|| (), |_| list_staff());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(invite, submitted.get_value());
                    let error = form.error_signal();
                    listing(allowed.await, move |_| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        <p>"They get an email with a link to choose their password, valid for 7 days. At their first sign-in they set up an authenticator app."</p>
                        <PostForm form page="/admin/staff/invite">
                            <InputField name="name" label="Full name" autocomplete="off" error value=form.value("name")/>
                            <InputField name="email" label="Work email address" kind="email" autocomplete="off" error value=form.value("email")/>
                            <RadioField name="role" legend="Role" options=role_options() error selected=form.value("role")/>
                            <button class="nhsuk-button" type="submit">"Send invitation"</button>
                        </PostForm>
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Invite a member of staff" body/> }
}

/// `/admin/staff/{login}`: practice admins change one member of staff.
#[component]
pub fn StaffMemberPage() -> impl IntoView {
    let login = id_param("login");
    let query = leptos_router::hooks::use_query_map();
    // Loaded again when a change brings the browser back with `?saved=…`.
    let member = Resource::new(move || (login(), query.read().get("saved")), |(login, _)| load_staff_member(login));
    let submitted = submitted_form();
    let change = ServerAction::<ChangeStaff>::new();
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let form = FormState::new(change, submitted.get_value());
                    let error = form.error_signal();
                    listing(member.await, move |m| view! {
                        {move || error.get().map(|error| view! { <ErrorSummary error/> })}
                        <MemberDetails member=m.clone()/>
                        {if m.is_you {
                            view! { <p>"This is your own account. Another practice admin can change it."</p> }.into_any()
                        } else {
                            let page = format!("/admin/staff/{}", m.login_id);
                            let id = m.login_id.to_string();
                            let (id_role, id_reset) = (id.clone(), id.clone());
                            let role = m.role.clone();
                            let disabled = m.status == "Disabled";
                            view! {
                                <h2>"Change role"</h2>
                                <PostForm form page=page.clone()>
                                    <input type="hidden" name="login_id" value=id_role/>
                                    <input type="hidden" name="change" value="role"/>
                                    <RadioField name="role" legend="Role" options=role_options() error selected=role/>
                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Save role"</button>
                                </PostForm>
                                <h2>"Authenticator app"</h2>
                                <p>"If they have lost their phone and their recovery codes, reset their authenticator app: they set up a new one at their next sign-in. Their sessions end."</p>
                                <PostForm form page=page.clone()>
                                    <input type="hidden" name="login_id" value=id_reset/>
                                    <input type="hidden" name="change" value="reset_two_factor"/>
                                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Reset authenticator app"</button>
                                </PostForm>
                                <h2>"Account"</h2>
                                <PostForm form page=page>
                                    <input type="hidden" name="login_id" value=id/>
                                    {if disabled {
                                        view! {
                                            <input type="hidden" name="change" value="enable"/>
                                            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Re-enable account"</button>
                                        }.into_any()
                                    } else {
                                        view! {
                                            <p>"Disabling the account signs them out everywhere and stops them signing in."</p>
                                            <input type="hidden" name="change" value="disable"/>
                                            <button class="nhsuk-button nhsuk-button--warning" type="submit">"Disable account"</button>
                                        }.into_any()
                                    }}
                                </PostForm>
                            }.into_any()
                        }}
                    }.into_any())
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Member of staff" body/> }
}

#[component]
fn MemberDetails(member: StaffMember) -> impl IntoView {
    let row = |key: &'static str, value: String| {
        view! {
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">{key}</dt>
                <dd class="nhsuk-summary-list__value">{value}</dd>
            </div>
        }
    };
    view! {
        <dl class="nhsuk-summary-list">
            {row("Name", member.name)}
            {row("Email", member.email)}
            {row("Role", member.role_label)}
            {row("Account", member.status)}
            {row("Authenticator app", if member.two_factor { "Set up".into() } else { "Not set up".into() })}
        </dl>
    }
}
