//! The sheet's one drawing surface: an SVG document in millimetres of paper. PNG (resvg), PDF
//! (svg2pdf) and the SVG file are all made from it, so the three never differ. Text stays text,
//! in the bundled font, so the PDF's Chinese can be searched and copied.

use std::fmt::Write as _;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use base64::Engine as _;
use geo::{Coord, LineString, MultiPolygon, Rect};

/// The font family the sheet's text asks for: the bundled Noto Sans CJK SC, then what a reader of
/// the SVG file may have if the embedded font is not honoured.
pub(crate) const FONT_FAMILY: &str = "Noto Sans CJK SC";
const FALLBACK_FAMILIES: &str =
    "'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/// An RGB colour with straight alpha.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Colour(pub(crate) u8, pub(crate) u8, pub(crate) u8, pub(crate) u8);

impl Colour {
    /// `fill="…"`-style attributes for the colour under `property` (fill or stroke).
    fn attributes(self, property: &str) -> String {
        let Colour(red, green, blue, alpha) = self;
        if alpha == 255 {
            format!(r##"{property}="#{red:02x}{green:02x}{blue:02x}""##)
        } else {
            format!(
                r##"{property}="#{red:02x}{green:02x}{blue:02x}" {property}-opacity="{:.3}""##,
                f32::from(alpha) / 255.0
            )
        }
    }
}

/// How a line is drawn: colour, width in millimetres, and dashes (on, off) where dashed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub(crate) colour: Colour,
    pub(crate) width: f32,
    pub(crate) dash: Option<[f32; 2]>,
}

impl Line {
    pub(crate) fn solid(colour: Colour, width: f32) -> Self {
        Self {
            colour,
            width,
            dash: None,
        }
    }
}

/// Where a text's anchor lies on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// Metres → millimetres of paper, north up: a uniform scale about the map's centre.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    /// Millimetres of paper per metre of ground.
    pub(crate) scale: f64,
    /// Metres at the frame's centre.
    pub(crate) centre: Coord<f64>,
    /// Paper at the frame's centre (mm).
    pub(crate) centre_on_paper: (f64, f64),
}

impl Frame {
    /// The point (metres) under a point of paper.
    pub(crate) fn metres(&self, x: f64, y: f64) -> Coord<f64> {
        Coord {
            x: self.centre.x + (x - self.centre_on_paper.0) / self.scale,
            y: self.centre.y - (y - self.centre_on_paper.1) / self.scale,
        }
    }

    /// The point of paper (mm) over a point (metres).
    pub(crate) fn paper(&self, metres: Coord<f64>) -> (f32, f32) {
        (
            (self.centre_on_paper.0 + (metres.x - self.centre.x) * self.scale) as f32,
            (self.centre_on_paper.1 - (metres.y - self.centre.y) * self.scale) as f32,
        )
    }

    /// The ground's extent under the paper rectangle `area` (left, top, width, height).
    pub(crate) fn ground_under(&self, area: [f32; 4]) -> Rect<f64> {
        let [left, top, width, height] = area.map(f64::from);
        Rect::new(
            self.metres(left, top + height),
            self.metres(left + width, top),
        )
    }
}

/// An SVG path's data, built move by line.
#[derive(Debug, Default)]
pub(crate) struct PathData {
    data: String,
}

impl PathData {
    pub(crate) fn move_to(&mut self, (x, y): (f32, f32)) -> &mut Self {
        let _ = write!(self.data, "M{x:.2} {y:.2}");
        self
    }

    pub(crate) fn line_to(&mut self, (x, y): (f32, f32)) -> &mut Self {
        let _ = write!(self.data, "L{x:.2} {y:.2}");
        self
    }

    pub(crate) fn close(&mut self) -> &mut Self {
        self.data.push('Z');
        self
    }

