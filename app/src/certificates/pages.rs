use super::{CertificateState, Holder, SignedCertificate, SigningView, Verification, VerifyOutcome, routes};
use crate::i18n::{lang, tr};
use crate::layout::Layout;
use crate::staff::StaffRole;
use crate::staff::pages::StaffBar;
use leptos::prelude::*;

/// The site's daily signing: what is ready, per day, and one button that signs it all.
#[component]
pub fn SigningPage(view: SigningView) -> impl IntoView {
    let lang = lang();
    let ready = view.ready.clone();
    view! {
        <Layout title=tr(lang, "Ký chứng nhận tiêm chủng", "Sign vaccine certificates")>
            <StaffBar name=view.staff.full_name.clone() site=view.staff.site_name.clone() manager=view.staff.role == StaffRole::SiteManager />
            <h1>{tr(lang, "Ký chứng nhận tiêm chủng", "Sign vaccine certificates")}</h1>
            {view.just_signed.map(|n| view! {
                <p class="notice" role="status">{format!("{} {n} {}", tr(lang, "Đã ký", "Signed"), tr(lang, "chứng nhận.", "certificates."))}</p>
            })}
            <p class="help">
                {tr(
                    lang,
                    "Hồ sơ sẵn sàng ký: người có mũi tiêm gần nhất tại cơ sở, hồ sơ khớp CSDL dân cư, chưa có chứng nhận hoặc hồ sơ đã sửa sau lần ký trước. Mỗi lần ký được ghi lại: ai duyệt, lúc nào, phiên bản hồ sơ nào.",
                    "Ready to sign: people whose latest dose was given here, whose record matches the registry, with no certificate yet or a record corrected since the last one. Every signing is recorded: who approved, when, which version of the record.",
                )}
            </p>
            <p>{format!("{} {} · {} {}", ready.total, tr(lang, "hồ sơ sẵn sàng ký", "records ready to sign"), ready.signed_today, tr(lang, "đã ký hôm nay", "signed today"))}</p>
            {(!ready.days.is_empty()).then(|| view! {
                <div class="table-scroll">
                    <table>
                        <caption>{tr(lang, "Theo ngày tiêm mũi gần nhất", "By the day of the latest dose")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{tr(lang, "Ngày tiêm", "Day")}</th>
                                <th scope="col">{tr(lang, "Hồ sơ sẵn sàng ký", "Ready to sign")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {ready.days.iter().map(|d| view! {
                                <tr><th scope="row">{d.shown.clone()}</th><td>{d.count}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {(ready.total > 0).then(|| view! {
                <form method="post" action=routes::SIGN class="stack">
                    <button type="submit" class="button">{format!("{} ({})", tr(lang, "Duyệt và ký tất cả", "Approve and sign all"), ready.total)}</button>
                </form>
            })}
            <StandingApproval standing=view.standing.clone() manager=view.staff.role == StaffRole::SiteManager />
        </Layout>
    }
}

/// The evening signing: whether the manager approved it, and the form that gives or withdraws it
/// (for the manager; other staff read it).
#[component]
fn StandingApproval(standing: Option<super::Standing>, manager: bool) -> impl IntoView {
    let lang = lang();
    let hour = super::SIGNING_HOUR;
    let said = match &standing {
        Some(s) => format!(
            "{} {hour}:00 {} {} ({}). {}",
            tr(lang, "Ký tự động hằng ngày: bật. Từ", "Evening signing: on. From"),
            tr(
                lang,
                "mỗi tối, hệ thống ký các hồ sơ sẵn sàng với sự duyệt của",
                "every evening the portal signs the ready records as approved by"
            ),
            s.approved_by,
            [s.approved_at.as_str(), tr(lang, "; hiệu lực đến ", "; in force until "), s.lapses_on.as_str()].concat(),
            match &s.last_run_on {
                Some(day) => format!("{} {day}.", tr(lang, "Lần ký tự động gần nhất:", "Last evening signing:")),
                None => tr(lang, "Chưa chạy lần nào.", "Not run yet.").to_string(),
            },
        ),
        None => format!(
            "{} {hour}:00.",
            tr(
                lang,
                "Ký tự động hằng ngày: tắt. Khi quản lý cơ sở bật, hệ thống tự ký các hồ sơ sẵn sàng mỗi tối từ",
                "Evening signing: off. Once the site manager turns it on, the portal signs the ready records every evening from",
            )
        ),
    };
    view! {
        <section class="stack">
            <h2>{tr(lang, "Ký tự động mỗi tối", "Evening signing")}</h2>
            <p>{said}</p>
            {manager.then(|| view! {
                <form method="post" action=routes::STANDING class="stack">
                    <input type="hidden" name="bat" value=if standing.is_some() { "0" } else { "1" } />
                    <button type="submit" class="button secondary">
                        {if standing.is_some() {
                            tr(lang, "Tắt ký tự động", "Turn evening signing off")
                        } else {
                            tr(lang, "Duyệt ký tự động mỗi tối", "Approve the evening signing")
                        }}
                    </button>
                </form>
            })}
        </section>
    }
}

/// A person's certificate on the record page: what stops it, when it comes, or the QR.
#[component]
pub fn CertificateBlock(person: i64, state: CertificateState) -> impl IntoView {
    let lang = lang();
    let revoked_note = |revoked: Option<super::RevokedReason>| {
        revoked.map(|r| {
            view! {
                <p class="notice">
                    {format!("{} {}.", tr(lang, "Chứng nhận cũ đã bị thu hồi:", "The old certificate was revoked:"), r.label(lang))}
                </p>
            }
        })
    };
    let body = match state {
        CertificateState::NoDose => view! { <p>{tr(lang, "Chưa có mũi tiêm nào trong hồ sơ.", "No dose on record yet.")}</p> }.into_any(),
        CertificateState::NotYet { revoked } => view! {
            {revoked_note(revoked)}
            <p>
                {tr(
                    lang,
                    "Chưa thể cấp: hồ sơ chưa khớp Cơ sở dữ liệu quốc gia về dân cư (xem vấn đề ở trên). Hãy gửi phản ánh để cơ sở tiêm chủng sửa; khi hồ sơ khớp, chứng nhận được ký trong lần ký hằng ngày tiếp theo.",
                    "Not yet: the record does not match the National Population Database (see the problem above). File a complaint for the vaccination site to correct it; once it matches, the certificate is signed at the next daily signing.",
                )}
            </p>
        }
        .into_any(),
        CertificateState::Ready { site, revoked, expired_on } => view! {
            {revoked_note(revoked)}
            {expired_on.map(|day| view! {
                <p class="notice">
                    {format!("{} {day}; {}", tr(lang, "Chứng nhận cũ đã hết hạn ngày", "The old certificate expired on"), tr(lang, "chứng nhận mới được cấp lại tự động.", "a new one is issued automatically."))}
                </p>
            })}
            <p>
                {format!(
                    "{} {site} {}",
                    tr(lang, "Hồ sơ đã khớp. Chứng nhận đang chờ", "The record matches. The certificate waits for"),
                    tr(lang, "ký trong lần ký hằng ngày (thường trong 1 ngày làm việc).", "to sign it at the daily signing (usually within one working day)."),
                )}
            </p>
        }
        .into_any(),
        CertificateState::Signed(c) => view! {
            <p>{format!("{} {} · {} {} · {} {}", tr(lang, "Đã cấp ngày", "Issued on"), c.issued_on, tr(lang, "có giá trị đến", "valid until"), c.expires_on, tr(lang, "ký bởi", "signed by"), c.site)}</p>
            <p>
                <a href=routes::printable(person)>{tr(lang, "Trang in chứng nhận", "Printable certificate")}</a>
                " · "
                <a href=routes::qr_png(person) download="">{tr(lang, "Tải mã QR (PNG)", "Download the QR (PNG)")}</a>
            </p>
            <figure class="qr">
                <div class="qr-code" inner_html=c.qr_svg.clone()></div>
                <figcaption>{tr(lang, "Mã QR chứng nhận tiêm chủng (định dạng EU DCC)", "Vaccine certificate QR (EU DCC format)")}</figcaption>
            </figure>
            <label for=format!("hc1-{}", c.uvci)>{tr(lang, "Nội dung mã QR (để dán vào ứng dụng kiểm tra)", "The QR's text (to paste into a verifier)")}</label>
            <textarea id=format!("hc1-{}", c.uvci) class="hc1" readonly=true rows="4">{c.hc1.clone()}</textarea>
        }
        .into_any(),
    };
    view! {
        <section class="certificate">
            <h3>{tr(lang, "Chứng nhận tiêm chủng", "Vaccine certificate")}</h3>
            {body}
        </section>
    }
}

/// The public verification page: paste a certificate's text, read what it holds and whether
/// it is valid. Shows only what the QR holds.
#[component]
pub fn VerifyPage(verification: Option<Verification>) -> impl IntoView {
    let lang = lang();
    let typed = verification.as_ref().map(|v| v.text.clone()).unwrap_or_default();
    view! {
        <Layout title=tr(lang, "Kiểm tra chứng nhận tiêm chủng", "Check a vaccine certificate")>
            <h1>{tr(lang, "Kiểm tra chứng nhận tiêm chủng", "Check a vaccine certificate")}</h1>
            <p class="help">
                {tr(
                    lang,
                    "Dán nội dung mã QR (bắt đầu bằng HC1:). Cổng kiểm tra chữ ký theo danh sách tin cậy, danh sách thu hồi và hạn dùng; chỉ hiện những gì mã QR chứa.",
                    "Paste the QR's text (it starts with HC1:). The portal checks the signature against the trust list, the revocation list and the expiry; it shows only what the QR holds.",
                )}
            </p>
            {verification.map(|v| {
                let ok = v.outcome == VerifyOutcome::Valid;
                view! {
                    <div class=if ok { "status status-ok" } else { "status status-problem" } role="status">
                        <h2>{v.outcome.label(lang)}</h2>
                        {v.holder.map(|h| view! { <dl class="facts"><HolderFacts holder=h /></dl> })}
                    </div>
                }
            })}
            <form method="post" action=routes::VERIFY enctype="multipart/form-data" class="stack">
                <div class="field">
                    <label for="hc1">{tr(lang, "Nội dung mã QR", "The QR's text")}</label>
                    <textarea id="hc1" name="hc1" rows="6" class="hc1" maxlength="4096">{typed}</textarea>
                </div>
                <div class="field">
                    <label for="anh">{tr(lang, "Hoặc ảnh chụp mã QR (PNG, JPEG)", "Or a photo of the QR (PNG, JPEG)")}</label>
                    <input type="file" id="anh" name="anh" accept="image/png,image/jpeg" />
                </div>
                <super::islands::CameraScanner english=lang == crate::i18n::Lang::En />
                <button type="submit" class="button">{tr(lang, "Kiểm tra", "Check")}</button>
            </form>
            <p>
                <a href=routes::TRUST_LIST>{tr(lang, "Danh sách tin cậy (JSON)", "Trust list (JSON)")}</a>
                " · "
                <a href=routes::REVOCATION_LIST>{tr(lang, "Danh sách thu hồi (JSON)", "Revocation list (JSON)")}</a>
            </p>
        </Layout>
    }
}

/// A certificate on a page of its own, to print: what the QR holds, the QR, its text.
#[component]
pub fn PrintablePage(person: i64, certificate: SignedCertificate, holder: Option<Holder>) -> impl IntoView {
    let lang = lang();
    view! {
        <Layout title=tr(lang, "Chứng nhận tiêm chủng COVID-19", "COVID-19 vaccine certificate")>
            <article class="printable-certificate">
                <h1>{tr(lang, "Chứng nhận tiêm chủng COVID-19", "COVID-19 vaccine certificate")}</h1>
                {holder.map(|h| view! {
                    <dl class="facts">
                        <HolderFacts holder=h />
                        <dt>{tr(lang, "Ngày cấp", "Issued on")}</dt>
                        <dd>{certificate.issued_on.clone()}</dd>
                        <dt>{tr(lang, "Có giá trị đến", "Valid until")}</dt>
                        <dd>{certificate.expires_on.clone()}</dd>
                    </dl>
                })}
                <figure class="qr">
                    <div class="qr-code" inner_html=certificate.qr_svg.clone()></div>
                    <figcaption>{tr(lang, "Định dạng EU DCC. Kiểm tra tại trang Kiểm tra chứng nhận của cổng.", "EU DCC format. Check it on the portal's certificate check page.")}</figcaption>
                </figure>
                <label for="hc1">{tr(lang, "Nội dung mã QR", "The QR's text")}</label>
                <textarea id="hc1" class="hc1" readonly=true rows="5">{certificate.hc1.clone()}</textarea>
                <p class="no-print">
                    {tr(lang, "Dùng chức năng In của trình duyệt để in trang này.", "Use the browser's Print to print this page.")}
                    " "
                    <a href=routes::qr_png(person) download="">{tr(lang, "Tải mã QR (PNG)", "Download the QR (PNG)")}</a>
                    " · "
                    <a href=crate::records::routes::RECORD>{tr(lang, "Về hồ sơ", "Back to the record")}</a>
                </p>
            </article>
        </Layout>
    }
}

/// The holder and the dose as a certificate holds them (terms of a `<dl>`).
#[component]
fn HolderFacts(holder: Holder) -> impl IntoView {
    let lang = lang();
    view! {
        <dt>{tr(lang, "Họ và tên", "Name")}</dt>
        <dd>{holder.name}</dd>
        <dt>{tr(lang, "Ngày sinh", "Date of birth")}</dt>
        <dd>{holder.birth}</dd>
        <dt>{tr(lang, "Mũi tiêm", "Dose")}</dt>
        <dd>{holder.dose}</dd>
        <dt>{tr(lang, "Mã chứng nhận", "Certificate identifier")}</dt>
        <dd>{holder.uvci}</dd>
    }
}
