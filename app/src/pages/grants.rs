//! The online services fields shared by a patient's page and the practice settings.

use crate::components::{CheckboxField, InputField, RadioField};
use crate::error::AppError;
use domain::services::{Grants, RecordFrom, RecordLevel};
use leptos::prelude::*;

/// Tick boxes for the services, and radios for the record's level and start.
#[component]
pub fn GrantsFields(grants: Grants, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let levels: Vec<(&'static str, &'static str)> = RecordLevel::ALL.iter().map(|l| (l.as_str(), l.label())).collect();
    let from_options = vec![
        ("account_creation", "From when their online account was made (prospective)"),
        ("date", "From a date"),
        ("full_history", "Their full history"),
    ];
    let from_date = grants.record_from.date().map(domain::time::typed_date).unwrap_or_default();
    view! {
        <div class="nhsuk-form-group">
            <fieldset class="nhsuk-fieldset">
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Services"</legend>
                <div class="nhsuk-checkboxes">
                    <CheckboxField name="appointments" label="Book and cancel appointments" checked=grants.appointments/>
                    <CheckboxField name="prescriptions" label="Order repeat prescriptions" checked=grants.prescriptions/>
                    <CheckboxField name="messaging" label="Message the practice" checked=grants.messaging/>
                    <CheckboxField name="record_audit" label="See who has looked at their record" checked=grants.record_audit/>
                    <CheckboxField name="consent" label="See their consent-to-share settings" checked=grants.consent/>
                </div>
            </fieldset>
        </div>
        <RadioField name="record" legend="How much of their record they see" options=levels error selected=grants.record.as_str()/>
        <RadioField name="record_from" legend="From when" options=from_options error selected=grants.record_from.kind()/>
        <InputField name="record_from_date" label="The date, if from a date" hint="For example, 01/04/2024" width="nhsuk-input--width-10" error value=from_date/>
    }
}

/// A short summary of grants, for reading at a glance.
pub fn describe_grants(grants: &Grants) -> Vec<String> {
    let mut lines = Vec::new();
    let services: Vec<&str> = [
        (grants.appointments, "appointments"),
        (grants.prescriptions, "repeat prescriptions"),
        (grants.messaging, "messages"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    lines.push(if services.is_empty() {
        "No transactional services".into()
    } else {
        format!("Can use: {}", services.join(", "))
    });
    let from = match grants.record_from {
        RecordFrom::AccountCreation => "from when their account was made".to_owned(),
        RecordFrom::Date(date) => format!("from {}", domain::time::display_date(date)),
        RecordFrom::FullHistory => "full history".to_owned(),
    };
    lines.push(if grants.record == RecordLevel::None {
        "No record access".into()
    } else {
        format!("{}, {from}", grants.record.label())
    });
    lines
}
