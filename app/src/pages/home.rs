use crate::api::practices::{home_practice, practice_by_ods, search_practices};
use crate::components::Layout;
use crate::pages::ErrorPage;
use domain::practice::PracticeSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/`: the default practice's home in a single-practice deployment,
/// otherwise a search for the practice.
#[component]
pub fn HomePage() -> impl IntoView {
    let practice = Resource::new(|| (), |_| home_practice());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match practice.await {
                    Ok(Some(p)) => view! { <PracticeHome practice=p/> }.into_any(),
                    Ok(None) => view! { <PracticeFinder/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/practices/{ods}`: a practice's home page by its ODS code.
#[component]
pub fn PracticePage() -> impl IntoView {
    let params = use_params_map();
    let practice = Resource::new(move || params.read().get("ods").unwrap_or_default(), practice_by_ods);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match practice.await {
                    Ok(p) => view! { <PracticeHome practice=p/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What a signed-out patient sees first: what the service offers and the two
/// ways in.
#[component]
fn PracticeHome(practice: PracticeSummary) -> impl IntoView {
    let name = practice.name.to_string();
    let title = format!("Online services - {name}");
    let offline = !practice.online_services_enabled;
    view! {
        <Title text=title/>
        <Layout service_name=name.clone()>
            <h1>{format!("Online services at {name}")}</h1>
            <p class="nhsuk-lede-text">"Use your practice's online services at any time, on your phone, tablet or computer."</p>
            {offline.then(|| view! {
                <div class="nhsuk-inset-text">
                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <p>"This practice does not offer online services yet. Contact the practice to book an appointment or order a prescription."</p>
                </div>
            })}
            <h2>"What you can do online"</h2>
            <ul class="nhsuk-list nhsuk-list--bullet">
                <li>"book and cancel appointments"</li>
                <li>"order repeat prescriptions and see where they are"</li>
                <li>"send a non-urgent message to the practice"</li>
                <li>"read your GP health record"</li>
                <li>"do these things for someone you care for, with their permission"</li>
            </ul>
            <div class="gp-actions">
                <a class="nhsuk-button" href="/sign-in">"Sign in"</a>
                <a class="nhsuk-button nhsuk-button--secondary" href="/register">"Register for online services"</a>
            </div>
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label">
                    <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Urgent help"</span>
                </h2>
                <p>"Online services are not for urgent medical help. Call 111, or 999 in an emergency."</p>
            </div>
            <h2>"Contact the practice"</h2>
            <p>{practice.address.clone()}</p>
            <p>"Telephone: " {practice.phone.clone()}</p>
            {practice.website.clone().map(|url| view! { <p><a href=url.clone()>"Practice website"</a></p> })}
            <p class="nhsuk-body-s">"Practice code (ODS): " {practice.ods_code.to_string()}</p>
        </Layout>
    }
}

/// Search for a practice by name or ODS code. A plain GET form: it works
/// without JavaScript, and the search text is not personal.
#[component]
fn PracticeFinder() -> impl IntoView {
    let query = use_query_map();
    let text = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(text, |text| async move {
        if text.trim().is_empty() {
            return None;
        }
        Some(search_practices(text).await)
    });
    view! {
        <Title text="Find your GP practice - GP Online"/>
        <Layout>
            <h1>"Find your GP practice"</h1>
            <p>"Use online services to book appointments, order repeat prescriptions and more."</p>
            <form method="get" action="/" class="nhsuk-form-group">
                <label class="nhsuk-label" for="q">"Practice name or ODS code"</label>
                <input class="nhsuk-input nhsuk-u-width-two-thirds" id="q" name="q" type="search" value=text autocomplete="off"/>
                <button class="nhsuk-button gp-inline-button" type="submit">"Search"</button>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match results.await {
                        None => ().into_any(),
                        Some(Ok(list)) if list.is_empty() => view! { <p>"No practices match your search."</p> }.into_any(),
                        Some(Ok(list)) => view! {
                            <ul class="nhsuk-list">
                                {list.into_iter().map(|p| {
                                    let href = format!("/practices/{}", p.ods_code);
                                    view! { <li><a href=href>{p.name.to_string()}</a> " (" {p.ods_code.to_string()} ")"</li> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Some(Err(error)) => view! { <p class="nhsuk-error-message">{error.field_errors().first().map(|f| f.message.clone()).unwrap_or_else(|| error.to_string())}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}
