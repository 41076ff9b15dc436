//! Small in-RAM indexes for the engine's unit tests: items are written as the indexer writes
//! them ([`paragraf_indexer::index::document::to_document`]) into an index of Paragraf's schema.

use std::sync::Arc;

use paragraf_indexer::index::analysis::{self, Dictionary};
use paragraf_indexer::index::schema::Fields;
use paragraf_indexer::minutes::place::Gazetteer;
use paragraf_indexer::{IndexInfo, Item, Meeting, Municipality, Speaker};

use super::Engine;

/// A Hunspell word list that knows a few compounds ("besöksförbudet" → besök + förbud), so
/// the compound parts are split without the system dictionary.
const DIC: &str = "4\nbesök/BDRY\nförbud/ABDfvY\nskydd/ABDOY\nhandske/AEGY\n";

/// An item of a meeting: `meeting` is "<body>/<date>" ("KS/2024-03-12"), the id is the
/// meeting's plus the ordinal.
pub(crate) fn item(meeting: &str, ordinal: u32, title: Option<&str>, text: &str) -> Item {
    let (body, date) = meeting.split_once('/').unwrap_or((meeting, ""));
    let meeting_id = format!("{}-{date}", body.to_lowercase());
    Item {
        id: format!("{meeting_id}.{ordinal:02}"),
        meeting: Meeting {
            id: meeting_id,
            body: (!body.is_empty()).then(|| body.to_string()),
            date: (!date.is_empty()).then(|| date.to_string()),
            date_precision: None,
            date_source: None,
            source: format!("{meeting}.txt"),
            attendees: Vec::new(),
            others: Vec::new(),
            justerare: Vec::new(),
            municipality: None,
            chair: None,
            visibility: paragraf_indexer::model::Visibility::Public,
        },
        ordinal,
        section: Some(format!("§ {ordinal}")),
        title: title.map(str::to_string),
        case_number: None,
        case_references: Vec::new(),
        text: text.to_string(),
        speakers: Vec::new(),
        municipalities: Vec::new(),
        decisions: Vec::new(),
        language: Some("swe".to_string()),
        page: None,
    }
}

/// The item with these speakers.
pub(crate) fn spoken_by(mut item: Item, names: &[&str]) -> Item {
    item.speakers = names
        .iter()
        .map(|name| Speaker {
            name: name.to_string(),
            party: None,
            role: None,
        })
        .collect();
    item
}

/// The item concerning these municipalities (by name).
pub(crate) fn concerning(mut item: Item, names: &[&str]) -> Item {
    item.municipalities = names.iter().map(|name| municipality(name)).collect();
    item
}

fn municipality(name: &str) -> Municipality {
    Gazetteer::sweden()
        .lookup(name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} is a Swedish municipality"))
}

/// An engine over these items, in one segment.
pub(crate) fn engine(items: &[Item]) -> Engine {
    let (schema, fields) = Fields::build();
    let index = tantivy::Index::create_in_ram(schema);
    analysis::register(index.tokenizers());
    index.tokenizers().register(
        analysis::PARTS,
        analysis::parts(Some(Arc::new(Dictionary::from_dic(DIC)))),
    );
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(1, 15_000_000)
        .expect("writer");
    for item in items {
        writer
            .add_document(paragraf_indexer::index::document::to_document(
                item, &fields,
            ))
            .expect("add");
    }
    writer.commit().expect("commit");
    let info = IndexInfo {
        items: items.len() as u64,
        ..IndexInfo::default()
    };
    Engine::from_tantivy(index, info).expect("engine")
}
