//! Keeps a list of slots on screen up to date while others book and cancel:
//! a slot someone takes disappears at once, and when slots may have appeared
//! (a cancellation, a release time, new sessions) the list is fetched again
//! and swapped in, without a reload. Screen readers hear about it politely.
//!
//! The list itself is rendered on the server, as every page is; this island
//! is the only part that runs in the browser. It works on the list's markup:
//! each slot is an element with `data-slot` (its id) and `data-label` (how to
//! announce it), inside an element with the id [`LIST_ID`]. Without
//! JavaScript nothing here runs, and a reload shows the truth.

use leptos::prelude::*;

/// The id of the element holding the live list's slots.
pub const LIST_ID: &str = "live-slot-list";

/// What is read out when a slot on the list is taken by someone else.
pub fn taken_announcement(label: &str) -> String {
    format!("{label} has just been booked by someone else.")
}

/// What is read out when the list has been fetched again.
pub const LIST_UPDATED: &str = "Appointments have changed. The list has been updated.";

/// The visually hidden, polite announcer every live island speaks through.
pub(crate) fn announcer(announcement: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="nhsuk-u-visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-live-announcer="">
            {move || announcement.get()}
        </div>
    }
}

/// The list (`children`, holding an element with the id [`LIST_ID`]) and a
/// polite announcer, kept live from `/live/slots`.
#[island]
pub fn LiveSlotList(children: Children) -> impl IntoView {
    let announcement = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    browser::follow(announcement);
    view! {
        {announcer(announcement)}
        {children()}
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{fetch_again, follow_stream, mark_ready, taken_announcement, LIST_ID, LIST_UPDATED};
    use domain::live::{Reaction, SlotEvent};
    use leptos::prelude::*;

    /// Follows `/live/slots`: hides a slot taken, fetches the list again when
    /// slots may have appeared.
    pub fn follow(announcement: RwSignal<String>) {
        mark_ready(LIST_ID);
        follow_stream("/live/slots", move |data| async move {
            let event = data.and_then(|data| serde_json::from_str::<SlotEvent>(&data).ok());
            match event.as_ref().map(SlotEvent::reaction) {
                Some(Reaction::Hide(slot)) => {
                    if let Some(label) = hide(slot) {
                        announcement.set(taken_announcement(&label));
                    }
                }
                Some(Reaction::Reload) | None => {
                    if fetch_again(LIST_ID).await {
                        announcement.set(LIST_UPDATED.to_owned());
                    }
                }
            }
        });
    }

    fn list() -> Option<web_sys::Element> {
        document().get_element_by_id(LIST_ID)
    }

    /// Hides the slot if it is on the list; its label, to announce.
    fn hide(slot: i64) -> Option<String> {
        let item = list()?.query_selector(&format!("[data-slot=\"{slot}\"]")).ok()??;
        if item.has_attribute("hidden") {
            return None;
        }
        item.set_attribute("hidden", "").ok()?;
        item.get_attribute("data-label")
    }
}

/// What the browser side of every live island shares: following a stream
/// of server-sent events, and fetching the page again to swap in one part.
#[cfg(feature = "hydrate")]
pub(crate) mod stream {
    use futures::future::{AbortHandle, Abortable};
    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    use leptos::prelude::*;
    use std::future::Future;
    use wasm_bindgen::JsCast;

    /// The event `pages.js` sends just before it swaps in the next page.
    const LEAVING: &str = "gp-online:leaving";

    /// Listens to the stream at `url` until the page goes (the stream closes
    /// with it), calling `react` with each event's data, or `None` for an
    /// event named `reload` (changes were missed).
    pub fn follow_stream<R, F>(url: &str, mut react: R)
    where
        R: FnMut(Option<String>) -> F + 'static,
        F: Future<Output = ()> + 'static,
    {
        let Ok(mut source) = EventSource::new(url) else { return };
        let (Ok(changes), Ok(reloads)) = (source.subscribe("message"), source.subscribe("reload")) else { return };
        let (stop, stopped) = AbortHandle::new_pair();
        let leaving = stop.clone();
        let on_leaving = wasm_bindgen::closure::Closure::once_into_js(move || leaving.abort());
        let once = web_sys::AddEventListenerOptions::new();
        once.set_once(true);
        let _ = document().add_event_listener_with_callback_and_add_event_listener_options(
            LEAVING,
            on_leaving.unchecked_ref(),
            &once,
        );
        leptos::task::spawn_local(async move {
            let follow = async move {
                let mut heard = futures::stream::select(changes, reloads);
                // The browser reconnects by itself (sending the last id it saw);
                // an error here means it gave up, as when signed out.
                while let Some(Ok((kind, message))) = heard.next().await {
                    let data = (kind != "reload").then(|| message.data().as_string().unwrap_or_default());
                    react(data).await;
                }
                drop(source);
            };
            let _ = Abortable::new(follow, stopped).await;
        });
        on_cleanup(move || stop.abort());
    }

    /// Fetches this page again and swaps in the element with id `id`; the old
    /// one stays on screen until the new one has arrived. False when it could not.
    pub async fn fetch_again(id: &str) -> bool {
        let Ok(href) = window().location().href() else { return false };
        let Ok(response) = gloo_net::http::Request::get(&href).send().await else { return false };
        let Ok(html) = response.text().await else { return false };
        let Ok(parser) = web_sys::DomParser::new() else { return false };
        let Ok(page) = parser.parse_from_string(&html, web_sys::SupportedType::TextHtml) else { return false };
        match (page.get_element_by_id(id), document().get_element_by_id(id)) {
            (Some(fresh), Some(shown)) => {
                shown.set_inner_html(&fresh.inner_html());
                true
            }
            _ => false,
        }
    }

    /// Tells browser tests the element with id `id` is listening.
    pub fn mark_ready(id: &str) {
        if let Some(element) = document().get_element_by_id(id) {
            let _ = element.set_attribute("data-live", "listening");
        }
    }
}

#[cfg(feature = "hydrate")]
use stream::{fetch_again, follow_stream, mark_ready};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_slot_is_announced_by_its_label() {
        assert_eq!(
            taken_announcement("The 9:10am appointment on Tuesday 24 November 2026"),
            "The 9:10am appointment on Tuesday 24 November 2026 has just been booked by someone else."
        );
    }
}
