//! What an evidence file may carry: photos lose the metadata that can hold where and when
//! they were taken (EXIF, XMP, IPTC, text chunks), PDFs that can run code or carry other
//! files are refused, and a served file is named from its detected type, never from what the
//! uploader typed.

use crate::domain::FieldError;
use std::io::Read;

/// The file as it is kept: photos without metadata; PDFs as sent, if they are passive.
pub fn sanitize(content_type: &str, bytes: &[u8]) -> Result<Vec<u8>, FieldError> {
    match content_type {
        "image/jpeg" => jpeg_without_metadata(bytes).ok_or(FieldError::FileType),
        "image/png" => png_without_metadata(bytes).ok_or(FieldError::FileType),
        "image/webp" => webp_without_metadata(bytes).ok_or(FieldError::FileType),
        "application/pdf" if pdf_is_active(bytes) => Err(FieldError::PdfActive),
        _ => Ok(bytes.to_vec()),
    }
}

/// A name to show and to serve: the uploader's name without its path, extension, control and
/// direction-changing characters, then the extension of the detected type.
pub fn served_name(uploaded: &str, content_type: &str) -> String {
    let base = uploaded.rsplit(['/', '\\']).next().unwrap_or(uploaded);
    let visible: String =
        base.chars().filter(|c| !c.is_control() && !crate::domain::is_format_char(*c) && !matches!(c, '"' | ';')).collect();
    let stem = match visible.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => visible.as_str(),
    };
    let stem: String = stem.trim().replace('.', "-").chars().take(80).collect();
    let stem = if stem.trim().is_empty() { "tep".to_string() } else { stem.trim().to_string() };
    format!("{stem}.{}", extension(content_type))
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        _ => "bin",
    }
}

/// JPEG: every segment before the image data is copied except APP1 (EXIF, XMP), APP13 (IPTC),
/// APP3-APP12 and APP15 (maker data) and comments; JFIF (APP0), ICC colour (APP2) and Adobe
/// colour (APP14) stay, so the photo looks the same.
fn jpeg_without_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(..2).filter(|soi| *soi == [0xFF, 0xD8])?);
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == 0xFF {
            at += 1;
            continue;
        }
        // Start of scan or end of image: the rest is image data.
        if marker == 0xDA || marker == 0xD9 {
            out.extend_from_slice(&bytes[at..]);
            return Some(out);
        }
        let length = u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]) as usize;
        let end = at + 2 + length;
        if length < 2 || end > bytes.len() {
            return None;
        }
        let metadata = matches!(marker, 0xE1 | 0xE3..=0xEC | 0xED | 0xEF | 0xFE);
        if !metadata {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
}

/// PNG: text, time and EXIF chunks are dropped; the image chunks are copied with their CRCs.
fn png_without_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = bytes.get(..8)?.to_vec();
    let mut at = 8;
    while at < bytes.len() {
        let length = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
        let kind = bytes.get(at + 4..at + 8)?;
        let end = at.checked_add(12)?.checked_add(length)?;
        if end > bytes.len() {
            return None;
        }
        if !matches!(kind, b"eXIf" | b"tEXt" | b"iTXt" | b"zTXt" | b"tIME") {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
        if kind == b"IEND" {
            break;
        }
    }
    Some(out)
}

/// WebP: the EXIF and XMP chunks are dropped and the extended header's flags for them cleared.
fn webp_without_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::with_capacity(bytes.len());
    body.extend_from_slice(b"WEBP");
    let mut at = 12;
    while at < bytes.len() {
        let kind: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        let size = u32::from_le_bytes(bytes.get(at + 4..at + 8)?.try_into().ok()?) as usize;
        let end = (at + 8).checked_add(size + size % 2)?.min(bytes.len());
        if at + 8 + size > bytes.len() {
            return None;
        }
        match &kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let start = body.len();
                body.extend_from_slice(&bytes[at..end]);
                // Flags byte: bit 3 EXIF, bit 2 XMP.
                *body.get_mut(start + 8)? &= !0b0000_1100;
            }
            _ => body.extend_from_slice(&bytes[at..end]),
        }
        at = end;
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&u32::try_from(body.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&body);
    Some(out)
}

/// Names that make a PDF do something when opened: run JavaScript, launch a program, carry
/// other files or rich media, or an XFA form.
const ACTIVE_NAMES: &[&[u8]] = &[b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA"];

/// Whether the PDF holds an active name, in its own bytes or in any compressed stream (object
/// streams hide dictionaries there). Names may be written with #xx escapes.
fn pdf_is_active(bytes: &[u8]) -> bool {
    if has_active_name(bytes) {
        return true;
    }
    // A 5 MB file may inflate a lot: read at most 64 MB in all.
    let mut budget: u64 = 64 * 1024 * 1024;
    let mut rest = bytes;
    while let Some(start) = find(rest, b"stream") {
        let mut body = &rest[start + 6..];
        body = body.strip_prefix(b"\r").unwrap_or(body);
        body = body.strip_prefix(b"\n").unwrap_or(body);
        let end = find(body, b"endstream").unwrap_or(body.len());
        let mut inflated = Vec::new();
        let read = flate2::read::ZlibDecoder::new(&body[..end]).take(budget).read_to_end(&mut inflated);
        if read.is_ok() || !inflated.is_empty() {
            budget = budget.saturating_sub(inflated.len() as u64);
            if has_active_name(&inflated) {
                return true;
            }
        }
        if budget == 0 {
            // Too much to look through: refuse rather than guess.
            return true;
        }
        rest = &body[end.min(body.len())..];
        if end == body.len() {
            break;
        }
    }
    false
}

fn has_active_name(bytes: &[u8]) -> bool {
    let mut at = 0;
    while let Some(slash) = bytes[at..].iter().position(|b| *b == b'/') {
        let start = at + slash + 1;
        let len = bytes[start..].iter().position(|b| is_delimiter(*b)).unwrap_or(bytes.len() - start);
        let name = decode_name(&bytes[start..start + len]);
        if ACTIVE_NAMES.contains(&name.as_slice()) {
            return true;
        }
        at = start + len;
        if at >= bytes.len() {
            return false;
        }
    }
    false
}

fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0 || b"()<>[]{}/%".contains(&b)
}

