//! Keeps a patient's prescription requests on screen up to date: when the
//! practice decides, records a step such as "ready to collect", or writes
//! about a request, the page is fetched again and its requests swapped in,
//! without a reload, and screen readers hear about it politely.
//!
//! As with the other live islands, the page is rendered on the server; the
//! stream says which request changed, never a medicine. Without JavaScript
//! nothing here runs, and a reload shows the truth.

use leptos::prelude::*;

/// The id of the element holding the live requests.
pub const REQUESTS_ID: &str = "live-requests";

/// What is read out when the requests have been swapped in.
pub const REQUESTS_UPDATED: &str = "Your prescription requests have changed. The list has been updated.";

/// The requests (`children`, holding an element with the id
/// [`REQUESTS_ID`]) and a polite announcer, kept live from `/live/prescriptions`.
#[island]
pub fn LiveRequests(children: Children) -> impl IntoView {
    let announcement = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    {
        use crate::components::live::stream::{fetch_again, follow_stream, mark_ready};
        mark_ready(REQUESTS_ID);
        // Every event on this stream is about one of the patient's own requests.
        follow_stream("/live/prescriptions", move |_| async move {
            if fetch_again(REQUESTS_ID).await {
                announcement.set(REQUESTS_UPDATED.to_owned());
            }
        });
    }
    view! {
        {crate::components::live::announcer(announcement)}
        {children()}
    }
}
