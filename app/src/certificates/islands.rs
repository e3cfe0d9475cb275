//! The camera scanner of the public check (`/kiem-tra`): with JavaScript and a camera, the QR
//! is read through the camera instead of a photo being chosen. Each frame is read on the server
//! by the same reader as an uploaded photo (no QR decoder in the bundle); the text found is then
//! checked by the page's form, as if pasted. Without JavaScript or a camera nothing shows.

use crate::i18n::{Lang, tr};
use leptos::prelude::*;

#[island]
pub fn CameraScanner(english: bool) -> impl IntoView {
    let lang = if english { Lang::En } else { Lang::Vi };
    let available = RwSignal::new(false);
    let scanning = RwSignal::new(false);
    let said = RwSignal::new(String::new());
    let video = NodeRef::<leptos::html::Video>::new();
    Effect::new(move |_| available.set(browser::can_ask_for_camera()));
    let start = move |_| {
        if !scanning.get_untracked() {
            browser::scan(video, said, scanning, lang);
        }
    };
    view! {
        <div class="scanner" hidden=move || !available.get()>
            <button type="button" class="button secondary" hidden=move || scanning.get() on:click=start>
                {tr(lang, "Quét mã QR bằng camera", "Scan the QR with the camera")}
            </button>
            <button type="button" class="button secondary" hidden=move || !scanning.get() on:click=move |_| scanning.set(false)>
                {tr(lang, "Dừng quét", "Stop scanning")}
            </button>
            <video node_ref=video class="scanner-video" playsinline=true muted=true hidden=move || !scanning.get()></video>
            <p class="help" aria-live="polite">{move || said.get()}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::i18n::{Lang, tr};
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlTextAreaElement, HtmlVideoElement, MediaStream, Window};

    /// What the scanner says when it stops without a code.
    fn problem(lang: Lang, p: Problem) -> &'static str {
        match p {
            Problem::NoCamera => tr(
                lang,
                "Không mở được camera (chưa cho phép, hoặc máy không có camera). Hãy chọn ảnh chụp mã QR hoặc dán nội dung mã.",
                "The camera could not be opened (not allowed, or none). Choose a photo of the QR or paste its text.",
            ),
            Problem::TooMany => tr(
                lang,
                "Quá nhiều lần đọc trong một phút. Hãy thử lại sau ít phút.",
                "Too many reads in a minute. Try again in a few minutes.",
            ),
            Problem::Failed => {
                tr(lang, "Không gửi được hình ảnh. Hãy kiểm tra kết nối mạng.", "The picture could not be sent. Check the connection.")
            }
        }
    }

    #[derive(Clone, Copy, Debug)]
    enum Problem {
        NoCamera,
        TooMany,
        Failed,
    }

    /// Frames are at most this wide (a QR on a phone screen reads well at it; the request stays small).
    const FRAME_WIDTH: f64 = 640.0;
    /// Between two frames, in milliseconds.
    const EVERY_MS: i32 = 500;

    /// Whether the browser can ask for a camera (a secure page in a browser that has the API).
    pub fn can_ask_for_camera() -> bool {
        web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"mediaDevices".into()).ok())
            .is_some_and(|devices| !devices.is_undefined())
    }

    pub fn scan(video: NodeRef<leptos::html::Video>, said: RwSignal<String>, scanning: RwSignal<bool>, lang: Lang) {
        leptos::task::spawn_local(async move {
            match run(video, said, scanning, lang).await {
                Ok(Some(text)) => {
                    said.set(tr(lang, "Đã đọc được mã QR, đang kiểm tra…", "QR read, checking…").into());
                    submit(&text);
                }
                Ok(None) => said.set(String::new()),
                Err(p) => said.set(problem(lang, p).into()),
            }
            scanning.set(false);
        });
    }

    async fn run(
        video: NodeRef<leptos::html::Video>,
        said: RwSignal<String>,
        scanning: RwSignal<bool>,
        lang: Lang,
    ) -> Result<Option<String>, Problem> {
        let window = web_sys::window().ok_or(Problem::NoCamera)?;
        let devices = window.navigator().media_devices().map_err(|_| Problem::NoCamera)?;
        let constraints = web_sys::MediaStreamConstraints::new();
        let wanted = js_sys::Object::new();
        js_sys::Reflect::set(&wanted, &"facingMode".into(), &"environment".into()).map_err(|_| Problem::NoCamera)?;
        constraints.set_video(&wanted);
        let asked = devices.get_user_media_with_constraints(&constraints).map_err(|_| Problem::NoCamera)?;
        let stream: MediaStream = JsFuture::from(asked).await.map_err(|_| Problem::NoCamera)?.unchecked_into();
        let element: HtmlVideoElement = video.get_untracked().ok_or(Problem::NoCamera)?;
        element.set_src_object(Some(&stream));
        scanning.set(true);
        if let Ok(playing) = element.play() {
            let _ = JsFuture::from(playing).await;
        }
        said.set(tr(lang, "Đưa mã QR vào giữa khung hình, giữ yên…", "Hold the QR in the middle of the picture, still…").into());
        let found = look(&window, &element, scanning).await;
        for track in stream.get_tracks().iter() {
            track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
        }
        element.set_src_object(None);
        found
    }

    /// Sends a frame every `EVERY_MS` until the server reads a QR in one, or the scan is stopped.
    async fn look(window: &Window, video: &HtmlVideoElement, scanning: RwSignal<bool>) -> Result<Option<String>, Problem> {
        let document = window.document().ok_or(Problem::Failed)?;
        let canvas: HtmlCanvasElement = document.create_element("canvas").map_err(|_| Problem::Failed)?.unchecked_into();
        let context: CanvasRenderingContext2d = canvas.get_context("2d").ok().flatten().ok_or(Problem::Failed)?.unchecked_into();
        while scanning.get_untracked() {
            sleep(window, EVERY_MS).await;
            let (w, h) = (video.video_width() as f64, video.video_height() as f64);
            if w == 0.0 || h == 0.0 {
                continue;
            }
            let scale = (FRAME_WIDTH / w).min(1.0);
            let (fw, fh) = ((w * scale).round(), (h * scale).round());
            canvas.set_width(fw as u32);
            canvas.set_height(fh as u32);
            context.draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, fw, fh).map_err(|_| Problem::Failed)?;
            let frame =
                canvas.to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(0.85)).map_err(|_| Problem::Failed)?;
            let init = web_sys::RequestInit::new();
            init.set_method("POST");
            init.set_body(&JsValue::from_str(&frame));
            let sent = JsFuture::from(window.fetch_with_str_and_init(crate::certificates::routes::CAMERA_FRAME, &init))
                .await
                .map_err(|_| Problem::Failed)?;
            let response: web_sys::Response = sent.unchecked_into();
            match response.status() {
                200 => {
                    let text = JsFuture::from(response.text().map_err(|_| Problem::Failed)?).await.map_err(|_| Problem::Failed)?;
                    return Ok(text.as_string());
                }
                204 => continue,
                429 => return Err(Problem::TooMany),
                _ => return Err(Problem::Failed),
            }
        }
        Ok(None)
    }

    async fn sleep(window: &Window, ms: i32) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        });
        let _ = JsFuture::from(promise).await;
    }

    /// Puts the text in the page's field and sends the form, as if it had been pasted.
    fn submit(text: &str) {
        let field = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("hc1"))
            .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok());
        if let Some(field) = field {
            field.set_value(text);
            if let Some(form) = field.form() {
                let _ = form.submit();
            }
        }
    }
}

/// On the server the scanner renders hidden; it starts only in the browser.
#[cfg(not(feature = "hydrate"))]
mod browser {
    use crate::i18n::Lang;
    use leptos::prelude::*;

    pub fn can_ask_for_camera() -> bool {
        false
    }

    pub fn scan(_: NodeRef<leptos::html::Video>, _: RwSignal<String>, _: RwSignal<bool>, _: Lang) {}
}