/// `/J#53` is `/JS`.
fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && let Some(v) = raw.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn served_names_come_from_the_detected_type_without_tricks() {
        assert_eq!(served_name("card\u{202E}gpj.hta", "application/pdf"), "cardgpj.pdf");
        assert_eq!(served_name("C:\\Users\\lan\\thẻ tiêm.jpg", "image/jpeg"), "thẻ tiêm.jpg");
        assert_eq!(served_name("../../etc/passwd", "image/png"), "passwd.png");
        assert_eq!(served_name("a\"b;c\r\n.png", "image/png"), "abc.png");
        assert_eq!(served_name("photo.jpg.exe", "image/jpeg"), "photo-jpg.jpg");
        assert_eq!(served_name("", "application/pdf"), "tep.pdf");
        assert_eq!(served_name("\u{200B}\u{2066}.jpg", "image/jpeg"), "tep.jpg");
    }

    fn jpeg_with_exif() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07]);
        j.extend_from_slice(b"JFIF\0");
        let exif = b"Exif\0\0GPS 21.0285N 105.8542E";
        j.extend_from_slice(&[0xFF, 0xE1, 0x00, (exif.len() + 2) as u8]);
        j.extend_from_slice(exif);
        j.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x06]);
        j.extend_from_slice(b"note");
        j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]);
        j
    }

    #[test]
    fn photos_lose_their_location() {
        let clean = sanitize("image/jpeg", &jpeg_with_exif()).unwrap();
        assert!(find(&clean, b"GPS").is_none() && find(&clean, b"note").is_none());
        assert!(find(&clean, b"JFIF").is_some() && clean.ends_with(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]));

        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [(&b"IHDR"[..], &b"0123456789abc"[..]), (b"eXIf", b"GPS here"), (b"tEXt", b"Location\0Ha Noi"), (b"IEND", b"")]
        {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            png.extend_from_slice(kind);
            png.extend_from_slice(data);
            png.extend_from_slice(&[0, 0, 0, 0]);
        }
        let clean = sanitize("image/png", &png).unwrap();
        assert!(find(&clean, b"GPS").is_none() && find(&clean, b"Ha Noi").is_none() && find(&clean, b"IHDR").is_some());

        let mut chunks = Vec::new();
        for (kind, data) in [(&b"VP8X"[..], &[0b0000_1100u8, 0, 0, 0, 0, 0, 0, 0, 0, 0][..]), (b"VP8 ", b"image!"), (b"EXIF", b"GPS!")] {
            chunks.extend_from_slice(kind);
            chunks.extend_from_slice(&(data.len() as u32).to_le_bytes());
            chunks.extend_from_slice(data);
        }
        let mut webp = b"RIFF".to_vec();
        webp.extend_from_slice(&((chunks.len() + 4) as u32).to_le_bytes());
        webp.extend_from_slice(b"WEBP");
        webp.extend_from_slice(&chunks);
        let clean = sanitize("image/webp", &webp).unwrap();
        assert!(find(&clean, b"GPS").is_none() && find(&clean, b"image").is_some());
        assert_eq!(clean[20] & 0b0000_1100, 0, "the header no longer announces EXIF or XMP");
        assert_eq!(u32::from_le_bytes(clean[4..8].try_into().unwrap()) as usize, clean.len() - 8);

        assert_eq!(sanitize("image/jpeg", b"\xFF\xD8\xFF\xE1\xFF\xFF"), Err(FieldError::FileType), "a broken photo is refused");
    }

    #[test]
    fn pdfs_that_run_code_or_carry_files_are_refused() {
        let passive = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF";
        assert_eq!(sanitize("application/pdf", passive).unwrap(), passive.to_vec());
        for active in [
            &b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj"[..],
            b"%PDF-1.7\n1 0 obj << /S /J#61vaScript >> endobj",
            b"%PDF-1.7\n1 0 obj << /Names << /EmbeddedFiles 2 0 R >> >> endobj",
            b"%PDF-1.7\n1 0 obj << /S /Launch /F (cmd.exe) >> endobj",
        ] {
            assert_eq!(sanitize("application/pdf", active), Err(FieldError::PdfActive), "{}", String::from_utf8_lossy(active));
        }
        // Hidden in a compressed object stream.
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"<< /S /JavaScript /JS (x) >>").unwrap();
        let mut hidden = b"%PDF-1.7\n3 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n".to_vec();
        hidden.extend_from_slice(&z.finish().unwrap());
        hidden.extend_from_slice(b"\nendstream\nendobj\n%%EOF");
        assert_eq!(sanitize("application/pdf", &hidden), Err(FieldError::PdfActive));
    }
}
