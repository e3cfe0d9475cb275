//! The site search every form that names a site shares: province and name, submitted by GET
//! so it works without JavaScript, results as radio buttons.

use crate::form_state::FormState;
use crate::i18n::{lang, tr};
use leptos::prelude::*;

/// A search for vaccination sites by province and name (works without JavaScript).
#[derive(Debug, Clone, Default)]
pub struct SiteSearch {
    pub provinces: Vec<(String, String)>,
    pub province: String,
    pub query: String,
    pub results: Vec<SiteChoice>,
    /// The site already chosen, kept across searches and refused submissions.
    pub chosen: Option<SiteChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteChoice {
    pub id: i64,
    pub name: String,
    pub place: String,
}

/// The two inputs a site is found by, `tinh` (province) and `tim` (site or commune name), with
/// what was searched last; shared by every form that looks for a site.
#[component]
pub fn SiteFinderInputs(search: SiteSearch, province_label: &'static str) -> impl IntoView {
    let lang = lang();
    view! {
        <div class="field">
            <label for="tinh">{province_label}</label>
            <select id="tinh" name="tinh">
                <option value="">{tr(lang, "— Chọn tỉnh/thành phố —", "— Choose a province —")}</option>
                {search.provinces.iter().map(|(code, name)| view! {
                    <option value=code.clone() selected=*code == search.province>{name.clone()}</option>
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="tim">{tr(lang, "Tên cơ sở hoặc xã/phường (không bắt buộc)", "Site or commune name (optional)")}</label>
            <input type="search" id="tim" name="tim" value=search.query.clone() />
        </div>
    }
}

/// Province and name search for a vaccination site. The search button submits the
/// surrounding form by GET to `search_action`, so it works without JavaScript and keeps
/// what was typed; results are radio buttons named `radio_name`.
#[component]
pub fn SiteSearchFields(search: SiteSearch, search_action: String, radio_name: &'static str, legend: &'static str) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let chosen_typed = form.value(radio_name);
    let chosen_id = search.chosen.as_ref().map(|c| c.id.to_string()).unwrap_or(chosen_typed);
    let mut results = search.results.clone();
    if let Some(chosen) = search.chosen.clone().filter(|c| !results.contains(c)) {
        results.insert(0, chosen);
    }
    let searched = !search.province.is_empty();
    view! {
        <fieldset aria-describedby=format!("{radio_name}-msg")>
            <legend>{legend}</legend>
            <SiteFinderInputs search=search.clone() province_label=tr(lang, "Tỉnh/thành phố (nơi tiêm)", "Province (where the dose was given)") />
            <button type="submit" class="button secondary" formmethod="get" formaction=search_action formnovalidate=true formenctype="application/x-www-form-urlencoded">
                {tr(lang, "Tìm cơ sở", "Find sites")}
            </button>
            {if results.is_empty() {
                searched.then(|| view! { <p>{tr(lang, "Không tìm thấy cơ sở phù hợp. Thử bỏ bớt từ tìm kiếm.", "No site matches. Try fewer words.")}</p> }).into_any()
            } else {
                view! {
                    <div class="choices">
                        {results.into_iter().map(|site| {
                            let id = format!("{radio_name}-{}", site.id);
                            let value = site.id.to_string();
                            let checked = value == chosen_id;
                            view! {
                                <div class="choice">
                                    <input type="radio" id=id.clone() name=radio_name value=value checked=checked />
                                    <label for=id>{site.name.clone()} <span class="help">{format!(" · {}", site.place)}</span></label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            }}
            <p id=format!("{radio_name}-msg") class="field-error">{form.error(radio_name).map(|e| e.message(lang))}</p>
        </fieldset>
    }
}
