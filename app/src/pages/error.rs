use crate::components::Layout;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// The page for a failed request: sets the HTTP status on the server and
/// tells the person what they can do, never what broke.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
    }
    let (title, advice) = match &error {
        AppError::NotFound => (
            "Page not found".to_owned(),
            "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.".to_owned(),
        ),
        AppError::SignInRequired => (
            "You need to sign in".to_owned(),
            "Sign in to your practice's online services to see this page.".to_owned(),
        ),
        AppError::Forbidden => (
            "You cannot see this page".to_owned(),
            "Your account does not give you access to this page. Contact your practice if you think it should.".to_owned(),
        ),
        AppError::Refused(why) => ("You cannot do this for them".to_owned(), why.clone()),
        AppError::Busy => (
            "Sorry, the service is busy".to_owned(),
            "Try again in a moment. If you need medical help now, call 111 or, in an emergency, 999.".to_owned(),
        ),
        AppError::Internal => (
            "Sorry, there is a problem with the service".to_owned(),
            "Try again later. If you need medical help now, call 111 or, in an emergency, 999.".to_owned(),
        ),
        other => ("There is a problem".to_owned(), other.to_string()),
    };
    // What was wrong with the address's values, field by field.
    let problems = error.field_errors().to_vec();
    view! {
        <Title text=title.clone()/>
        <Layout>
            <h1>{title}</h1>
            {if problems.is_empty() {
                view! { <p>{advice}</p> }.into_any()
            } else {
                view! { <ul class="nhsuk-list nhsuk-list--bullet">{problems.into_iter().map(|p| view! { <li>{p.message}</li> }).collect_view()}</ul> }.into_any()
            }}
            <p><a href="/">"Go to the home page"</a></p>
        </Layout>
    }
}
