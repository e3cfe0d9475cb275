use crate::i18n::{Lang, lang, tr};
use leptos::prelude::*;
use leptos_meta::Title;

/// Every page's frame: skip link, header with the language switch, main, footer.
#[component]
pub fn Layout(title: &'static str, children: Children) -> impl IntoView {
    let lang = lang();
    let here = use_context::<crate::shell::Here>().map(|h| h.0).unwrap_or_else(|| super::routes::HOME.to_string());
    let other = lang.other();
    let switch_label = match lang {
        Lang::Vi => "English",
        Lang::En => "Tiếng Việt",
    };
    let site = tr(lang, "Hồ sơ tiêm chủng COVID-19", "COVID-19 vaccination record");
    view! {
        <Title text=format!("{title} · {site}") />
        <a class="skip-link" href="#main">
            {tr(lang, "Đến nội dung chính", "Skip to main content")}
        </a>
        <header class="site-header">
            <a href=super::routes::HOME class="brand">{site}</a>
            <form method="post" action=super::routes::LANGUAGE class="lang-switch">
                <input type="hidden" name="lang" value=other.code() />
                <input type="hidden" name="next" value=here />
                <button type="submit" class="link-button" lang=other.code()>{switch_label}</button>
            </form>
        </header>
        <main id="main">{children()}</main>
        <footer class="site-footer">
            <p>
                {tr(
                    lang,
                    "Cổng tự tra cứu và phản ánh dữ liệu tiêm chủng. Không chia sẻ số giấy tờ, số điện thoại hay mã xác thực của bạn trên mạng xã hội.",
                    "Self-service vaccination record lookup. Never post your ID number, phone number or codes on social media.",
                )}
            </p>
        </footer>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = lang();
    view! {
        <Layout title=tr(lang, "Trang chủ", "Home")>
            <h1>{tr(lang, "Kiểm tra hồ sơ tiêm chủng COVID-19 của bạn", "Check your COVID-19 vaccination record")}</h1>
            <p class="lead">
                {tr(
                    lang,
                    "Xem các mũi tiêm đã được ghi nhận cho bạn và người thân dùng chung số điện thoại, và biết hồ sơ có khớp với Cơ sở dữ liệu quốc gia về dân cư hay không. Hồ sơ khớp mới được ký xác nhận hộ chiếu vắc xin.",
                    "See the doses recorded for you and the family members who share your phone number, and whether the record matches the National Population Database. Only a matching record can be signed for a vaccine certificate.",
                )}
            </p>
            <p>
                <a class="button" href=crate::lookup::routes::LOOKUP>{tr(lang, "Tra cứu hồ sơ", "Look up my record")}</a>
            </p>
            <h2>{tr(lang, "Bạn cần", "You need")}</h2>
            <ul>
                <li>{tr(lang, "Số CCCD, CMND hoặc mã định danh cá nhân, hoặc số điện thoại đã khai khi tiêm;", "Your CCCD, CMND or personal ID code, or the phone number given at vaccination;")}</li>
                <li>{tr(lang, "Ngày sinh (hoặc năm sinh);", "Your date of birth (or year of birth);")}</li>
                <li>{tr(lang, "Điện thoại hoặc email đã khai để nhận mã xác thực 6 chữ số.", "The phone or email on file, to receive a 6-digit code.")}</li>
            </ul>
            <h2>{tr(lang, "Ai trả lời đúng hạn?", "Who answers on time?")}</h2>
            <p>
                <a href=crate::supervision::routes::NUMBERS>{tr(lang, "Số liệu xử lý phản ánh của từng tỉnh, huyện và cơ sở tiêm", "Complaint numbers of every province, district and vaccination site")}</a>
            </p>
            <h2>{tr(lang, "Kiểm tra chứng nhận tiêm chủng", "Check a vaccine certificate")}</h2>
            <p>
                <a href=crate::certificates::routes::VERIFY>{tr(lang, "Kiểm tra mã QR chứng nhận tiêm chủng (cho cơ quan, doanh nghiệp)", "Check a vaccine certificate's QR (for officers and employers)")}</a>
            </p>
        </Layout>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let lang = lang();
    view! {
        <Layout title=tr(lang, "Không tìm thấy trang", "Page not found")>
            <h1>{tr(lang, "Không tìm thấy trang", "Page not found")}</h1>
            <p><a href=super::routes::HOME>{tr(lang, "Về trang chủ", "Go to the home page")}</a></p>
        </Layout>
    }
}
