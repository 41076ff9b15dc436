//! # paragraf-indexer
//!
//! Everything from a minutes file on disk to item documents and a tantivy index.
//!
//! ## Brief overview
//!
//! Swedish municipalities and regions publish minutes of every meeting. This crate turns each
//! file into one [`Item`] per agenda item ([`minutes`]), knowing who presented it
//! ([`minutes::speaker`]), which municipalities it concerns ([`minutes::place`]), when the
//! meeting was held ([`minutes::dates`], [`archive::manifest`]) and what was decided
//! ([`minutes::decision`]); [`archive`] does this for a whole archive, reporting bad files
//! instead of stopping, and [`index`] writes, updates and opens the tantivy index.
//!
//! The modules depend downwards only: [`model`] and [`date`] ← [`minutes`] ←
//! [`format`](mod@format) ← [`error`] ← [`archive`] ← [`index`].
//!
//! ```
//! use paragraf_indexer::minutes::{parse_minutes, MeetingInfo};
//!
//! let text = " • Ingela Jönsson föredrar ärendet.\n\n • Krokom: Inga nya fall.\n";
//! let info = MeetingInfo { id: "m".into(), body: None, date: None, source: "m.txt".into(), municipality: None };
//! let items = parse_minutes(text, info).items;
//! assert_eq!(items[0].speakers[0].name, "Ingela Jönsson");
//! assert_eq!(items[1].municipalities[0].name, "Krokom");
//! ```
#![warn(missing_docs)]

pub mod archive;
pub mod date;
pub mod error;
pub mod format;
mod hash;
pub mod index;
pub mod minutes;
pub mod model;

pub use date::{Date, DatePrecision};
pub use error::{Error, Result};
pub use index::store::{build, open, IndexInfo, OpenIndex};
pub use model::{Attendee, DateSource, Item, Meeting, Municipality, Speaker, Visibility};
