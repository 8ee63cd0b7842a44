//! A practice's ordering rules; the defaults until it saves its own.

use crate::audit::{append_audit, NewAudit};
use crate::db::{query, query_as};
use crate::{Store, StoreResult, Timestamp};
use domain::prescriptions::{Handling, OrderingRules, Rule};
use domain::PracticeId;

/// What a new practice promises: usually ready in this many working days.
pub const DEFAULT_READY_IN_WORKING_DAYS: u32 = 2;
/// Days past the end of a supply before a patient counts as having stopped ordering.
pub const DEFAULT_STOPPED_MARGIN_DAYS: u32 = 14;

/// Whether patients add a note to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteMode {
    Optional,
    Required,
    Off,
}

impl NoteMode {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteMode::Optional => "optional",
            NoteMode::Required => "required",
            NoteMode::Off => "off",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [NoteMode::Optional, NoteMode::Required, NoteMode::Off].into_iter().find(|m| m.as_str() == value)
    }
}

/// A practice's prescription settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrescriptionSettings {
    pub rules: OrderingRules,
    pub note: NoteMode,
    pub ready_in_working_days: u32,
    pub stopped_margin_days: u32,
}

impl Default for PrescriptionSettings {
    fn default() -> Self {
        Self {
            rules: OrderingRules::default(),
            note: NoteMode::Optional,
            ready_in_working_days: DEFAULT_READY_IN_WORKING_DAYS,
            stopped_margin_days: DEFAULT_STOPPED_MARGIN_DAYS,
        }
    }
}

/// Reads stored "rule=block|flag" pairs over the defaults: a rule not
/// stored keeps its default.
pub fn handling_from_text(text: &str) -> OrderingRules {
    let mut rules = OrderingRules::default();
    for pair in text.split(',') {
        let Some((rule, handling)) = pair.split_once('=') else { continue };
        let (Some(rule), Some(handling)) = (Rule::parse(rule.trim()), Handling::parse(handling.trim())) else {
            continue;
        };
        for (known, h) in rules.handling.iter_mut() {
            if *known == rule {
                *h = handling;
            }
        }
    }
    rules
}

/// The handling as stored.
pub fn handling_to_text(rules: &OrderingRules) -> String {
    rules.handling.iter().map(|(rule, h)| format!("{}={}", rule.as_str(), h.as_str())).collect::<Vec<_>>().join(",")
}

impl Store {
    /// Saves the practice's prescription settings, all at once.
    #[tracing::instrument(skip_all, fields(practice = practice.0))]
    pub async fn save_prescription_settings(
        &self,
        practice: PracticeId,
        settings: &PrescriptionSettings,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "INSERT INTO prescription_settings (practice_id, days_before_run_out, handling, note, \
             ready_in_working_days, stopped_margin_days, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (practice_id) DO UPDATE SET days_before_run_out = excluded.days_before_run_out, \
             handling = excluded.handling, note = excluded.note, ready_in_working_days = excluded.ready_in_working_days, \
             stopped_margin_days = excluded.stopped_margin_days, updated_at = excluded.updated_at",
        )
        .bind(practice.0)
        .bind(settings.rules.days_before_run_out as i32)
        .bind(handling_to_text(&settings.rules))
        .bind(settings.note.as_str())
        .bind(settings.ready_in_working_days as i32)
        .bind(settings.stopped_margin_days as i32)
        .bind(Timestamp(audit.at))
        .execute(&mut tx)
        .await?;
        append_audit(&mut tx, audit).await?;
        tx.commit().await
    }

    /// The practice's prescription settings, its defaults until it saves its own.
    pub async fn prescription_settings(&self, practice: PracticeId) -> StoreResult<PrescriptionSettings> {
        let stored: Option<(i32, String, String, i32, i32)> = query_as(
            "SELECT days_before_run_out, handling, note, ready_in_working_days, stopped_margin_days \
             FROM prescription_settings WHERE practice_id = $1",
        )
        .bind(practice.0)
        .fetch_optional(&mut self.reader().await?)
        .await?;
        let Some((days_before, handling, note, ready, margin)) = stored else {
            return Ok(PrescriptionSettings::default());
        };
        let mut rules = handling_from_text(&handling);
        rules.days_before_run_out = days_before as u32;
        Ok(PrescriptionSettings {
            rules,
            note: NoteMode::parse(&note).unwrap_or(NoteMode::Optional),
            ready_in_working_days: ready as u32,
            stopped_margin_days: margin as u32,
        })
    }
}
