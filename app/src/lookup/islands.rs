use super::Identifier;
use crate::domain::FieldError;
use crate::i18n::{Lang, tr};
use leptos::prelude::*;

/// The identifier field. Rendered on the server like any field; in the browser it also says
/// as you type whether it reads an ID number or a phone, using the same parser as the server.
#[island]
pub fn IdentifierField(value: String, error: Option<FieldError>, english: bool) -> impl IntoView {
    let lang = if english { Lang::En } else { Lang::Vi };
    let initial = value.clone();
    let (text, set_text) = signal(value.clone());
    let (left_field, set_left_field) = signal(false);
    let message = Memo::new(move |_| -> Option<(bool, &'static str)> {
        let current = text.get();
        if current == initial
            && let Some(e) = error
        {
            return Some((true, e.message(lang)));
        }
        if current.trim().is_empty() {
            return None;
        }
        match Identifier::parse(&current) {
            Ok(Identifier::Id(id)) if id.as_str().len() == 12 => {
                Some((false, tr(lang, "Số CCCD / mã định danh cá nhân (12 chữ số)", "CCCD / personal ID code (12 digits)")))
            }
            Ok(Identifier::Id(_)) => Some((false, tr(lang, "Số CMND (9 chữ số)", "CMND number (9 digits)"))),
            Ok(Identifier::Phone(_)) => Some((false, tr(lang, "Số điện thoại", "Phone number"))),
            Err(e) if left_field.get() => Some((true, e.message(lang))),
            Err(_) => None,
        }
    });
    let invalid = move || message.get().is_some_and(|(bad, _)| bad).to_string();
    view! {
        <div class="field">
            <label for="identifier">
                {tr(lang, "Số CCCD/CMND/mã định danh, hoặc số điện thoại", "CCCD/CMND/personal ID code, or phone number")}
            </label>
            <p class="help" id="identifier-help">
                {tr(lang, "Ví dụ: 031190012345 hoặc 0912345678", "For example: 031190012345 or 0912345678")}
            </p>
            <input
                id="identifier"
                name="identifier"
                type="text"
                inputmode="tel"
                autocomplete="off"
                spellcheck="false"
                value=value
                aria-describedby="identifier-help identifier-msg"
                aria-invalid=invalid
                on:input=move |ev| set_text.set(event_target_value(&ev))
                on:blur=move |_| set_left_field.set(true)
            />
            <p
                id="identifier-msg"
                aria-live="polite"
                class=move || match message.get() {
                    Some((true, _)) => "field-error",
                    _ => "field-ok",
                }
            >
                {move || message.get().map(|(_, m)| m)}
            </p>
        </div>
    }
}
