use crate::api::admin::{
    admin_frame, admin_overview, audit_trail, lockouts, outbox, sessions, AdminSummary, EndSession,
};
use crate::components::Layout;
use crate::error::AppError;
use crate::pages::ErrorPage;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The frame of every admin page: the practice's name, who is signed in, and
/// the admin area's links (practice admins see theirs).
#[component]
pub(crate) fn AdminFrame(summary: AdminSummary, title: &'static str, children: Children) -> impl IntoView {
    let admin_links = summary.is_practice_admin.then(|| {
        view! {
            <li><a href="/admin/audit">"Audit trail"</a></li>
            <li><a href="/admin/outbox">"Outbox"</a></li>
            <li><a href="/admin/sessions">"Who is signed in"</a></li>
            <li><a href="/admin/staff">"Staff"</a></li>
            <li><a href="/admin/lockouts">"Locked sign-ins"</a></li>
            <li><a href="/admin/settings/online-services">"Online services settings"</a></li>
            <li><a href="/admin/settings/messages">"Messaging settings"</a></li>
            <li><a href="/admin/settings/prescriptions">"Prescription settings"</a></li>
            <li><a href="/admin/settings/proxies">"Proxy access settings"</a></li>
            <li><a href="/admin/booking-rules">"Online booking rules"</a></li>
            <li><a href="/admin/patients/import">"Import patients"</a></li>
            <li><a href="/admin/record/import">"Import records"</a></li>
        }
    });
    let waiting = summary.open_access_requests;
    let consider_access = summary.can_issue_online_accounts.then(|| {
        view! {
            <li>
                <a href="/admin/access-requests">"Online access requests"</a>
                {(waiting > 0).then(|| view! {
                    " " <strong class="nhsuk-tag nhsuk-tag--blue">{format!("{waiting} waiting")}</strong>
                })}
            </li>
            <li><a href="/admin/consider-access">"Consider online access"</a></li>
        }
    });
    view! {
        <Title text=format!("{title} - {}", summary.practice_name)/>
        <Layout service_name=summary.practice_name.clone() signed_in_as=summary.signed_in_as.clone() staff=true>
            <nav aria-label="Practice admin">
                <ul class="nhsuk-list gp-admin-nav">
                    <li><a href="/admin">"Admin home"</a></li>
                    <li><a href="/admin/patients">"Find a patient"</a></li>
                    <li><a href="/admin/messages">"Messages"</a></li>
                    <li><a href="/admin/prescriptions">"Prescriptions"</a></li>
                    {consider_access}
                    <li><a href="/admin/schedule">"Appointment book"</a></li>
                    <li><a href="/admin/proxies">"Proxy access to review"</a></li>
                    {summary.can_view_dashboard.then(|| view! { <li><a href="/admin/dashboard">"Practice dashboard"</a></li> })}
                    <li><a href="/admin/problems">"Problems reported"</a></li>
                    {admin_links}
                </ul>
            </nav>
            <h1>{title}</h1>
            {children()}
        </Layout>
    }
}

