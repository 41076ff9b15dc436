//! From one meeting's minutes text to its items: everything that reads the text itself.
//!
//! [`parse`] runs the rooms in order: [`clean`] drops page chrome, [`split`] cuts the text into
//! items, then each item is read for its speakers ([`speaker`]), the municipalities it concerns
//! ([`place`]), its decisions ([`decision`]) and its language ([`lang`]); a formal protokoll's
//! front page is read by [`cover`], its case numbers by [`protokoll`], dates written in the text by
//! [`dates`]. Nothing here touches the file system or the index.

pub mod case_key;
pub mod clean;
pub mod cover;
pub mod dates;
pub mod decision;
pub mod formal;
pub mod lang;
pub mod markdown;
pub mod page_starts;
pub mod pages;
pub mod parse;
pub mod place;
pub mod protokoll;
pub mod speaker;
pub mod split;

pub use parse::{parse_minutes, MeetingInfo, Parsed};
