//! The sheet's canvas: a pixmap, the font to write on it, the colours, and metres → pixels.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use geo::{Coord, LineString, MultiPolygon, Rect};
use tiny_skia::{
    FillRule, Mask, Paint, PathBuilder, Pixmap, PremultipliedColorU8, Stroke, StrokeDash, Transform,
};

/// An RGB colour with straight alpha.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Colour(pub(crate) u8, pub(crate) u8, pub(crate) u8, pub(crate) u8);

impl Colour {
    pub(crate) fn paint(self) -> Paint<'static> {
        let mut paint = Paint::default();
        paint.set_color_rgba8(self.0, self.1, self.2, self.3);
        paint.anti_alias = true;
        paint
    }
}

/// Metres → pixels: a uniform scale that fits the plan's extent into the map frame, north up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    /// Pixels per metre.
    pub(crate) scale: f64,
    /// Metres at the frame's centre.
    pub(crate) centre: Coord<f64>,
    /// Pixels at the frame's centre.
    pub(crate) centre_pixel: (f64, f64),
}

impl Frame {
    pub(crate) fn fitting(extent: Rect<f64>, left: f64, top: f64, width: f64, height: f64) -> Self {
        let margin = 0.04;
        let extent_width = extent.width().max(1.0);
        let extent_height = extent.height().max(1.0);
        let scale = ((width * (1.0 - 2.0 * margin)) / extent_width)
            .min((height * (1.0 - 2.0 * margin)) / extent_height);
        Self {
            scale,
            centre: extent.center(),
            centre_pixel: (left + width / 2.0, top + height / 2.0),
        }
    }

    /// The point (metres) under a pixel.
    pub(crate) fn metres(&self, x: f64, y: f64) -> Coord<f64> {
        Coord {
            x: self.centre.x + (x - self.centre_pixel.0) / self.scale,
            y: self.centre.y - (y - self.centre_pixel.1) / self.scale,
        }
    }

    pub(crate) fn pixel(&self, metres: Coord<f64>) -> (f32, f32) {
        (
            (self.centre_pixel.0 + (metres.x - self.centre.x) * self.scale) as f32,
            (self.centre_pixel.1 - (metres.y - self.centre.y) * self.scale) as f32,
        )
    }
}

/// A pixmap and the font to write on it.
pub(crate) struct Canvas {
    pub(crate) pixmap: Pixmap,
    pub(crate) font: FontRef<'static>,
    /// Where shapes may be drawn (the map frame while the plan is drawn), or everywhere.
    pub(crate) clip: Option<Mask>,
}

impl Canvas {
    pub(crate) fn fill_rectangle(
        &mut self,
        left: f32,
        top: f32,
        width: f32,
        height: f32,
        colour: Colour,
    ) {
        if let Some(rectangle) = tiny_skia::Rect::from_xywh(left, top, width, height) {
            self.pixmap
                .fill_rect(rectangle, &colour.paint(), Transform::identity(), None);
        }
    }

    pub(crate) fn stroke_rectangle(
        &mut self,
        left: f32,
        top: f32,
        width: f32,
        height: f32,
        colour: Colour,
    ) {
        if let Some(rectangle) = tiny_skia::Rect::from_xywh(left, top, width, height) {
            let path = PathBuilder::from_rect(rectangle);
            self.stroke(&path, colour, 1.5, None);
        }
    }

    pub(crate) fn fill(&mut self, path: &tiny_skia::Path, colour: Colour) {
        self.pixmap.fill_path(
            path,
            &colour.paint(),
            FillRule::EvenOdd,
            Transform::identity(),
            self.clip.as_ref(),
        );
    }

    pub(crate) fn stroke(
        &mut self,
        path: &tiny_skia::Path,
        colour: Colour,
        width: f32,
        dash: Option<[f32; 2]>,
    ) {
        let stroke = Stroke {
            width,
            dash: dash.and_then(|[on, off]| StrokeDash::new(vec![on, off], 0.0)),
            ..Stroke::default()
        };
        self.pixmap.stroke_path(
            path,
            &colour.paint(),
            &stroke,
            Transform::identity(),
            self.clip.as_ref(),
        );
    }

    pub(crate) fn text_width(&self, text: &str, size: f32) -> f32 {
        let scaled = self.font.as_scaled(PxScale::from(size));
        let mut width = 0.0;
        let mut previous = None;
        for character in text.chars() {
            let glyph = scaled.glyph_id(character);
            if let Some(previous) = previous {
                width += scaled.kern(previous, glyph);
            }
            width += scaled.h_advance(glyph);
            previous = Some(glyph);
        }
        width
    }

    /// Writes `text` with its baseline at `baseline`, starting at `left`.
    pub(crate) fn text(&mut self, text: &str, left: f32, baseline: f32, size: f32, colour: Colour) {
        let scale = PxScale::from(size);
        let scaled = self.font.as_scaled(scale);
        let width = self.pixmap.width() as i32;
        let height = self.pixmap.height() as i32;
        let pixels = self.pixmap.pixels_mut();
        let mut caret = left;
        let mut previous = None;
        for character in text.chars() {
            let glyph_id = scaled.glyph_id(character);
            if let Some(previous) = previous {
                caret += scaled.kern(previous, glyph_id);
            }
            let glyph = glyph_id.with_scale_and_position(scale, point(caret, baseline));
            caret += scaled.h_advance(glyph_id);
            previous = Some(glyph_id);
            let Some(outlined) = self.font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outlined.px_bounds();
            outlined.draw(|x, y, coverage| {
                let x = bounds.min.x as i32 + x as i32;
                let y = bounds.min.y as i32 + y as i32;
                if (0..width).contains(&x) && (0..height).contains(&y) {
                    let index = (y * width + x) as usize;
                    pixels[index] = blend(pixels[index], colour, coverage);
                }
            });
        }
    }

    /// Writes `text` centred on `centre_x`.
    pub(crate) fn centred_text(
        &mut self,
        text: &str,
        centre_x: f32,
        baseline: f32,
        size: f32,
        colour: Colour,
    ) {
        let width = self.text_width(text, size);
        self.text(text, centre_x - width / 2.0, baseline, size, colour);
    }
}

/// `colour` laid over `destination` with `coverage` (0–1) of the pixel covered.
pub(crate) fn blend(
    destination: PremultipliedColorU8,
    colour: Colour,
    coverage: f32,
) -> PremultipliedColorU8 {
    let cover = coverage.clamp(0.0, 1.0) * f32::from(colour.3) / 255.0;
    let mix = |source: u8, under: u8| {
        (f32::from(source) * cover + f32::from(under) * (1.0 - cover)).round() as u8
    };
    let alpha = mix(255, destination.alpha());
    PremultipliedColorU8::from_rgba(
        mix(colour.0, destination.red()).min(alpha),
        mix(colour.1, destination.green()).min(alpha),
        mix(colour.2, destination.blue()).min(alpha),
        alpha,
    )
    .unwrap_or(destination)
}

pub(crate) fn multipolygon_path(
    frame: &Frame,
    shape: &MultiPolygon<f64>,
) -> Option<tiny_skia::Path> {
    let mut builder = PathBuilder::new();
    for polygon in shape {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            add_line(&mut builder, frame, ring);
            builder.close();
        }
    }
    builder.finish()
}

pub(crate) fn add_line(builder: &mut PathBuilder, frame: &Frame, line: &LineString<f64>) {
    for (index, coordinate) in line.coords().enumerate() {
        let (x, y) = frame.pixel(*coordinate);
        if index == 0 {
            builder.move_to(x, y);
        } else {
            builder.line_to(x, y);
        }
    }
}
