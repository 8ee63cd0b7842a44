//! The patient's record as imported from the practice's clinical system:
//! entries of every kind, each with a "hidden from online view" flag. What a
//! patient may see of them is `domain::record::visible`. Importing and
//! reading entries is `entries`; clinicians hiding, showing and filing them
//! is `decisions`; who has looked is `views`; consent to share is `sharing`;
//! current repeat medicines joining the repeat list is `repeats`. The
//! mapping from FHIR is the `fhir` crate.

mod decisions;
mod entries;
mod repeats;
mod sharing;
mod views;

pub use entries::*;
pub use repeats::RepeatTerms;
pub use sharing::*;
pub use views::*;
