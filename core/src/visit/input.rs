//! Reading a visit from its JSON input shape (the form state plus an optional `id`).

use crate::{
    ids::VisitId,
    json_path::{self, JsonError},
    visit::VisitFields,
};

/// Parses visit JSON into its optional id and its fields, naming the JSON path of the first problem.
pub fn parse_visit_input(text: &str) -> Result<(Option<VisitId>, VisitFields), JsonError> {
    let mut value: serde_json::Value = json_path::parse(text)?;
    let object = value
        .as_object_mut()
        .ok_or_else(|| JsonError::at("", "a visit must be a JSON object"))?;
    let id = match object.remove("id") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(text)) => Some(
            text.parse()
                .map_err(|_| JsonError::at("/id", "must be a UUID string"))?,
        ),
        Some(_) => return Err(JsonError::at("/id", "must be a UUID string")),
    };
    let mut fields: VisitFields = json_path::from_value(value)?;
    fields.normalize();
    Ok((id, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_shape() {
        let (id, fields) = parse_visit_input(
            r#"{"id":"0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6b","rep_id":"R1","hcp_id":"H1","institution_id":"I1",
                "channel":"in_person","started_at":"2026-11-20T10:00:00+09:00","duration_min":15,
                "products":[{"product_id":"P2","priority":2},{"product_id":"P1","priority":1}],
                "materials_shown":[{"material_id":"M1","version":2}],"reaction":"positive",
                "next_objective":"次回は用量の説明","notes":"先生は新しいデータに関心 😊"}"#,
        )
        .unwrap();
        assert!(id.is_some());
        assert_eq!(fields.products[0].product_id, "P1");
        assert_eq!(fields.notes, "先生は新しいデータに関心 😊");
    }

    #[test]
    fn names_the_path_of_a_bad_value() {
        let err = parse_visit_input(r#"{"channel":"fax"}"#).unwrap_err();
        assert_eq!(err.path, "/channel");
        let err = parse_visit_input(r#"{"products":[{"product_id":"P1","priority":-1}]}"#).unwrap_err();
        assert_eq!(err.path, "/products/0/priority");
        let err = parse_visit_input(r#"{"id":"訪問"}"#).unwrap_err();
        assert_eq!(err.path, "/id");
        assert_eq!(parse_visit_input("[1]").unwrap_err().path, "");
    }
}
