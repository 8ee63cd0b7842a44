use crate::api::practices::home_practice;
use crate::components::Layout;
use crate::pages::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/register`: how to register for online services. Registration happens
/// at the surgery, where staff check who you are and give you a letter with
/// your sign-up details.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let practice = Resource::new(|| (), |_| home_practice());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match practice.await {
                    Ok(practice) => {
                        let name = practice.as_ref().map(|p| p.name.to_string());
                        let contact = practice.map(|p| view! {
                            <h2>"Contact the practice"</h2>
                            <p>{p.address.clone()}</p>
                            <p>"Telephone: " {p.phone.clone()}</p>
                        });
                        view! {
                            <Title text="Register for online services - GP Online"/>
                            <Layout service_name=name.unwrap_or_else(|| "GP Online".into())>
                                <h1>"Register for online services"</h1>
                                <p>"To use online services you need to be registered with the practice as a patient."</p>
                                <h2>"How to register"</h2>
                                <ol class="nhsuk-list nhsuk-list--number">
                                    <li>"Go to the surgery with photo ID, such as a passport or driving licence."</li>
                                    <li>"Ask at reception to register for online services. Staff will check who you are."</li>
                                    <li>"You will be given a letter with your registration details. Use them to set up your account and choose a password."</li>
                                </ol>
                                <div class="nhsuk-inset-text">
                                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                                    <p>"Each person needs their own email address. If your family shares an inbox, ask about proxy access, which lets one person act for another."</p>
                                </div>
                                {contact}
                                <p>"Have your letter? " <a href="/activate">"Set up your account"</a></p>
                                <p>"Already set up? " <a href="/sign-in">"Sign in"</a></p>
                            </Layout>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
