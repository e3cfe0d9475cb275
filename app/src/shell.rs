//! The HTML document around every page. The server chooses the page (one route table, in
//! `routes.rs` and the slices' routers) and passes it here with its data as props.

use crate::i18n::lang;
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};

/// The path of the request a page answers: the language switch sends the reader back to it.
#[derive(Debug, Clone)]
pub struct Here(pub String);

/// The HTML document. Islands mode: only `#[island]` components ship to the browser.
pub fn shell<V: IntoView + 'static>(options: LeptosOptions, page: impl Fn() -> V) -> impl IntoView {
    let lang = lang();
    provide_meta_context();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5cad" />
                <meta
                    name="description"
                    content=crate::i18n::tr(
                        lang,
                        "Tra cứu hồ sơ tiêm chủng COVID-19 của bạn và gia đình, phản ánh thông tin sai để cơ sở tiêm chủng sửa trong 48 giờ, nhận chứng nhận tiêm chủng.",
                        "Look up your family's COVID-19 vaccination records, report wrong data for the vaccination site to correct within 48 hours, and get your vaccine certificate.",
                    )
                />
                <link rel="stylesheet" href="/pkg/portal.css" />
                <link rel="icon" href="data:," />
                <IslandsScript options />
                <MetaTags />
            </head>
            <body>{page()}</body>
        </html>
    }
}

/// The script that loads the bundle and wakes the islands, as Leptos writes it, without the
/// `<link rel="preload">` and `<link rel="modulepreload">` hints Leptos puts before it: a
/// browser fetches what those name even with JavaScript off, and then the 90 KB bundle is
/// fetched for nothing. With JavaScript the script fetches it once the page is idle.
#[component]
fn IslandsScript(options: LeptosOptions) -> impl IntoView {
    let written = view! { <HydrationScripts options islands=true /> }.to_html();
    let script = written
        .split_once("<script")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, body)| body.rsplit_once("</script>"))
        .map(|(body, _)| body.to_string())
        .unwrap_or_default();
    view! { <script type="module" nonce=leptos::nonce::use_nonce() inner_html=script></script> }
}
