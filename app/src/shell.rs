use crate::complaints::{NewComplaintPage, TrackingPage};
use crate::i18n::lang;
use crate::lookup::{CodePage, LookupPage};
use crate::records::RecordPage;
use crate::site::{HomePage, NotFoundPage};
use crate::staff::{AccountPage, SetPasswordPage, StaffComplaintPage, StaffInboxPage, StaffLoginPage, TeamPage};
use crate::supervision::pages::{AuditPage, NumbersPage, SupervisedComplaintPage};
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document. Islands mode: only `#[island]` components ship to the browser.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5cad" />
                <link rel="stylesheet" href="/pkg/portal.css" />
                <link rel="icon" href="data:," />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundPage /> }>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/tra-cuu") view=LookupPage />
                <Route path=path!("/tra-cuu/ma") view=CodePage />
                <Route path=path!("/ho-so") view=RecordPage />
                <Route path=path!("/phan-anh") view=NewComplaintPage />
                <Route path=path!("/phan-anh/moi") view=NewComplaintPage />
                <Route path=path!("/phan-anh/:reference") view=TrackingPage />
                // A refused action is shown again on the page it came from.
                <Route path=path!("/phan-anh/:reference/:action") view=TrackingPage />
                <Route path=path!("/co-so") view=StaffInboxPage />
                <Route path=path!("/co-so/dang-nhap") view=StaffLoginPage />
                <Route path=path!("/co-so/phan-anh/:reference") view=StaffComplaintPage />
                <Route path=path!("/co-so/phan-anh/:reference/:action") view=StaffComplaintPage />
                <Route path=path!("/co-so/nhan-vien") view=TeamPage />
                <Route path=path!("/giam-sat") view=AuditPage />
                <Route path=path!("/so-lieu") view=NumbersPage />
                <Route path=path!("/so-lieu/co-so/:site") view=NumbersPage />
                <Route path=path!("/giam-sat/phan-anh/:reference") view=SupervisedComplaintPage />
                <Route path=path!("/giam-sat/phan-anh/:reference/:action") view=SupervisedComplaintPage />
                <Route path=path!("/co-so/mat-khau/:token") view=SetPasswordPage />
                <Route path=path!("/co-so/xac-thuc") view=AccountPage />
                <Route path=path!("/co-so/bao-mat") view=AccountPage />
                <Route path=path!("/co-so/bao-mat/:action") view=AccountPage />
            </Routes>
        </Router>
    }
}
