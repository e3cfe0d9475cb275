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
                <link rel="stylesheet" href="/pkg/portal.css" />
                <link rel="icon" href="data:," />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>{page()}</body>
        </html>
    }
}
