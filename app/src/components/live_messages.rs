//! Keeps a conversation (or the list of them) on screen up to date: when a
//! message arrives in it, the page is fetched again and its messages swapped
//! in, without a reload, and screen readers hear about it politely.
//!
//! As with the live slot list, the page is rendered on the server and this
//! island is the only part that runs in the browser; it swaps the element
//! with the id [`MESSAGES_ID`]. The stream sends which conversation changed,
//! never its text. Without JavaScript nothing here runs, and a reload shows
//! the truth.

use leptos::prelude::*;

/// The id of the element holding the live messages.
pub const MESSAGES_ID: &str = "live-messages";

/// What is read out when new messages have been swapped in.
pub const MESSAGES_UPDATED: &str = "This conversation has changed. New messages are shown.";

/// The messages (`children`, holding an element with the id
/// [`MESSAGES_ID`]) and a polite announcer, kept live from `/live/messages`:
/// for one conversation (`thread`), or for any of the viewer's.
#[island]
pub fn LiveMessages(thread: Option<i64>, children: Children) -> impl IntoView {
    let announcement = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    browser::follow(thread, announcement);
    #[cfg(not(feature = "hydrate"))]
    let _ = thread;
    view! {
        {crate::components::live::announcer(announcement)}
        {children()}
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{MESSAGES_ID, MESSAGES_UPDATED};
    use crate::components::live::stream::{fetch_again, follow_stream, mark_ready};
    use domain::live::MessageEvent;
    use leptos::prelude::*;

    pub fn follow(thread: Option<i64>, announcement: RwSignal<String>) {
        mark_ready(MESSAGES_ID);
        follow_stream("/live/messages", move |data| async move {
            let event = data.and_then(|data| serde_json::from_str::<MessageEvent>(&data).ok());
            let ours = match (event, thread) {
                (Some(event), Some(thread)) => event.thread == thread,
                // Any conversation of theirs, or changes were missed.
                _ => true,
            };
            if ours && fetch_again(MESSAGES_ID).await {
                announcement.set(MESSAGES_UPDATED.to_owned());
            }
        });
    }
}
