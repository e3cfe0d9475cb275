use super::islands::IdentifierField;
use crate::form_state::{FormState, Notice};
use crate::i18n::{Lang, lang, tr};
use crate::layout::Layout;
use leptos::prelude::*;

#[component]
fn NoticeBox(notice: Option<Notice>) -> impl IntoView {
    notice.map(|Notice(text)| {
        view! {
            <div class="notice" role="alert">
                <p>{text}</p>
            </div>
        }
    })
}

/// A text field with its label, the value as typed, and the reason it was refused.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] help: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    let error = form.error(name);
    let help_id = format!("{name}-help");
    let msg_id = format!("{name}-msg");
    let described = format!("{help_id} {msg_id}");
    view! {
        <div class="field">
            <label for=name>{label}</label>
            {help.map(|h| view! { <p class="help" id=help_id.clone()>{h}</p> })}
            <input
                id=name
                name=name
                type=input_type
                inputmode=inputmode
                autocomplete=autocomplete
                value=form.value(name)
                aria-describedby=described
                aria-invalid=error.is_some().to_string()
            />
            <p id=msg_id class="field-error">{error.map(|e| e.message(lang))}</p>
        </div>
    }
}

#[component]
pub fn LookupPage(#[prop(optional)] notice: Option<Notice>) -> impl IntoView {
    let lang = lang();
    let form = use_context::<FormState>().unwrap_or_default();
    view! {
        <Layout title=tr(lang, "Tra cứu hồ sơ", "Look up a record")>
            <h1>{tr(lang, "Tra cứu hồ sơ tiêm chủng", "Look up a vaccination record")}</h1>
            <p>
                {tr(
                    lang,
                    "Nhập số giấy tờ hoặc số điện thoại và ngày sinh. Nếu khớp với hồ sơ, chúng tôi gửi mã xác thực tới số điện thoại và email đã khai khi tiêm.",
                    "Enter an ID number or phone number and a date of birth. If they match a record, we send a code to the phone and email given at vaccination.",
                )}
            </p>
            <NoticeBox notice=notice.clone() />
            <form method="post" action=super::routes::LOOKUP novalidate=true class="stack">
                <IdentifierField value=form.value("identifier") error=form.error("identifier") english=lang == Lang::En />
                <Field
                    name="birth_date"
                    label=tr(lang, "Ngày sinh", "Date of birth")
                    help=tr(lang, "Ngày/tháng/năm, ví dụ 07/03/1990. Chỉ nhập năm (ví dụ 1956) khi hồ sơ chỉ ghi năm sinh: hồ sơ có đủ ngày sinh cần nhập đủ ngày, tháng, năm.", "Day/month/year, e.g. 07/03/1990. Enter only the year (e.g. 1956) if the record holds only the year: a record with a full date needs the full date.")
                    inputmode="numeric"
                    autocomplete="bday"
                />
                <button type="submit" class="button">{tr(lang, "Gửi mã xác thực", "Send me a code")}</button>
            </form>
            <ContactHelp />
        </Layout>
    }
}

#[component]
fn ContactHelp() -> impl IntoView {
    let lang = lang();
    view! {
        <section class="help-box" aria-labelledby="contact-help">
            <h2 id="contact-help">{tr(lang, "Không nhận được mã?", "No code arrived?")}</h2>
            <p>
                {tr(
                    lang,
                    "Mã chỉ được gửi tới số điện thoại/email ghi trong hồ sơ tiêm. Nếu khi tiêm bạn không khai số điện thoại, hoặc số bị ghi sai, hãy mang CCCD và giấy xác nhận đã tiêm tới trạm y tế xã/phường nơi bạn cư trú để cập nhật. Mỗi người nhận tối đa 5 mã mỗi ngày: nếu đã tra cứu nhiều lần hôm nay, hãy thử lại vào ngày mai. Vì lý do bảo mật, trang này không cho biết hồ sơ có tồn tại hay không.",
                    "Codes go only to the phone/email on the vaccination record. If you gave no phone number, or it was recorded wrongly, bring your CCCD and vaccination paper to the health station of the commune where you live to update it. Each person gets at most 5 codes a day: if you looked up many times today, try again tomorrow. For your safety this page never says whether a record exists.",
                )}
            </p>
        </section>
    }
}

#[component]
pub fn CodePage(#[prop(optional)] notice: Option<Notice>) -> impl IntoView {
    let lang = lang();
    view! {
        <Layout title=tr(lang, "Nhập mã xác thực", "Enter your code")>
            <h1>{tr(lang, "Nhập mã xác thực", "Enter your code")}</h1>
            <p>
                {tr(
                    lang,
                    "Nếu thông tin bạn nhập khớp với hồ sơ, chúng tôi đã gửi một mã 6 chữ số tới số điện thoại và email ghi trong hồ sơ. Mã có hiệu lực 10 phút; bạn được nhập sai tối đa 5 lần.",
                    "If what you entered matches a record, we have sent a 6-digit code to the phone and email on that record. The code is valid for 10 minutes; you may get it wrong at most 5 times.",
                )}
            </p>
            <NoticeBox notice=notice.clone() />
            <form method="post" action=super::routes::CODE novalidate=true class="stack">
                <Field
                    name="code"
                    label=tr(lang, "Mã xác thực (6 chữ số)", "Code (6 digits)")
                    inputmode="numeric"
                    autocomplete="one-time-code"
                />
                <button type="submit" class="button">{tr(lang, "Xem hồ sơ", "Show my record")}</button>
            </form>
            <p><a href=super::routes::LOOKUP>{tr(lang, "Tra cứu lại, nhận mã mới", "Look up again for a new code")}</a></p>
            <ContactHelp />
        </Layout>
    }
}