/// Loads the admin frame's summary, then shows the page or the error.
#[component]
pub(crate) fn AdminPage<F, V>(title: &'static str, body: F) -> impl IntoView
where
    F: Fn() -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let summary = Resource::new(|| (), |_| admin_frame());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match summary.await {
                        Ok(summary) => view! { <AdminFrame summary title>{body()}</AdminFrame> }.into_any(),
                        Err(error) => view! { <ErrorPage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/admin`: the staff area's home. Staff only.
#[component]
pub fn AdminHome() -> impl IntoView {
    let summary = Resource::new(|| (), |_| admin_overview());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(o) => {
                        let staff = o.staff;
                        let patients = o.patients;
                        let m = o.messages;
                        view! {
                            <AdminFrame summary=o.frame title="Practice admin">
                                <p>{format!("{patients} registered patients.")}</p>
                                <h2>"Messages waiting for the practice"</h2>
                                <ul class="nhsuk-list">
                                    <li>
                                        <a href="/admin/messages?view=unassigned">{format!("Not assigned: {}", m.unassigned)}</a>
                                        {(m.urgent > 0).then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--red">{format!("{} urgent", m.urgent)}</strong> })}
                                    </li>
                                    <li><a href="/admin/messages?view=mine">{format!("Assigned to you: {}", m.mine)}</a></li>
                                </ul>
                                <h2>"Staff"</h2>
                                <div class="gp-table-scroll" tabindex="0" role="region" aria-label="Staff">
                                    <table class="nhsuk-table">
                                        <thead class="nhsuk-table__head">
                                            <tr class="nhsuk-table__row">
                                                <th class="nhsuk-table__header" scope="col">"Name"</th>
                                                <th class="nhsuk-table__header" scope="col">"Role"</th>
                                                <th class="nhsuk-table__header" scope="col">"Email"</th>
                                            </tr>
                                        </thead>
                                        <tbody class="nhsuk-table__body">
                                            {staff.into_iter().map(|s| view! {
                                                <tr class="nhsuk-table__row">
                                                    <td class="nhsuk-table__cell">{s.name}</td>
                                                    <td class="nhsuk-table__cell">{s.role}</td>
                                                    <td class="nhsuk-table__cell">{s.email}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </AdminFrame>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Shows a list loaded by a server function, or what went wrong.
pub(crate) fn listing<T: 'static>(result: Result<T, AppError>, show: impl FnOnce(T) -> AnyView) -> AnyView {
    match result {
        Ok(items) => show(items),
        Err(error) => view! { <ErrorPage error/> }.into_any(),
    }
}

/// `/admin/audit`: practice admins browse and filter the audit trail.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &'static str| move || query.read().get(name).unwrap_or_default();
    let lines = Resource::new(
        move || (field("action")(), field("actor")(), field("from")(), field("to")()),
        |(action, actor, from, to)| audit_trail(action, actor, from, to),
    );
    let body = move || {
        view! {
            <form method="get" action="/admin/audit">
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="action">"Action, like sign_in"</label>
                    <input class="nhsuk-input nhsuk-input--width-20" id="action" name="action" type="text" value=field("action")/>
                </div>
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="actor">"Done by (email address)"</label>
                    <input class="nhsuk-input nhsuk-input--width-30" id="actor" name="actor" type="text" value=field("actor")/>
                </div>
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="from">"From (YYYY-MM-DD)"</label>
                    <input class="nhsuk-input nhsuk-input--width-10" id="from" name="from" type="text" value=field("from")/>
                </div>
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="to">"To (YYYY-MM-DD)"</label>
                    <input class="nhsuk-input nhsuk-input--width-10" id="to" name="to" type="text" value=field("to")/>
                </div>
                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Filter"</button>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(lines.await, |lines| {
                        if lines.is_empty() {
                            return view! { <p>"No events match."</p> }.into_any();
                        }
                        view! {
                            <div class="gp-table-scroll" tabindex="0" role="region" aria-label="Audit events">
                                <table class="nhsuk-table">
                                    <thead class="nhsuk-table__head">
                                        <tr class="nhsuk-table__row">
                                            <th class="nhsuk-table__header" scope="col">"When"</th>
                                            <th class="nhsuk-table__header" scope="col">"Action"</th>
                                            <th class="nhsuk-table__header" scope="col">"By"</th>
                                            <th class="nhsuk-table__header" scope="col">"On"</th>
                                            <th class="nhsuk-table__header" scope="col">"Detail"</th>
                                            <th class="nhsuk-table__header" scope="col">"From"</th>
                                            <th class="nhsuk-table__header" scope="col">"Request"</th>
                                        </tr>
                                    </thead>
                                    <tbody class="nhsuk-table__body">
                                        {lines.into_iter().map(|l| view! {
                                            <tr class="nhsuk-table__row">
                                                <td class="nhsuk-table__cell">{l.at}</td>
                                                <td class="nhsuk-table__cell">{l.action}</td>
                                                <td class="nhsuk-table__cell">{l.actor}</td>
                                                <td class="nhsuk-table__cell">{l.object}</td>
                                                <td class="nhsuk-table__cell">{l.detail}</td>
                                                <td class="nhsuk-table__cell">{l.client_addr}</td>
                                                <td class="nhsuk-table__cell">{l.request_id}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Audit trail" body/> }
}

/// `/admin/outbox`: practice admins see the mail the practice sends.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let lines = Resource::new(|| (), |_| outbox());
    let body = move || {
        view! {
            <p>"Emails wait here until they are sent. Without a mail server configured (SMTP_URL), they stay here."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(lines.await, |lines| {
                        if lines.is_empty() {
                            return view! { <p>"No emails yet."</p> }.into_any();
                        }
                        lines.into_iter().map(|l| view! {
                            <div class="nhsuk-card">
                                <div class="nhsuk-card__content">
                                    <h2 class="nhsuk-card__heading nhsuk-heading-s">{l.subject}</h2>
                                    <p class="nhsuk-body-s">{format!("To {} · {} · {}", l.to, l.created, l.status)}</p>
                                    <pre class="gp-mail-body">{l.body}</pre>
                                </div>
                            </div>
                        }).collect_view().into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Outbox" body/> }
}

/// `/admin/sessions`: practice admins see who is signed in and can end a session.
#[component]
pub fn SessionsPage() -> impl IntoView {
    let query = use_query_map();
    // Loaded again when ending a session brings the browser back with `?ended=…`.
    let lines = Resource::new(move || query.read().get("ended"), |_| sessions());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(lines.await, |lines| {
                        lines.into_iter().map(|l| {
                            let end = ServerAction::<EndSession>::new();
                            view! {
                                <div class="nhsuk-card">
                                    <div class="nhsuk-card__content">
                                        <h2 class="nhsuk-card__heading nhsuk-heading-s">{l.name.clone()}</h2>
                                        <p class="nhsuk-body-s">{format!("{} · {} · signed in {} · last seen {}", l.kind, l.email, l.started, l.last_seen)}</p>
                                        {if l.is_yours {
                                            view! { <p class="nhsuk-body-s">"This is you."</p> }.into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=end>
                                                    <input type="hidden" name="session_id" value=l.id.to_string()/>
                                                    <button class="nhsuk-button nhsuk-button--warning nhsuk-u-margin-bottom-0" type="submit">
                                                        "End session" <span class="nhsuk-u-visually-hidden">{format!(" of {}", l.name)}</span>
                                                    </button>
                                                </ActionForm>
                                            }.into_any()
                                        }}
                                    </div>
                                </div>
                            }
                        }).collect_view().into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Who is signed in" body/> }
}

/// `/admin/lockouts`: practice admins see which sign-ins were locked after
/// repeated failures, and from where.
#[component]
pub fn LockoutsPage() -> impl IntoView {
    let lines = Resource::new(|| (), |_| lockouts());
    let body = move || {
        view! {
            <p>"After 5 failed sign-ins in 15 minutes, signing in with that email is locked for 15 minutes. A password reset by email ends a lock-out early."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    listing(lines.await, |lines| {
                        if lines.is_empty() {
                            return view! { <p>"No sign-ins have been locked."</p> }.into_any();
                        }
                        lines.into_iter().map(|l| view! {
                            <div class="nhsuk-card">
                                <div class="nhsuk-card__content">
                                    <h2 class="nhsuk-card__heading nhsuk-heading-s">{format!("{} ({})", l.name, l.email)}</h2>
                                    <p class="nhsuk-body-s">
                                        {format!("Locked {} until {}", l.locked_at, l.locked_until)}
                                        {(!l.client_addr.is_empty()).then(|| format!(", from {}", l.client_addr))}
                                    </p>
                                    {l.still_locked.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--red">"Locked now"</strong> })}
                                </div>
                            </div>
                        }).collect_view().into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Locked sign-ins" body/> }
}
