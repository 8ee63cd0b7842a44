//! Keeps a list of slots on screen up to date while others book and cancel:
//! a slot someone takes disappears at once, and when slots may have appeared
//! (a cancellation, a release time, new sessions) the list is fetched again.
//! Screen readers hear about it politely. Without JavaScript nothing here
//! runs, and a reload shows the truth.

use domain::live::{Reaction, SlotEvent};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

/// The live state of one list: which slots to hide, what they are called,
/// and the last thing announced.
#[derive(Clone, Copy)]
pub struct LiveSlots {
    hidden: RwSignal<HashSet<i64>>,
    labels: StoredValue<HashMap<i64, String>>,
    announcement: RwSignal<String>,
}

impl LiveSlots {
    /// Listens to `/live/slots` once the page runs in a browser, until the
    /// page goes; `reload` fetches the list again.
    pub fn start(reload: impl Fn() + Clone + Send + Sync + 'static) -> Self {
        let live = Self {
            hidden: RwSignal::new(HashSet::new()),
            labels: StoredValue::new(HashMap::new()),
            announcement: RwSignal::new(String::new()),
        };
        // Effects run only in the browser, after the page has hydrated.
        Effect::new(move |_| listen(live, reload.clone()));
        live
    }

    /// Whether the slot was taken since the list was drawn.
    pub fn hides(&self, slot: i64) -> bool {
        self.hidden.with(|hidden| hidden.contains(&slot))
    }

    /// Names a slot on the list, for announcing that it went.
    pub fn remember(&self, slot: i64, label: String) {
        self.labels.update_value(|labels| {
            labels.insert(slot, label);
        });
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn hear(&self, event: &SlotEvent, reload: &(impl Fn() + Clone + Send + Sync + 'static)) {
        match event.reaction() {
            Reaction::Hide(slot) => {
                self.hidden.update(|hidden| {
                    hidden.insert(slot);
                });
                if let Some(label) = self.labels.with_value(|labels| labels.get(&slot).cloned()) {
                    self.announcement.set(format!("{label} has just been booked by someone else."));
                }
            }
            Reaction::Reload => {
                if let Some(slot) = event.slot {
                    self.hidden.update(|hidden| {
                        hidden.remove(&slot);
                    });
                }
                reload();
                self.announcement.set("Appointments have changed. The list has been updated.".into());
            }
        }
    }
}

/// Where announcements are read out, kept off screen.
#[component]
pub fn LiveAnnouncer(live: LiveSlots) -> impl IntoView {
    view! {
        <div class="nhsuk-u-visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || live.announcement.get()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn listen(live: LiveSlots, reload: impl Fn() + Clone + Send + Sync + 'static) {
    use futures::future::{AbortHandle, Abortable};
    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;

    let Ok(mut source) = EventSource::new("/live/slots") else { return };
    let (Ok(changes), Ok(reloads)) = (source.subscribe("message"), source.subscribe("reload")) else { return };
    let (stop, stopped) = AbortHandle::new_pair();
    leptos::task::spawn_local(async move {
        let follow = async move {
            let mut heard = futures::stream::select(changes, reloads);
            // The browser reconnects by itself (sending the last id it saw);
            // an error here means it gave up, as when signed out.
            while let Some(Ok((kind, message))) = heard.next().await {
                if kind == "reload" {
                    reload();
                    continue;
                }
                let data = message.data().as_string().unwrap_or_default();
                if let Ok(event) = serde_json::from_str::<SlotEvent>(&data) {
                    live.hear(&event, &reload);
                }
            }
            drop(source);
        };
        let _ = Abortable::new(follow, stopped).await;
    });
    // Leaving the page closes the stream (dropping the source closes it).
    on_cleanup(move || stop.abort());
}

#[cfg(not(feature = "hydrate"))]
fn listen(_live: LiveSlots, _reload: impl Fn() + Clone + Send + Sync + 'static) {}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::live::SlotChange;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn live() -> LiveSlots {
        LiveSlots {
            hidden: RwSignal::new(HashSet::new()),
            labels: StoredValue::new(HashMap::new()),
            announcement: RwSignal::new(String::new()),
        }
    }

    #[test]
    fn a_slot_taken_elsewhere_is_hidden_and_announced_by_name_without_a_reload() {
        let owner = Owner::new();
        owner.set();
        let live = live();
        let reloads = Arc::new(AtomicUsize::new(0));
        let reload = {
            let r = reloads.clone();
            move || {
                r.fetch_add(1, Ordering::SeqCst);
            }
        };
        live.remember(7, "The 9:10am appointment on Tuesday 24 November 2026".into());
        live.hear(&SlotEvent { id: 1, change: SlotChange::Taken, slot: Some(7) }, &reload);
        assert!(live.hides(7) && !live.hides(8));
        assert_eq!(reloads.load(Ordering::SeqCst), 0);
        assert_eq!(
            live.announcement.get_untracked(),
            "The 9:10am appointment on Tuesday 24 November 2026 has just been booked by someone else."
        );
        // A slot not on this list goes unannounced.
        live.announcement.set(String::new());
        live.hear(&SlotEvent { id: 2, change: SlotChange::Taken, slot: Some(99) }, &reload);
        assert_eq!(live.announcement.get_untracked(), "");
    }

    #[test]
    fn a_freed_slot_shows_again_after_the_list_is_fetched_again() {
        let owner = Owner::new();
        owner.set();
        let live = live();
        let reloads = Arc::new(AtomicUsize::new(0));
        let reload = {
            let r = reloads.clone();
            move || {
                r.fetch_add(1, Ordering::SeqCst);
            }
        };
        live.hear(&SlotEvent { id: 1, change: SlotChange::Taken, slot: Some(7) }, &reload);
        live.hear(&SlotEvent { id: 2, change: SlotChange::Freed, slot: Some(7) }, &reload);
        assert!(!live.hides(7));
        assert_eq!(reloads.load(Ordering::SeqCst), 1);
        assert!(live.announcement.get_untracked().contains("The list has been updated"));
    }
}