    /// Adds `line` (metres) through `frame`; `closed` closes it as a ring.
    pub(crate) fn add_line(&mut self, frame: &Frame, line: &LineString<f64>, closed: bool) {
        for (index, coordinate) in line.coords().enumerate() {
            let point = frame.paper(*coordinate);
            if index == 0 {
                self.move_to(point);
            } else {
                self.line_to(point);
            }
        }
        if closed && line.0.len() > 1 {
            self.close();
        }
    }

    /// Every ring of `shape` (metres) through `frame`.
    pub(crate) fn of_multipolygon(frame: &Frame, shape: &MultiPolygon<f64>) -> Self {
        let mut path = PathData::default();
        for polygon in shape {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                path.add_line(frame, ring, true);
            }
        }
        path
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// The sheet being drawn: SVG elements in millimetres, and the font to measure text with.
pub(crate) struct Surface {
    body: String,
    defs: String,
    font: FontRef<'static>,
    /// Every character written, so the SVG file embeds just their glyphs.
    characters: std::collections::BTreeSet<char>,
    clips: usize,
}

impl Surface {
    pub(crate) fn new(font: FontRef<'static>) -> Self {
        Self {
            body: String::new(),
            defs: String::new(),
            font,
            characters: std::collections::BTreeSet::new(),
            clips: 0,
        }
    }

    pub(crate) fn rectangle(
        &mut self,
        [left, top, width, height]: [f32; 4],
        fill: Option<Colour>,
        line: Option<Line>,
    ) {
        let _ = write!(
            self.body,
            r#"<rect x="{left:.2}" y="{top:.2}" width="{width:.2}" height="{height:.2}" {}/>"#,
            paint(fill, line)
        );
        self.body.push('\n');
    }

    pub(crate) fn path(&mut self, path: &PathData, fill: Option<Colour>, line: Option<Line>) {
        if path.is_empty() {
            return;
        }
        let _ = write!(
            self.body,
            r#"<path d="{}" fill-rule="evenodd" stroke-linejoin="round" {}/>"#,
            path.data,
            paint(fill, line)
        );
        self.body.push('\n');
    }

