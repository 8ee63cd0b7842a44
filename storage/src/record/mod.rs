//! The patient's record as imported from the practice's clinical system:
//! entries of every kind, each with a "hidden from online view" flag. What a
//! patient may see of them is `domain::record::visible`. Importing and
//! reading entries is `entries`; clinicians hiding, showing and filing them
//! is `decisions`; the mapping from FHIR is `server/src/fhir`.

mod decisions;
mod entries;

pub use entries::*;
