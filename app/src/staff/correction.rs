//! The site's correction form, parsed: personal fields (empty = unchanged), each dose on
//! record (changed fields, or removal) and an optional new dose, every value through its own
//! type, each refusal kept under the field's name. No HTTP and no SQL here: the handler passes
//! the doses on record and the product list, and `service::correct` applies the draft.

use super::StaffComplaint;
use super::service::{Correction, DoseEdit};
use crate::complaints::{ChangeField, ComplaintKind, parse_changes};
use crate::domain::FieldError;
use crate::form_state::FormState;
use crate::platform::submission::Submission;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionDraft {
    pub corrections: Vec<Correction>,
    pub dose_edits: Vec<DoseEdit>,
}

impl CorrectionDraft {
    /// `doses`: the ids of the person's doses on record; `products`: (code, name) of the known
    /// vaccine products. On any refusal, the form as typed with every reason.
    pub fn parse(
        form: &Submission,
        doses: &[i64],
        products: &[(String, String)],
        today: chrono::NaiveDate,
    ) -> Result<CorrectionDraft, FormState> {
        let mut typed = FormState::with_values(form.fields());
        let inputs = ChangeField::PERSONAL.map(|f| (f, form.text(f.code())));
        let corrections: Vec<Correction> = parse_changes(inputs, today, &mut typed).into_iter().map(|c| (c.field, c.stored)).collect();
        let known_product = |code: &str| products.iter().any(|(c, _)| c == code);
        let mut edits = Vec::new();
        for &dose_id in doses {
            if form.text(&format!("dose-{dose_id}-remove")) == "1" {
                edits.push(DoseEdit::Remove { dose_id });
                continue;
            }
            for field in ChangeField::DOSE {
                let name = format!("dose-{dose_id}-{}", field.code());
                let input = form.text(&name);
                if input.trim().is_empty() {
                    continue;
                }
                match field.parse(input, today) {
                    Ok(p) if field == ChangeField::Product && !known_product(&p.stored) => typed.reject(&name, FieldError::ChooseOne),
                    Ok(p) => edits.push(DoseEdit::Change { dose_id, field, value: p.stored }),
                    Err(e) => typed.reject(&name, e),
                }
            }
        }
        let add: Vec<(ChangeField, String, &str)> =
            ChangeField::DOSE.iter().map(|f| (*f, format!("add-{}", f.code()), form.text(&format!("add-{}", f.code())))).collect();
        if add.iter().any(|(_, _, v)| !v.trim().is_empty()) {
            let mut values = Vec::new();
            for (field, name, input) in &add {
                match field.parse(input, today) {
                    Ok(p) if *field == ChangeField::Product && !known_product(&p.stored) => typed.reject(name, FieldError::ChooseOne),
                    Ok(p) => values.push(p.stored),
                    Err(e) => typed.reject(name, e),
                }
            }
            if let [dose_kind, given_on, product, lot] = values.as_slice() {
                edits.push(DoseEdit::Add {
                    dose_kind: dose_kind.clone(),
                    given_on: given_on.clone(),
                    product: product.clone(),
                    lot: lot.clone(),
                });
            }
        }
        if corrections.is_empty() && edits.is_empty() && typed.is_valid() {
            typed.reject("changes", FieldError::NothingToChange);
        }
        match typed.is_valid() {
            true => Ok(CorrectionDraft { corrections, dose_edits: edits }),
            false => Err(typed),
        }
    }

    /// The form as first shown: what the citizen asked for, in the fields that change it.
    pub fn prefilled(complaint: &StaffComplaint) -> FormState {
        let mut values: Vec<(String, String)> = Vec::new();
        for change in &complaint.complaint.changes {
            let value = change.requested.typed();
            let name = if !change.field.is_dose() {
                change.field.code().to_string()
            } else if complaint.complaint.kind == ComplaintKind::MissingDose {
                format!("add-{}", change.field.code())
            } else {
                match complaint.dose_id {
                    Some(id) => format!("dose-{id}-{}", change.field.code()),
                    None => continue,
                }
            };
            values.push((name, value));
        }
        FormState::with_values(values.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn products() -> Vec<(String, String)> {
        vec![("AZ".into(), "Vaxzevria (AstraZeneca)".into()), ("PFZ".into(), "Comirnaty (Pfizer-BioNTech)".into())]
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn parse(pairs: &[(&str, &str)]) -> Result<CorrectionDraft, FormState> {
        CorrectionDraft::parse(&Submission::from_pairs(pairs.iter().copied()), &[7, 8], &products(), today())
    }

    #[test]
    fn values_are_kept_as_stored() {
        let draft =
            parse(&[("birth_date", "20/05/2012"), ("gender", "Nữ"), ("dose-7-product_code", "pfz"), ("dose-8-remove", "1")]).unwrap();
        assert_eq!(draft.corrections, vec![(ChangeField::BirthDate, "2012-05-20".to_string()), (ChangeField::Gender, "F".to_string())]);
        assert_eq!(
            draft.dose_edits,
            vec![DoseEdit::Change { dose_id: 7, field: ChangeField::Product, value: "PFZ".into() }, DoseEdit::Remove { dose_id: 8 }]
        );
    }

    #[test]
    fn a_refusal_keeps_what_was_typed_with_each_reason() {
        let form = parse(&[("birth_date", "31/02/2012"), ("dose-7-product_code", "XYZ"), ("add-lot", "A1")]).unwrap_err();
        assert_eq!(form.value("birth_date"), "31/02/2012");
        assert!(form.error("birth_date").is_some());
        assert_eq!(form.error("dose-7-product_code"), Some(FieldError::ChooseOne));
        assert!(form.error("add-given_on").is_some(), "a new dose needs every field");
    }

    #[test]
    fn an_empty_form_changes_nothing_and_says_so() {
        assert_eq!(parse(&[("note", "x")]).unwrap_err().error("changes"), Some(FieldError::NothingToChange));
    }

    #[test]
    fn a_dose_not_on_record_is_ignored() {
        assert!(parse(&[("dose-99-lot", "B2")]).is_err(), "only the doses on record are read");
    }
}
