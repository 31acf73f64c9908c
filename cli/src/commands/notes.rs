//! `mrc notes set|export|merge`.

use mrc_core::Store;
use serde_json::json;

use crate::{args::NotesCommand, error::CliError, output};

pub fn run(store: &Store, command: &NotesCommand, as_json: bool) -> Result<(), CliError> {
    match command {
        NotesCommand::Set { id, text } => {
            let id = super::visit_id(id)?;
            store.set_notes(id, text)?;
            output::emit(as_json, &json!({ "id": id, "notes": text }), |_| {
                format!("メモを更新 Notes updated: {id}\n")
            })
        }
        NotesCommand::Export { id, out } => {
            let id = super::visit_id(id)?;
            let bytes = store.export_visit(id)?;
            std::fs::write(out, &bytes).map_err(|err| CliError::file(out, err))?;
            output::emit(
                as_json,
                &json!({ "id": id, "bytes": bytes.len(), "out": out }),
                |_| format!("書き出し Exported {} bytes to {}\n", bytes.len(), out.display()),
            )
        }
        NotesCommand::Merge { id, file } => {
            let id = super::visit_id(id)?;
            let bytes = std::fs::read(file).map_err(|err| CliError::file(file, err))?;
            let outcome = store.merge_visit_into(id, &bytes)?;
            let notes = store.get_visit(id)?.fields.notes;
            output::emit(as_json, &json!({ "outcome": outcome, "notes": notes }), |_| {
                let what = if outcome.changed {
                    "変更を取り込みました merged new changes"
                } else {
                    "変更なし already up to date"
                };
                format!("{what}\n{notes}\n")
            })
        }
    }
}
