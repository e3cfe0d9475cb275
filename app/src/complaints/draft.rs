//! The new-complaint form, parsed: every field through its own type, each refusal kept in the
//! form state under the field's name, so the page can show the form again as typed. No HTTP
//! and no SQL here; the handler checks who is asking and files what this returns.

use super::service::{NewComplaint, RequestedChange};
use super::{ChangeField, ComplaintFormData, ComplaintKind, parse_changes};
use crate::domain::{ComplaintText, FieldError};
use crate::form_state::FormState;
use crate::platform::submission::Submission;
use crate::records::{DoseView, PersonView};

/// A complaint whose every field has been parsed; it becomes a `NewComplaint` once the
/// handler adds who files it and under which key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintDraft {
    pub kind: ComplaintKind,
    pub dose_id: Option<i64>,
    pub site_id: Option<i64>,
    pub changes: Vec<RequestedChange>,
    pub description: String,
}

impl ComplaintDraft {
    /// Parses the submitted form about `data.person`. `typed` holds what was typed and any
    /// refusal already found (a quota, a file); on any refusal it comes back as the error.
    pub fn parse(
        submission: &Submission,
        data: &ComplaintFormData,
        today: chrono::NaiveDate,
        mut typed: FormState,
    ) -> Result<ComplaintDraft, FormState> {
        let person = &data.person;
        let kind = ComplaintKind::from_code(submission.text("kind"));
        if kind.is_none() {
            typed.reject("kind", FieldError::ChooseOne);
        }
        let changes_fields = kind.is_some_and(ComplaintKind::changes_fields);
        let missing = kind == Some(ComplaintKind::MissingDose);

        // "Should be" values, each parsed with its own type; the value already recorded is no change.
        let mut changes = Vec::new();
        if changes_fields {
            let inputs = ChangeField::PERSONAL.map(|f| (f, submission.text(f.code())));
            for requested in parse_changes(inputs, today, &mut typed) {
                let recorded = recorded_personal(person, requested.field);
                if recorded.as_deref() != Some(requested.stored.as_str()) {
                    changes.push(RequestedChange { recorded, requested });
                }
            }
        }

        let mut dose = None;
        if kind == Some(ComplaintKind::WrongDose) {
            let id = submission.text("dose").trim().parse::<i64>().ok();
            dose = person.doses.iter().find(|d| Some(d.id) == id);
            if dose.is_none() {
                typed.reject("dose", FieldError::ChooseOne);
            }
        }
        let site_id = data.site_search.as_ref().and_then(|s| s.chosen.as_ref()).map(|s| s.id).filter(|_| missing);
        if missing && site_id.is_none() {
            typed.reject("site", FieldError::ChooseSite);
        }
        if kind.is_some_and(ComplaintKind::changes_dose) {
            for field in ChangeField::DOSE {
                let input = submission.text(field.code());
                if input.trim().is_empty() {
                    if missing && field != ChangeField::Lot {
                        typed.reject(field.code(), FieldError::Required);
                    }
                    continue;
                }
                let requested = match field.parse(input, today) {
                    Ok(v) if field == ChangeField::Product && !data.products.iter().any(|(code, _)| *code == v.stored) => {
                        typed.reject(field.code(), FieldError::ChooseOne);
                        continue;
                    }
                    Ok(v) => v,
                    Err(e) => {
                        typed.reject(field.code(), e);
                        continue;
                    }
                };
                let recorded = dose.map(|d| recorded_dose(d, field));
                if recorded.as_deref() != Some(requested.stored.as_str()) {
                    changes.push(RequestedChange { recorded, requested });
                }
            }
        }
        if changes_fields && changes.is_empty() && typed.is_valid() {
            typed.reject("changes", FieldError::NothingToChange);
        }
        let text = submission.text("description");
        let description = if (changes_fields || missing) && text.trim().is_empty() {
            Some(String::new())
        } else {
            ComplaintText::parse(text).map(|t| t.as_str().to_string()).map_err(|e| typed.reject("description", e)).ok()
        };
        match (kind, description, typed.is_valid()) {
            (Some(kind), Some(description), true) => {
                Ok(ComplaintDraft { kind, dose_id: dose.map(|d| d.id), site_id, changes, description })
            }
            _ => Err(typed),
        }
    }

