//! Live changes to the appointment book, as screens showing slots hear of
//! them: what changed, and what a list on screen should do about it.

use serde::{Deserialize, Serialize};

/// What happened to one slot, or to many at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotChange {
    /// Someone booked it.
    Taken,
    /// Its appointment was cancelled: free again.
    Freed,
    /// The practice cancelled the slot (or its whole session).
    Withdrawn,
    /// New slots exist (a session was added, or rotas made sessions).
    Added,
    /// A slot's type changed, so who may book it may have changed.
    Changed,
    /// A release time passed: slots held back until now can be booked.
    Released,
}

impl SlotChange {
    pub const ALL: &'static [SlotChange] = &[
        SlotChange::Taken,
        SlotChange::Freed,
        SlotChange::Withdrawn,
        SlotChange::Added,
        SlotChange::Changed,
        SlotChange::Released,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SlotChange::Taken => "taken",
            SlotChange::Freed => "freed",
            SlotChange::Withdrawn => "withdrawn",
            SlotChange::Added => "added",
            SlotChange::Changed => "changed",
            SlotChange::Released => "released",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == value)
    }
}

/// One change as a live stream sends it. `id` orders changes and lets a
/// stream resume where it broke off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotEvent {
    pub id: i64,
    pub change: SlotChange,
    /// The slot, when the change is about one slot.
    pub slot: Option<i64>,
}

/// What a list of slots on screen does when it hears of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    /// Take this slot off the list at once: nobody else can have it.
    Hide(i64),
    /// Ask the server for the list again: slots may have appeared, and only
    /// the server knows which of them this person may book.
    Reload,
}

impl SlotEvent {
    pub fn reaction(&self) -> Reaction {
        match (self.change, self.slot) {
            (SlotChange::Taken | SlotChange::Withdrawn, Some(slot)) => Reaction::Hide(slot),
            _ => Reaction::Reload,
        }
    }
}

/// A conversation changed (a new message, or it was closed), as the live
/// stream of messages sends it: only its id, never its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageEvent {
    pub id: i64,
    pub thread: i64,
}

/// A prescription request changed (a decision, a step such as ready to
/// collect, a cancellation, a question), as the live stream of requests
/// sends it: only its id, never a medicine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEvent {
    pub id: i64,
    pub request: i64,
}

/// Who hears of changes to conversations and prescription requests: a
/// patient of their own only, the practice's staff of all the practice's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listener {
    Patient(i64),
    Staff,
}

impl Listener {
    /// Whether this listener hears of a change to a conversation or request of `patient`.
    pub fn hears(self, patient: i64) -> bool {
        match self {
            Listener::Patient(own) => own == patient,
            Listener::Staff => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_reads_back_from_its_stored_name() {
        for change in SlotChange::ALL {
            assert_eq!(SlotChange::parse(change.as_str()), Some(*change));
        }
        assert_eq!(SlotChange::parse("booked"), None);
    }

    #[test]
    fn a_taken_or_withdrawn_slot_is_hidden_and_anything_that_can_add_slots_reloads() {
        let event = |change, slot| SlotEvent { id: 1, change, slot };
        assert_eq!(event(SlotChange::Taken, Some(7)).reaction(), Reaction::Hide(7));
        assert_eq!(event(SlotChange::Withdrawn, Some(7)).reaction(), Reaction::Hide(7));
        // A whole session withdrawn names no one slot.
        assert_eq!(event(SlotChange::Withdrawn, None).reaction(), Reaction::Reload);
        for change in [SlotChange::Freed, SlotChange::Added, SlotChange::Changed, SlotChange::Released] {
            assert_eq!(event(change, Some(7)).reaction(), Reaction::Reload);
        }
    }

    #[test]
    fn the_wire_form_is_small_and_readable() {
        let event = SlotEvent { id: 42, change: SlotChange::Taken, slot: Some(7) };
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(json, r#"{"id":42,"change":"taken","slot":7}"#);
        assert_eq!(serde_json::from_str::<SlotEvent>(&json).unwrap(), event);
    }

    #[test]
    fn a_patient_hears_of_their_own_conversations_only_and_staff_of_all() {
        assert!(Listener::Patient(5).hears(5));
        assert!(!Listener::Patient(5).hears(6));
        assert!(Listener::Staff.hears(6));
    }

    #[test]
    fn a_message_event_carries_the_conversation_and_no_text() {
        let json = serde_json::to_string(&MessageEvent { id: 9, thread: 3 }).unwrap();
        assert_eq!(json, r#"{"id":9,"thread":3}"#);
    }
}
