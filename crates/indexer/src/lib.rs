//! # paragraf-indexer
//!
//! Everything from a minutes file on disk to item documents and a tantivy index.
//!
//! ## Brief overview
//!
//! Swedish municipalities and regions publish minutes of every meeting. This crate turns each
//! file into one [`Item`] per agenda item ([`parse`]), knowing who presented it
//! ([`speaker`]), which municipalities it concerns ([`place`]), when the meeting was held
//! ([`date`], [`manifest`]) and what was decided ([`decision`]); [`archive`] does this for a
//! whole archive, reporting bad files instead of stopping.
//!
//! ```
//! use paragraf_indexer::parse::{parse_minutes, MeetingInfo};
//!
//! let text = " • Ingela Jönsson föredrar ärendet.\n\n • Krokom: Inga nya fall.\n";
//! let info = MeetingInfo { id: "m".into(), body: None, date: None, source: "m.txt".into() };
//! let items = parse_minutes(text, info).items;
//! assert_eq!(items[0].speakers[0].name, "Ingela Jönsson");
//! assert_eq!(items[1].municipalities[0].name, "Krokom");
//! ```
#![warn(missing_docs)]

pub mod analysis;
pub mod archive;
pub mod check;
pub mod clean;
pub mod date;
pub mod decision;
pub mod error;
pub mod format;
pub mod lang;
pub mod manifest;
pub mod model;
pub mod parse;
pub mod place;
pub mod protokoll;
pub mod read;
pub mod sample;
pub mod schema;
pub mod speaker;
pub mod split;
pub mod write;

pub use error::{Error, Result};
pub use model::{Attendee, Date, DatePrecision, DateSource, Item, Meeting, Municipality, Speaker};
pub use write::{build, open, IndexInfo, OpenIndex};
