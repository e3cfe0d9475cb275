//! A citizen's vaccination record as shown on the record page, and the diagnosis of that
//! record against the population registry.

mod diagnosis;
#[cfg(feature = "ssr")]
pub mod handlers;
mod page;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(test)]
pub(crate) use diagnosis::test_support;
pub use diagnosis::{Finding, RecordedPerson, diagnose};
pub use page::RecordPage;

use crate::i18n::{Lang, tr};

#[derive(Debug, Clone)]
pub struct HouseholdView {
    pub people: Vec<HouseholdMember>,
}

/// One person on the record page: their record, the complaints about it and their certificate.
#[derive(Debug, Clone)]
pub struct HouseholdMember {
    pub person: PersonView,
    pub complaints: Vec<crate::complaints::ComplaintSummary>,
    pub certificate: crate::certificates::CertificateState,
}

/// A person's record and what is wrong with it: all a form about them needs.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub id: i64,
    pub full_name: String,
    /// As people read it (dd/mm/yyyy or a year).
    pub birth_date: String,
    /// As stored (yyyy-mm-dd or yyyy).
    pub birth_date_stored: String,
    pub gender: crate::domain::Gender,
    pub national_id: Option<String>,
    pub residence: String,
    pub has_guardian: bool,
    pub doses: Vec<DoseView>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone)]
pub struct DoseView {
    pub id: i64,
    pub kind: DoseKind,
    /// As people read it (dd/mm/yyyy).
    pub given_on: String,
    /// As stored (yyyy-mm-dd).
    pub given_on_stored: String,
    pub product_code: String,
    pub product: String,
    pub lot: String,
    pub site: String,
}

crate::codes::coded! {
    pub enum DoseKind {
        First => "1",
        Second => "2",
        Additional => "bs",
        Booster1 => "n1",
        Booster2 => "n2",
    }
}

impl DoseKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DoseKind::First => tr(lang, "Mũi 1", "Dose 1"),
            DoseKind::Second => tr(lang, "Mũi 2", "Dose 2"),
            DoseKind::Additional => tr(lang, "Mũi bổ sung", "Additional dose"),
            DoseKind::Booster1 => tr(lang, "Mũi nhắc lại lần 1", "First booster"),
            DoseKind::Booster2 => tr(lang, "Mũi nhắc lại lần 2", "Second booster"),
        }
    }
}
