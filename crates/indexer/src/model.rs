//! The item documents Paragraf produces: one [`Item`] per agenda item, each carrying its
//! [`Meeting`], the [`Speaker`]s who present it and the [`Municipality`]s it concerns.
//!
//! These types are what `paragraf parse` prints as JSON Lines and what the index stores, so
//! their serde names are part of the public interface (README, "Item fields").

use crate::date::{Date, DatePrecision};
use serde::{Deserialize, Serialize};

/// One agenda item ("ärende", "punkt") of one meeting: the unit Paragraf indexes and returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Item {
    /// Stable id: `<meeting id>.<ordinal, two digits>`; the same file gives the same ids.
    pub id: String,
    /// The meeting the item belongs to.
    pub meeting: Meeting,
    /// Position of the item in its meeting, from 1.
    pub ordinal: u32,
    /// The paragraph number as officials cite it ("§ 54"), when the text has one.
    pub section: Option<String>,
    /// The item's heading, when the text has one (most scraped pages lost them).
    pub title: Option<String>,
    /// The case number ("Dnr", diarienummer) heading a formal protokoll's item, as normalised by
    /// [`crate::minutes::protokoll::normalize_case_number`]: `KS 2013/123`. Omitted from JSON when
    /// absent, so items of texts without case numbers read as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<String>,
    /// Case numbers of other cases the item cites ("Dnr KS 2018/215" in a list of reports),
    /// normalised as `case_number`; omitted from JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub case_references: Vec<String>,
    /// Cleaned text of the item, paragraphs separated by a blank line.
    pub text: String,
    /// People who present or speak in the item, in order of first appearance.
    pub speakers: Vec<Speaker>,
    /// Municipalities (kommuner) the item speaks of or for, in order of first appearance. The
    /// meeting's own municipality (the body's) is [`Meeting::municipality`], not repeated here
    /// unless the item's text names it.
    pub municipalities: Vec<Municipality>,
    /// Sentences or paragraphs that record a decision ("beslutar att", "Beslut:").
    pub decisions: Vec<String>,
    /// ISO 639-3 code of the item's language as detected by whatlang ("swe", "eng").
    pub language: Option<String>,
    /// The page of the source PDF on which the item's paragraph starts, from 1; omitted when
    /// the source has no pages or the start was not found (issue #19: open the source there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl Item {
    /// The municipalities the municipality filter and facet count for this item: those it
    /// speaks of, then its meeting's own (the body's, issue 15), each once. Krokom's
    /// kommunstyrelse minutes rarely name Krokom, yet a filter "Krokom" must find them.
    pub fn filter_municipalities(&self) -> Vec<&Municipality> {
        let mut out: Vec<&Municipality> = self.municipalities.iter().collect();
        if let Some(own) = &self.meeting.municipality {
            if !out.iter().any(|m| m.code == own.code) {
                out.push(own);
            }
        }
        out
    }
}

/// A meeting of a body, as far as it is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Meeting {
    /// Stable meeting id, from the manifest or derived from the file path.
    pub id: String,
    /// The body that met ("SVOM", "Kommunstyrelsen"), when known.
    pub body: Option<String>,
    /// Meeting date, written to its precision: `2020-12-04`, `2022-10` or `2022`.
    pub date: Option<String>,
    /// How much of the date is known.
    pub date_precision: Option<DatePrecision>,
    /// Where the date came from.
    pub date_source: Option<DateSource>,
    /// Source URL or original file name, from the manifest; otherwise the path as given.
    pub source: String,
    /// Members who took decisions ("Beslutande"), from a formal protokoll's front page; empty
    /// when the text lists none (omitted from JSON then).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<Attendee>,
    /// The others present ("Övriga deltagare", "Övriga närvarande": officials, non-serving
    /// substitutes, guests) with their role as written ("förvaltningschef"), from a formal
    /// protokoll's front page; empty when the text lists none (omitted from JSON then). They
    /// let "förvaltningschefen informerar" and initials ("FB") name a presenter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<Attendee>,
    /// The members who check and sign the minutes ("Justerare"); empty when the text names
    /// none (omitted from JSON then).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub justerare: Vec<String>,
    /// The municipality whose body met ("Lomma" for Lomma's samhällsbyggnadsnämnd): from the
    /// manifest, the protokoll's header or cover ("MELLERUDS KOMMUN", "Lomma kommun") or the
    /// front matter of a Markdown export. [`Item::municipalities`] is what an item speaks of; the
    /// municipality filter and facet count both ([`Item::filter_municipalities`]). Omitted from
    /// JSON when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<Municipality>,
    /// The meeting's chair ("ordförande"), from the cover or the signature block; omitted
    /// from JSON when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chair: Option<String>,
    /// Who may see the meeting's items (issue #20): from the manifest, else by format (a DOCX
    /// draft is internal); omitted from JSON when public, so public items read as before.
    #[serde(default, skip_serializing_if = "Visibility::is_public")]
    pub visibility: Visibility,
}

