//! The patient's record as imported from the practice's clinical system:
//! entries of every kind, each with a "hidden from online view" flag. What a
//! patient may see of them is `domain::record::visible`; the import mapping
//! from FHIR is `server/src/fhir`.

mod entries;

pub use entries::*;
