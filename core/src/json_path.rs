//! Parsing JSON with the JSON-pointer path of the first problem (e.g. `/hcps/3/institution_id`).

use serde::de::DeserializeOwned;

/// A JSON document that could not be read into the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct JsonError {
    /// JSON pointer of the offending value (`""` for the whole document).
    pub path: String,
    /// What is wrong there.
    pub reason: String,
}

impl JsonError {
    /// A problem found after parsing, at `path`.
    pub fn at(path: impl Into<String>, reason: impl Into<String>) -> JsonError {
        JsonError {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// Parses `text` as `T`, reporting the path of the first value that does not fit.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(convert)?;
    de.end().map_err(|err| JsonError::at("", err.to_string()))?;
    Ok(value)
}

/// Reads an already parsed value as `T`, reporting the path of the first value that does not fit.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, JsonError> {
    serde_path_to_error::deserialize(value).map_err(convert)
}

fn convert(err: serde_path_to_error::Error<serde_json::Error>) -> JsonError {
    let mut path = String::new();
    for segment in err.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("/{index}")),
            serde_path_to_error::Segment::Map { key } => {
                path.push('/');
                path.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    JsonError {
        path,
        reason: err.into_inner().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        name: String,
        count: u32,
    }

    #[test]
    fn reports_the_pointer_of_the_first_bad_value() {
        let err = parse::<Doc>(r#"{"items":[{"name":"鈴木","count":1},{"name":"佐藤","count":"二"}]}"#)
            .unwrap_err();
        assert_eq!(err.path, "/items/1/count");
        let err = parse::<Doc>(r#"{"items":[{"name":"鈴木"}]}"#).unwrap_err();
        assert_eq!(err.path, "/items/0");
        assert!(err.reason.contains("count"), "{}", err.reason);
    }

    #[test]
    fn refuses_trailing_garbage() {
        assert!(parse::<Doc>(r#"{"items":[]} x"#).is_err());
    }
}