/// Who may see an item: everyone, or only officials (issue #20). Minutes are published after
/// justering; drafts before it, and the notes of some bodies (arbetsutskott, beredning), stay
/// internal.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Anyone may see it: the public widget and page, without credentials.
    #[default]
    Public,
    /// Only requests with internal access (a token or the intranet's login) may see it.
    Internal,
}

impl Visibility {
    /// Whether everyone may see it.
    pub fn is_public(&self) -> bool {
        *self == Visibility::Public
    }

    /// The value as the manifest and the index write it: `public` or `internal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Internal => "internal",
        }
    }
}

/// A member who took part in the decisions of a meeting ("Beslutande"), as a formal protokoll
/// lists them: "Maria Söderberg, C, ordf", "Leif Olsson, C, tjg ers för Ulf Jonasson, C".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Attendee {
    /// Full name as written.
    pub name: String,
    /// Party letters where stated ("C", "MP").
    pub party: Option<String>,
    /// Role where stated, as written: "ordf", "1:e vice ordf", "tjg ers" (a serving substitute;
    /// whom they replace is not kept).
    pub role: Option<String>,
}

/// A person who speaks in an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Speaker {
    /// Full name as written, spelling variants unified ("Lise Hjemgaard Svensson").
    pub name: String,
    /// Party letters where stated ("M", "S", "C").
    pub party: Option<String>,
    /// Role or affiliation where stated ("ordförande", "sekreterare", "Folkhälsoenheten").
    pub role: Option<String>,
}

/// A Swedish municipality (kommun) with its SCB code and county (län).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Municipality {
    /// Short name as SCB writes it ("Östersund", "Åre", "Upplands Väsby").
    pub name: String,
    /// Four-digit SCB municipality code ("2380").
    pub code: String,
    /// County name ("Jämtlands län").
    pub county: String,
    /// Two-digit SCB county code ("23"), the first two digits of `code`.
    pub county_code: String,
}

/// Where a meeting date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// Stated in the archive's manifest.
    Manifest,
    /// Read from a file name like `kommunstyrelsen-2013-05-15.txt`.
    FileName,
    /// Read from the text (for example a "Sammanträdesdatum" line); may be wrong.
    Inferred,
}

impl Meeting {
    /// The meeting date parsed back from its written form: the first day of the month or year
    /// when the precision is coarser than a day.
    pub fn start_date(&self) -> Option<Date> {
        Date::parse_written_start(self.date.as_deref()?)
    }

    /// The meeting year, when a date is known.
    pub fn year(&self) -> Option<i32> {
        self.start_date().map(|d| d.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_date_of_coarse_dates() {
        let meeting = Meeting {
            id: "m".into(),
            body: None,
            date: Some("2022".into()),
            date_precision: Some(DatePrecision::Year),
            date_source: Some(DateSource::Manifest),
            source: "x".into(),
            attendees: Vec::new(),
            others: Vec::new(),
            justerare: Vec::new(),
            municipality: None,
            chair: None,
            visibility: Visibility::Public,
        };
        assert_eq!(meeting.start_date(), Date::new(2022, 1, 1));
        assert_eq!(meeting.year(), Some(2022));
    }
}
