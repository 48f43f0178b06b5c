//! Print-ready A4 pages in French (krilla, with the shipped Liberation Sans 2 fonts so that
//! every machine prints the same): the lender's letters and documents draw through this.

use std::sync::LazyLock;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;

#[derive(Debug, thiserror::Error)]
#[error("the PDF could not be made: {0}")]
pub struct PdfError(String);

impl PdfError {
    pub fn new(why: impl Into<String>) -> Self {
        Self(why.into())
    }
}

static REGULAR: LazyLock<Option<Font>> = LazyLock::new(|| {
    let data: &'static [u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
    Font::new(data.into(), 0)
});
static BOLD: LazyLock<Option<Font>> = LazyLock::new(|| {
    let data: &'static [u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");
    Font::new(data.into(), 0)
});

/// Millimetres to PDF points.
fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

pub const A4_WIDTH: f32 = 595.28;
const A4_HEIGHT: f32 = 841.89;
pub const LEFT: f32 = 20.0;
/// Lines of body text wrap at this many characters (10 pt Liberation Sans over 170 mm).
pub const WRAP: usize = 105;
pub const BRAND: (u8, u8, u8) = (11, 79, 108);

/// Draws text line by line from the top of the page.
pub struct Writer<'a, 'b> {
    surface: &'a mut Surface<'b>,
    regular: Font,
    bold: Font,
    /// Where the next paragraph starts, in millimetres from the top.
    pub y: f32,
}

impl Writer<'_, '_> {
    pub fn color(&mut self, (r, g, b): (u8, u8, u8)) {
        self.surface.set_fill(Some(Fill {
            paint: rgb::Color::new(r, g, b).into(),
            ..Fill::default()
        }));
    }

    pub fn text_at(&mut self, x_mm: f32, y_mm: f32, size: f32, bold: bool, text: &str) {
        let font = if bold {
            self.bold.clone()
        } else {
            self.regular.clone()
        };
        self.surface.draw_text(
            Point::from_xy(mm(x_mm), mm(y_mm)),
            font,
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// A paragraph at the left margin, wrapped, then some space.
    pub fn paragraph(&mut self, size: f32, bold: bool, text: &str) {
        for line in wrap(text, WRAP) {
            self.text_at(LEFT, self.y, size, bold, &line);
            self.y += size * 0.47;
        }
        self.y += 2.5;
    }

    /// A PNG image at the left margin, `width` millimetres wide, framed by a thin line;
    /// the next paragraph starts below it. An unreadable image is left out.
    pub fn png(&mut self, data: &'static [u8], width: f32) {
        let Ok(image) = Image::from_png(data.into(), true) else {
            return;
        };
        let (pixels_wide, pixels_high) = image.size();
        let height = width * pixels_high as f32 / pixels_wide.max(1) as f32;
        self.color((180, 190, 200));
        self.rect(LEFT - 0.3, self.y - 0.3, width + 0.6, height + 0.6);
        let Some(size) = Size::from_wh(mm(width), mm(height)) else {
            return;
        };
        self.surface
            .push_transform(&Transform::from_translate(mm(LEFT), mm(self.y)));
        self.surface.draw_image(image, size);
        self.surface.pop();
        self.color((30, 30, 30));
        self.y += height + 4.0;
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let mut path = PathBuilder::new();
        if let Some(rect) = Rect::from_xywh(mm(x), mm(y), mm(w), mm(h)) {
            path.push_rect(rect);
        }
        if let Some(path) = path.finish() {
            self.surface.draw_path(&path);
        }
    }
}

/// Splits text into lines of at most `width` characters, at spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// One PDF with one A4 page per item, each drawn by `draw`.
pub fn render<T>(items: &[T], draw: impl Fn(&mut Writer<'_, '_>, &T)) -> Result<Vec<u8>, PdfError> {
    let (Some(regular), Some(bold)) = (REGULAR.clone(), BOLD.clone()) else {
        return Err(PdfError("embedded fonts unreadable".into()));
    };
    let mut document = Document::new();
    for item in items {
        let settings = PageSettings::from_wh(A4_WIDTH, A4_HEIGHT)
            .ok_or_else(|| PdfError("page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let mut writer = Writer {
            surface: &mut surface,
            regular: regular.clone(),
            bold: bold.clone(),
            y: 0.0,
        };
        draw(&mut writer, item);
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| PdfError(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_keeps_words_whole() {
        assert_eq!(
            wrap("un deux trois quatre", 9),
            ["un deux", "trois", "quatre"]
        );
    }
}
