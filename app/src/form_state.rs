//! What a rejected form carries back to the page: the values as typed and a reason per field.
//! Handlers put a `FormState` into the render context; pages read it with `use_context`.

use crate::domain::FieldError;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: HashMap<String, String>,
    errors: HashMap<String, FieldError>,
}

impl FormState {
    pub fn with_values<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self { values: pairs.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), errors: HashMap::new() }
    }

    pub fn reject(&mut self, field: &str, error: FieldError) {
        self.errors.insert(field.to_string(), error);
    }

    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }

    pub fn error(&self, field: &str) -> Option<FieldError> {
        self.errors.get(field).copied()
    }

    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// A message about the whole form (too many tries, a wrong code), shown above it.
#[derive(Debug, Clone)]
pub struct Notice(pub String);
