use super::{HouseholdMember, HouseholdView};
use crate::domain::Gender;
use crate::i18n::{Lang, lang, tr};
use crate::layout::Layout;
use leptos::prelude::*;

#[component]
pub fn RecordPage(household: HouseholdView) -> impl IntoView {
    let lang = lang();
    let many = household.people.len() > 1;
    view! {
        <Layout title=tr(lang, "Hồ sơ tiêm chủng", "Vaccination record")>
            <div class="page-head">
                <h1>{tr(lang, "Hồ sơ tiêm chủng", "Vaccination record")}</h1>
                <form method="post" action=crate::layout::routes::SIGN_OUT>
                    <button type="submit" class="link-button">{tr(lang, "Đăng xuất", "Sign out")}</button>
                </form>
            </div>
            {many.then(|| view! {
                <p>
                    {tr(
                        lang,
                        "Những người dưới đây dùng chung số điện thoại hoặc email với bạn, hoặc do bạn giám hộ.",
                        "The people below share your phone number or email, or are in your care.",
                    )}
                </p>
            })}
            {household.people.into_iter().map(|member| view! { <PersonCard member lang /> }).collect_view()}
        </Layout>
    }
}

#[component]
fn PersonCard(member: HouseholdMember, lang: Lang) -> impl IntoView {
    let HouseholdMember { person, complaints, certificate } = member;
    let gender = match person.gender {
        Gender::Male => tr(lang, "Nam", "Male"),
        Gender::Female => tr(lang, "Nữ", "Female"),
    };
    let id = person.national_id.clone().unwrap_or_else(|| tr(lang, "(chưa có)", "(none)").to_string());
    let problems = person.findings.iter().any(|f| f.is_problem());
    let status_class = if problems { "status status-problem" } else { "status status-ok" };
    let dose_count = person.doses.len();
    view! {
        <article class="person">
            <h2>{person.full_name.clone()}</h2>
            <dl class="facts">
                <dt>{tr(lang, "Ngày sinh", "Date of birth")}</dt>
                <dd>{person.birth_date.clone()}</dd>
                <dt>{tr(lang, "Giới tính", "Gender")}</dt>
                <dd>{gender}</dd>
                <dt>{tr(lang, "Số giấy tờ", "ID number")}</dt>
                <dd>{id}</dd>
                <dt>{tr(lang, "Nơi cư trú", "Residence")}</dt>
                <dd>{person.residence.clone()}</dd>
            </dl>
            {person.has_guardian.then(|| view! {
                <p class="help">{tr(lang, "Trẻ em: người giám hộ thay mặt xem và phản ánh.", "A child: the guardian looks up and reports on their behalf.")}</p>
            })}
            <div class=status_class>
                <h3>{if problems { tr(lang, "Hồ sơ cần được sửa", "The record needs correcting") } else { tr(lang, "Hồ sơ đã khớp", "The record matches") }}</h3>
                <ul>
                    {person.findings.iter().map(|f| view! {
                        <li>
                            <strong>{f.title(lang)}</strong>
                            <br />
                            {f.advice(lang)}
                        </li>
                    }).collect_view()}
                </ul>
            </div>
            <ComplaintLinks person_id=person.id name=person.full_name.clone() complaints=complaints.clone() lang />
            <h3>{tr(lang, "Các mũi đã tiêm", "Doses given")} " (" {dose_count} ")"</h3>
            {if person.doses.is_empty() {
                view! { <p>{tr(lang, "Chưa có mũi tiêm nào được ghi nhận.", "No dose is recorded.")}</p> }.into_any()
            } else {
                view! {
                    <ol class="doses">
                        {person.doses.into_iter().map(|d| view! {
                            <li class="dose">
                                <p class="dose-title"><strong>{d.kind.label(lang)}</strong> " · " {d.given_on}</p>
                                <dl class="facts">
                                    <dt>{tr(lang, "Vắc xin", "Vaccine")}</dt>
                                    <dd>{d.product}</dd>
                                    <dt>{tr(lang, "Số lô", "Lot")}</dt>
                                    <dd>{d.lot}</dd>
                                    <dt>{tr(lang, "Nơi tiêm", "Site")}</dt>
                                    <dd>{d.site}</dd>
                                </dl>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <crate::certificates::CertificateBlock person=person.id state=certificate.clone() />
        </article>
    }
}

#[component]
fn ComplaintLinks(person_id: i64, name: String, complaints: Vec<crate::complaints::ComplaintSummary>, lang: Lang) -> impl IntoView {
    view! {
        <p>
            <a class="button" href=crate::complaints::routes::new_about(person_id)>
                {tr(lang, "Gửi phản ánh về hồ sơ của ", "Report a problem with the record of ")}{name}
            </a>
            " "
            <a href=crate::complaints::routes::missing_dose_about(person_id)>
                {tr(lang, "Đã tiêm nhưng hồ sơ thiếu mũi? Báo thiếu mũi tiêm", "Given a dose that is not recorded? Report a missing dose")}
            </a>
        </p>
        {(!complaints.is_empty()).then(|| view! {
            <h3>{tr(lang, "Phản ánh đã gửi", "Reports filed")}</h3>
            <ul>
                {complaints.into_iter().map(|c| view! {
                    <li>
                        <a href=crate::complaints::routes::tracking(&c.reference)>{c.reference.clone()}</a>
                        " · " {c.status.label(lang)} " · " {tr(lang, "hạn ", "due ")} {c.due_at}
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}