    /// The width of `text` at `size` (mm, the font's em, as SVG's `font-size` is).
    pub(crate) fn text_width(&self, text: &str, size: f32) -> f32 {
        // ab_glyph scales by the font's height (ascent to descent), SVG by its em.
        let em = self.font.units_per_em().unwrap_or(1000.0);
        let scaled = self
            .font
            .as_scaled(PxScale::from(size * self.font.height_unscaled() / em));
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

    /// `text` cut with an ellipsis to fit `width` at `size`.
    pub(crate) fn fitted(&self, text: &str, size: f32, width: f32) -> String {
        if self.text_width(text, size) <= width {
            return text.to_owned();
        }
        let mut characters: Vec<char> = text.chars().collect();
        while !characters.is_empty() {
            characters.pop();
            let shortened: String = characters.iter().chain(['…'].iter()).collect();
            if self.text_width(&shortened, size) <= width {
                return shortened;
            }
        }
        "…".to_owned()
    }

    /// Writes `text` with its baseline at `baseline`, anchored at `x`.
    pub(crate) fn text(
        &mut self,
        text: &str,
        (x, baseline): (f32, f32),
        size: f32,
        colour: Colour,
        anchor: Anchor,
    ) {
        if text.is_empty() {
            return;
        }
        self.characters.extend(text.chars());
        let anchor = match anchor {
            Anchor::Start => "",
            Anchor::Middle => r#" text-anchor="middle""#,
            Anchor::End => r#" text-anchor="end""#,
        };
        let _ = write!(
            self.body,
            r#"<text x="{x:.2}" y="{baseline:.2}" font-size="{size:.2}"{anchor} {}>{}</text>"#,
            colour.attributes("fill"),
            escaped(text)
        );
        self.body.push('\n');
    }

    /// Draws what follows inside `area` only, until [`Surface::end_clip`].
    pub(crate) fn begin_clip(&mut self, [left, top, width, height]: [f32; 4]) {
        self.clips += 1;
        let _ = write!(
            self.defs,
            r#"<clipPath id="clip{}"><rect x="{left:.2}" y="{top:.2}" width="{width:.2}" height="{height:.2}"/></clipPath>"#,
            self.clips
        );
        let _ = writeln!(self.body, r#"<g clip-path="url(#clip{})">"#, self.clips);
    }

    pub(crate) fn end_clip(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// An image (PNG or JPEG bytes) of `size` pixels placed by the affine map `transform` from
    /// its pixels to paper (a, b, c, d, e, f as SVG's `matrix`).
    pub(crate) fn image(
        &mut self,
        bytes: &[u8],
        media_type: &str,
        (width, height): (u32, u32),
        transform: [f32; 6],
        opacity: f32,
    ) {
        let [a, b, c, d, e, f] = transform;
        let _ = writeln!(
            self.body,
            r#"<image width="{width}" height="{height}" opacity="{opacity:.3}" preserveAspectRatio="none" transform="matrix({a:.6} {b:.6} {c:.6} {d:.6} {e:.3} {f:.3})" href="data:{media_type};base64,{}"/>"#,
            base64::engine::general_purpose::STANDARD.encode(bytes)
        );
    }

    /// The SVG document of a page `width` × `height` mm; `embedded_font` (an OpenType font's
    /// bytes) goes in as an `@font-face`, for readers of the file without the font.
    pub(crate) fn document(&self, width: f64, height: f64, embedded_font: Option<&[u8]>) -> String {
        let mut document = String::with_capacity(self.body.len() + self.defs.len() + 1024);
        let _ = writeln!(
            document,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}, {FALLBACK_FAMILIES}">"#
        );
        document.push_str("<defs>");
        if let Some(font) = embedded_font {
            let _ = write!(
                document,
                r#"<style>@font-face {{ font-family: "{FONT_FAMILY}"; src: url(data:font/otf;base64,{}) format("opentype"); }}</style>"#,
                base64::engine::general_purpose::STANDARD.encode(font)
            );
        }
        document.push_str(&self.defs);
        document.push_str("</defs>\n");
        document.push_str(&self.body);
        document.push_str("</svg>\n");
        document
    }

    /// Every character the sheet writes.
    pub(crate) fn characters(&self) -> impl Iterator<Item = char> + '_ {
        self.characters.iter().copied()
    }
}

fn paint(fill: Option<Colour>, line: Option<Line>) -> String {
    let mut attributes = match fill {
        Some(colour) => colour.attributes("fill"),
        None => r#"fill="none""#.to_owned(),
    };
    if let Some(line) = line {
        let _ = write!(
            attributes,
            r#" {} stroke-width="{:.2}""#,
            line.colour.attributes("stroke"),
            line.width
        );
        if let Some([on, off]) = line.dash {
            let _ = write!(attributes, r#" stroke-dasharray="{on:.2} {off:.2}""#);
        }
    }
    attributes
}

/// `text` safe inside an SVG element.
fn escaped(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => safe.push_str("&amp;"),
            '<' => safe.push_str("&lt;"),
            '>' => safe.push_str("&gt;"),
            '"' => safe.push_str("&quot;"),
            // Control characters are not allowed in XML.
            character if character.is_control() => safe.push(' '),
            character => safe.push(character),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_so_names_with_markup_stay_text() {
        assert_eq!(
            escaped("A&B <社区> \"x\"\u{1}"),
            "A&amp;B &lt;社区&gt; &quot;x&quot; "
        );
    }

    #[test]
    fn translucent_colours_carry_their_opacity() {
        assert_eq!(
            Colour(255, 0, 16, 255).attributes("fill"),
            r##"fill="#ff0010""##
        );
        assert_eq!(
            Colour(0, 0, 0, 51).attributes("stroke"),
            r##"stroke="#000000" stroke-opacity="0.200""##
        );
    }
}
