//! `/admin/patients/{patient}/record`: a clinician's view of the patient's
//! record, with hiding, showing and filing, and the patient's own view.

use crate::api::staff_record::{staff_record, FileResult, HideEntry, StaffEntryView};
use crate::components::{id_param, saved_param, submitted_form, ErrorSummary, FormState, InputField, PostForm};
use crate::pages::admin::{listing, AdminPage};
use crate::pages::record::RecordEntry;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Every entry (hidden ones and unfiled results marked, with what can be
/// done to each); with `?preview=1`, exactly what the patient sees.
#[component]
pub fn StaffRecordPage() -> impl IntoView {
    let id = id_param("patient");
    let saved = saved_param();
    let query = use_query_map();
    let preview = move || query.read().get("preview").is_some();
    // One entry's hide form at a time, chosen by its link (`?hide={entry}`).
    let hiding = move || query.read().get("hide").and_then(|id| id.parse::<i64>().ok());
    let record = Resource::new(move || (id(), saved()), |(id, _)| staff_record(id));
    let submitted = submitted_form();
    let (hide, file) = (ServerAction::<HideEntry>::new(), ServerAction::<FileResult>::new());
    let body = move || {
        view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let hide = FormState::new(hide, submitted.get_value());
                    let file = FormState::new(file, submitted.get_value());
                    let errors = [hide.error(), file.error()];
                    listing(record.await, move |r| {
                        let page = format!("/admin/patients/{}/record", r.patient_id);
                        view! {
                            {errors.into_iter().flatten().map(|error| view! { <ErrorSummary error/> }).collect_view()}
                            {saved().map(|_| view! { <div class="nhsuk-inset-text" role="status"><p>"Saved. What the patient sees has changed."</p></div> })}
                            <h2>{r.patient_name.clone()}</h2>
                            <p>
                                <a href=format!("/admin/patients/{}", r.patient_id)>"Back to the patient"</a>" · "
                                {if preview() {
                                    view! { <a href=page.clone()>"The whole record"</a> }.into_any()
                                } else {
                                    view! { <a href=format!("{page}?preview=1")>"Preview as the patient"</a> }.into_any()
                                }}
                            </p>
                            {if preview() {
                                view! {
                                    <div class="nhsuk-inset-text"><p>"This is exactly what the patient sees. "{r.preview_describe.clone()}</p></div>
                                    {r.preview.into_iter().map(|entry| view! { <RecordEntry entry/> }).collect_view()}
                                }.into_any()
                            } else {
                                r.entries.into_iter().map(|entry| {
                                    let hiding = hiding() == Some(entry.id);
                                    view! { <StaffEntry entry patient=r.patient_id page=page.clone() hiding hide file/> }
                                }).collect_view().into_any()
                            }}
                        }.into_any()
                    })
                })}
            </Suspense>
        }
    };
    view! { <AdminPage title="Record" body/> }
}

/// One entry with its marks and what a clinician can do to it.
#[component]
fn StaffEntry(
    entry: StaffEntryView,
    patient: i64,
    page: String,
    /// Whether this entry shows its hide form.
    hiding: bool,
    hide: FormState<HideEntry>,
    file: FormState<FileResult>,
) -> impl IntoView {
    let error = hide.error_signal();
    let fields = move || {
        view! {
            <input type="hidden" name="patient_id" value=patient.to_string()/>
            <input type="hidden" name="entry_id" value=entry.id.to_string()/>
        }
    };
    view! {
        <div class="gp-record-entry" id=format!("entry-{}", entry.id)>
            {entry.hidden.clone().map(|reason| view! { <p><strong class="nhsuk-tag nhsuk-tag--grey">"Hidden from the patient"</strong>" "{reason}</p> })}
            {entry.unfiled.then(|| view! { <p><strong class="nhsuk-tag nhsuk-tag--yellow">"Not filed: the patient cannot see it"</strong></p> })}
            <RecordEntry entry=entry.entry.clone()/>
            {entry.unfiled.then(|| view! {
                <PostForm form=file page=page.clone()>
                    {fields()}
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"File this result"</button>
                </PostForm>
            })}
            {match (entry.hidden.is_some(), entry.restricted) {
                (true, true) => view! { <p class="nhsuk-body-s">"Restricted in the clinical system: change it there to show it online."</p> }.into_any(),
                (true, false) => view! {
                    <PostForm form=hide page=page.clone()>
                        {fields()}
                        <input type="hidden" name="hide" value="no"/>
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Show it to the patient"</button>
                    </PostForm>
                }.into_any(),
                // Posted to the page with its `?hide`, so a refusal shows this form again.
                (false, _) if hiding => view! {
                    <PostForm form=hide page=format!("{page}?hide={}", entry.id)>
                        {fields()}
                        <input type="hidden" name="hide" value="yes"/>
                        <InputField name="reason" label="Why hide it from the patient" hint="Such as harmful to the patient, or about someone else. Staff see this; the patient does not." error/>
                        <button class="nhsuk-button nhsuk-button--warning" type="submit">"Hide it"</button>
                    </PostForm>
                }.into_any(),
                (false, _) => view! {
                    <p><a href=format!("{page}?hide={}#entry-{}", entry.id, entry.id)>"Hide it from the patient"</a></p>
                }.into_any(),
            }}
        </div>
    }
}
