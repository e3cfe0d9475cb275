//! Reading the QR code of a certificate from a photo or a camera frame, with the work and the
//! memory of one read bounded whatever the file holds.
//!
//! - Memory: the decoder may allocate at most `MAX_DECODED_BYTES` (a 12-megapixel phone photo
//!   fits); the picture is then shrunk to `MAX_SIDE` pixels a side before any QR search.
//! - Camera frames wider or taller than `MAX_FRAME_SIDE` are refused before decoding (the
//!   scanner sends 640 pixels).
//! - Work: rqrr tries every pair of finder-pattern candidates on a full copy of the picture,
//!   with no cap of its own (a 6 KB lattice of finder patterns means millions of copies). The
//!   picture it searches counts those copies, and the search ends at `MAX_CANDIDATE_GROUPS`:
//!   a certificate's QR has three finder patterns, a photo of it a few more candidates.
//! - A panic inside the decoders is an unreadable picture, never a 500.

use image::{GenericImage, GenericImageView, Luma};
use std::cell::Cell;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::rc::Rc;

/// What a search reads: pictures are shrunk to this many pixels a side first.
pub const MAX_SIDE: u32 = 1024;
/// A camera frame larger than this is refused unread.
pub const MAX_FRAME_SIDE: u32 = 1280;
/// The most the image decoder may allocate for one picture.
pub const MAX_DECODED_BYTES: u64 = 40 * 1024 * 1024;
/// Groups of three finder-pattern candidates tried before the search gives up.
pub const MAX_CANDIDATE_GROUPS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A photo sent with the form.
    Photo,
    /// A frame of the camera scanner.
    Frame,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrRead {
    /// The text of the first QR code found.
    Text(String),
    /// A picture without a readable QR code.
    NotFound,
    /// Not a PNG or JPEG, or a broken one.
    NotAPicture,
    /// Larger than the limits allow (decoded size, or a frame's sides): refused unread.
    TooLarge,
    /// The search tried `MAX_CANDIDATE_GROUPS` groups and stopped.
    WorkCapReached,
    /// A decoder panicked on this file (logged).
    Crashed,
}

impl QrRead {
    pub fn text(self) -> Option<String> {
        match self {
            QrRead::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// Reads the first QR code in `bytes` (PNG or JPEG) within the limits above.
pub fn read(bytes: &[u8], source: Source) -> QrRead {
    match catch_unwind(AssertUnwindSafe(|| read_within_limits(bytes, source))) {
        Ok(read) => read,
        Err(payload) if payload.is::<WorkCapReached>() => QrRead::WorkCapReached,
        Err(_) => {
            tracing::warn!(bytes = bytes.len(), "a picture made the QR reader panic; answered as unreadable");
            QrRead::Crashed
        }
    }
}

fn read_within_limits(bytes: &[u8], source: Source) -> QrRead {
    let reader = || image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok();
    let Some((width, height)) = reader().and_then(|r| r.into_dimensions().ok()) else {
        return QrRead::NotAPicture;
    };
    if source == Source::Frame && width.max(height) > MAX_FRAME_SIDE {
        return QrRead::TooLarge;
    }
    let Some(mut reader) = reader() else { return QrRead::NotAPicture };
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let picture = match reader.decode() {
        Ok(picture) => picture,
        Err(image::ImageError::Limits(_)) => return QrRead::TooLarge,
        Err(_) => return QrRead::NotAPicture,
    };
    // Shrunk while still in colour (a small copy), the original dropped before the grey one.
    let picture = if width.max(height) > MAX_SIDE { picture.thumbnail(MAX_SIDE, MAX_SIDE) } else { picture };
    let budget = Rc::new(Cell::new(MAX_CANDIDATE_GROUPS));
    let searched = Counted { grey: picture.into_luma8(), copies_left: budget };
    let mut prepared = rqrr::PreparedImage::prepare(searched);
    prepared.detect_grids().into_iter().find_map(|grid| grid.decode().ok().map(|(_, text)| text)).map_or(QrRead::NotFound, QrRead::Text)
}

/// The unwinding payload that ends a search past its budget (no panic hook runs for it).
struct WorkCapReached;

/// A grey picture whose copies are counted: rqrr copies the picture once for each group of
/// candidates it tries, so the copies are its work. (rqrr reads any `image` picture of grey
/// pixels: its own picture trait is not public.)
struct Counted {
    grey: image::GrayImage,
    copies_left: Rc<Cell<usize>>,
}

impl Clone for Counted {
    fn clone(&self) -> Self {
        let left = self.copies_left.get();
        if left == 0 {
            resume_unwind(Box::new(WorkCapReached));
        }
        self.copies_left.set(left - 1);
        Self { grey: self.grey.clone(), copies_left: self.copies_left.clone() }
    }
}

impl GenericImageView for Counted {
    type Pixel = Luma<u8>;

    fn dimensions(&self) -> (u32, u32) {
        self.grey.dimensions()
    }

    fn get_pixel(&self, x: u32, y: u32) -> Luma<u8> {
        *self.grey.get_pixel(x, y)
    }
}

impl GenericImage for Counted {
    #[allow(deprecated)]
    fn get_pixel_mut(&mut self, x: u32, y: u32) -> &mut Luma<u8> {
        self.grey.get_pixel_mut(x, y)
    }

    fn put_pixel(&mut self, x: u32, y: u32, pixel: Luma<u8>) {
        self.grey.put_pixel(x, y, pixel);
    }

    #[allow(deprecated)]
    fn blend_pixel(&mut self, x: u32, y: u32, pixel: Luma<u8>) {
        self.grey.put_pixel(x, y, pixel);
    }
}
