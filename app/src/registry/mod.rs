//! The National Population Database, as the portal sees it: look a person up by ID number.
//! `SqlRegistry` reads the stand-in table; a real registry client implements the same trait.

#[cfg(feature = "ssr")]
mod sql;
#[cfg(feature = "ssr")]
pub use sql::{PopulationRegistry, SqlRegistry};

use crate::domain::{BirthDate, Gender, PersonName};

#[derive(Debug, Clone)]
pub struct RegistryEntry {
    pub full_name: PersonName,
    pub birth_date: BirthDate,
    pub gender: Gender,
}

impl RegistryEntry {
    /// An entry from its stored columns (name, birth date, gender code); `None` if one is unreadable.
    pub fn from_stored((name, birth, gender): (String, String, String)) -> Option<Self> {
        Some(RegistryEntry {
            full_name: PersonName::parse(&name).ok()?,
            birth_date: BirthDate::from_stored(&birth)?,
            gender: Gender::from_code(&gender)?,
        })
    }
}
