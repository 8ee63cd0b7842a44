//! A request for repeat items and where each item stands: one timeline per
//! item, from requested to collected, and the date the practice expects it
//! ready.

use crate::appointments::labelled_enum;
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc, Weekday};
use serde::{Deserialize, Serialize};

labelled_enum!(
    /// Where one item of a request stands.
    ItemStatus {
        Requested => "requested", "Requested";
        InReview => "in_review", "In review";
        Approved => "approved", "Approved";
        Changed => "changed", "Approved with a change";
        Rejected => "rejected", "Not approved";
        Issued => "issued", "Prescription issued";
        ReadyToCollect => "ready_to_collect", "Ready to collect";
        SentToPharmacy => "sent_to_pharmacy", "Sent to your pharmacy";
        Dispensed => "dispensed", "Dispensed";
        Cancelled => "cancelled", "Cancelled";
    }
);

labelled_enum!(
    /// Why a clinician did not approve an item, as the patient reads it.
    RejectReason {
        ReviewNeeded => "review_needed", "You need a medication review first";
        TooEarly => "too_early", "It is too early to order it";
        MedicationChanged => "medication_changed", "Your medication has changed";
        Other => "other", "Other";
    }
);

impl ItemStatus {
    /// Whether an item can move from this status to `next`. The steps after
    /// issuing are where an electronic prescription service would report
    /// back; until one does, reception records them.
    pub fn can_become(self, next: ItemStatus) -> bool {
        use ItemStatus::*;
        matches!(
            (self, next),
            (Requested, InReview | Approved | Changed | Rejected | Cancelled)
                | (InReview, Approved | Changed | Rejected)
                | (Approved | Changed, Issued)
                | (Issued, ReadyToCollect | SentToPharmacy)
                | (ReadyToCollect | SentToPharmacy, Dispensed)
        )
    }

    /// Whether nothing more will happen to the item.
    pub fn is_final(self) -> bool {
        matches!(self, ItemStatus::Rejected | ItemStatus::Dispensed | ItemStatus::Cancelled)
    }

    /// Whether the request is still being dealt with for this item (it
    /// cannot be ordered again meanwhile).
    pub fn is_open(self) -> bool {
        matches!(self, ItemStatus::Requested | ItemStatus::InReview | ItemStatus::Approved | ItemStatus::Changed)
    }
}

/// A patient can cancel a request until a clinician starts on it: while
/// every item is still only requested.
pub fn can_cancel(items: &[ItemStatus]) -> bool {
    !items.is_empty() && items.iter().all(|status| *status == ItemStatus::Requested)
}

/// The day `days` working days (Monday to Friday) after `from`. A request
/// made at a weekend starts counting on the Monday. Bank holidays are not
/// known here, so a promise across one is a day early.
pub fn add_working_days(from: NaiveDate, days: u32) -> NaiveDate {
    let weekend = |day: NaiveDate| matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    let mut day = from;
    let mut left = days;
    while left > 0 {
        day += TimeDelta::days(1);
        if !weekend(day) {
            left -= 1;
        }
    }
    while weekend(day) {
        day += TimeDelta::days(1);
    }
    day
}

/// When a request made at `at` is expected ready, by the practice's promise
/// of `working_days` working days (London dates).
pub fn expected_ready(at: DateTime<Utc>, working_days: u32) -> NaiveDate {
    add_working_days(super::london_today(at), working_days)
}

/// What the practice promises, as patients read it: "usually ready in 2 working days".
pub fn promise_text(working_days: u32) -> String {
    match working_days {
        1 => "usually ready in 1 working day".to_owned(),
        n => format!("usually ready in {n} working days"),
    }
}

/// A request's key from the browser, so the same order sent twice (a double
/// tap, a resent form) makes one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderKey(String);

impl OrderKey {
    /// 16 to 64 letters, digits or dashes, as the order page makes them.
    pub fn parse(text: &str) -> Result<Self, crate::Invalid> {
        let text = text.trim();
        let fits = (16..=64).contains(&text.len()) && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if fits {
            Ok(Self(text.to_owned()))
        } else {
            Err(crate::Invalid::new("This order form has expired. Go back to your medicines and order again."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