    pub fn into_complaint(self, person_id: i64, idempotency_key: String) -> NewComplaint {
        let ComplaintDraft { kind, dose_id, site_id, changes, description } = self;
        NewComplaint { person_id, kind, dose_id, site_id, changes, description, idempotency_key }
    }
}

/// A personal field as the record stores it now (None: nothing recorded).
fn recorded_personal(person: &PersonView, field: ChangeField) -> Option<String> {
    match field {
        ChangeField::FullName => Some(person.full_name.clone()),
        ChangeField::BirthDate => Some(person.birth_date_stored.clone()),
        ChangeField::Gender => Some(person.gender.code().to_string()),
        ChangeField::NationalId => person.national_id.clone(),
        _ => None,
    }
}

/// A dose field as the record stores it now.
fn recorded_dose(dose: &DoseView, field: ChangeField) -> String {
    match field {
        ChangeField::DoseKind => dose.kind.code().to_string(),
        ChangeField::GivenOn => dose.given_on_stored.clone(),
        ChangeField::Product => dose.product_code.clone(),
        _ => dose.lot.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Gender;
    use crate::records::DoseKind;

    fn data() -> ComplaintFormData {
        let dose = DoseView {
            id: 5,
            kind: DoseKind::First,
            given_on: "14/08/2021".into(),
            given_on_stored: "2021-08-14".into(),
            product_code: "AZ".into(),
            product: "Vaxzevria (AstraZeneca)".into(),
            lot: "A1045".into(),
            site: "Trạm Y tế".into(),
        };
        let person = PersonView {
            id: 2,
            full_name: "Trần Minh Khôi".into(),
            birth_date: "02/05/2012".into(),
            birth_date_stored: "2012-05-02".into(),
            gender: Gender::Male,
            national_id: Some("031212004821".into()),
            residence: String::new(),
            has_guardian: true,
            doses: vec![dose],
            findings: vec![],
        };
        ComplaintFormData {
            person,
            key: "k".into(),
            evidence: vec![],
            products: vec![("AZ".into(), "Vaxzevria".into())],
            site_search: None,
        }
    }

    fn parse(pairs: &[(&str, &str)]) -> Result<ComplaintDraft, FormState> {
        let submission = Submission::from_pairs(pairs.iter().copied());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        ComplaintDraft::parse(&submission, &data(), today, FormState::with_values(pairs.iter().copied()))
    }

    #[test]
    fn asks_in_stored_values_and_skips_what_is_already_recorded() {
        let draft = parse(&[("kind", "personal_data"), ("birth_date", "20/05/2012"), ("gender", "Nam")]).unwrap();
        assert_eq!(draft.changes.len(), 1, "the gender is already Nam: no change");
        assert_eq!(draft.changes[0].recorded.as_deref(), Some("2012-05-02"));
        assert_eq!(draft.changes[0].requested.stored, "2012-05-20");
    }

    #[test]
    fn a_wrong_dose_names_a_dose_of_the_person() {
        let draft = parse(&[("kind", "wrong_dose"), ("dose", "5"), ("lot", "a1046"), ("description", "Sai số lô.")]).unwrap();
        assert_eq!(draft.dose_id, Some(5));
        assert_eq!(draft.changes[0].recorded.as_deref(), Some("A1045"));
        assert_eq!(draft.changes[0].requested.stored, "A1046");
        let form = parse(&[("kind", "wrong_dose"), ("dose", "6"), ("lot", "A1046")]).unwrap_err();
        assert_eq!(form.error("dose"), Some(FieldError::ChooseOne));
        assert_eq!(form.value("lot"), "A1046", "what was typed comes back");
    }

    #[test]
    fn nothing_to_change_is_refused() {
        let form = parse(&[("kind", "personal_data"), ("full_name", "Trần Minh Khôi")]).unwrap_err();
        assert_eq!(form.error("changes"), Some(FieldError::NothingToChange));
        assert_eq!(parse(&[]).unwrap_err().error("kind"), Some(FieldError::ChooseOne));
    }
}
