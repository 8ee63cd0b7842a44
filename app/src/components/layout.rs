use leptos::prelude::*;

/// The frame of every page: skip link, header with the practice's name,
/// the main content and the footer, in the NHS design system's markup.
#[component]
pub fn Layout(
    /// Shown in the header: the practice's name, or the product's.
    #[prop(optional, into)]
    service_name: Option<String>,
    /// The signed-in person's name: shows their account link and "Sign out".
    #[prop(optional, into)]
    signed_in_as: Option<String>,
    /// A staff page (the admin area, the staff's set-up pages): loads the
    /// staff stylesheet too, which patients' pages never ask for.
    #[prop(optional)]
    staff: bool,
    children: Children,
) -> impl IntoView {
    let service_name = service_name.unwrap_or_else(|| "GP Online".to_owned());
    // Anyone signed in can tell the practice what went wrong.
    let report = signed_in_as.is_some().then(|| {
        let href = if staff { "/admin/problems" } else { "/report-a-problem" };
        view! {
            <li class="nhsuk-footer__list-item">
                <a class="nhsuk-footer__list-item-link" href=href>"Report a problem with this website"</a>
            </li>
        }
    });
    let account = signed_in_as.map(|name| {
        view! {
            <nav class="gp-account" aria-label="Account">
                <span class="gp-account__name">{name}</span>
                <a class="gp-account__link" href="/account">"Your account"</a>
                // A plain form: signing out is a change, so it is a POST, with or without JavaScript.
                <form method="post" action="/api/auth/sign-out" class="gp-account__form">
                    <button type="submit" class="gp-account__button">"Sign out"</button>
                </form>
            </nav>
        }
    });
    view! {
        {staff.then(StaffStylesheet)}
        <a class="nhsuk-skip-link" href="#maincontent">"Skip to main content"</a>
        <header class="gp-header" role="banner">
            <div class="gp-header__container nhsuk-width-container">
                <div class="gp-header__service">
                    <a class="gp-header__service-name" href="/">{service_name}</a>
                </div>
                {account}
            </div>
        </header>
        <div class="nhsuk-width-container">
            <main class="nhsuk-main-wrapper" id="maincontent" role="main">
                {children()}
            </main>
        </div>
        <footer class="nhsuk-footer" role="contentinfo">
            <div class="nhsuk-width-container">
                <ul class="nhsuk-footer__list">
                    <li class="nhsuk-footer__list-item">
                        <a class="nhsuk-footer__list-item-link" href="/">"Find your GP practice"</a>
                    </li>
                    <li class="nhsuk-footer__list-item">
                        <a class="nhsuk-footer__list-item-link" href="/admin">"Practice staff"</a>
                    </li>
                    {report}
                </ul>
                <p class="nhsuk-body-s">"GP Online: online services for your GP practice"</p>
            </div>
        </footer>
    }
}

/// The staff stylesheet's `<link>`, in the page's head.
#[allow(non_snake_case)]
fn StaffStylesheet() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let href = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::server::AppState>().cloned())
        .and_then(|state| state.config.staff_stylesheet.clone());
    #[cfg(not(feature = "ssr"))]
    let href: Option<String> = None;
    href.map(|href| view! { <leptos_meta::Stylesheet href/> })
}
