//! Text on bitmaps, laid out properly.
//!
//! plotters 0.3.7 draws `ab_glyph` text glyph by glyph at the pen position but drops each
//! glyph's left side bearing, so narrow letters drift ("f it" for "fit"). [`Crisp`] wraps the
//! bitmap backend and draws text itself with the bundled font: side bearings, kerning and
//! sub-pixel pen positions, anti-aliased coverage, anchors and the four rotations. Everything
//! else is handed to the wrapped backend unchanged.

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters::prelude::BitMapBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// The bundled font, parsed once.
pub(super) fn font() -> std::result::Result<&'static FontRef<'static>, String> {
    static FONT: OnceLock<std::result::Result<FontRef<'static>, String>> = OnceLock::new();
    FONT.get_or_init(|| {
        FontRef::try_from_slice(super::FONT_DATA)
            .map_err(|e| format!("the bundled font DejaVuSans.ttf cannot be read: {e}"))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Glyphs positioned along a baseline at the font's ascent, and the advance width.
fn layout(font: &FontRef<'static>, size: f32, text: &str) -> (Vec<ab_glyph::Glyph>, f32, f32) {
    let scale = PxScale::from(size);
    let sf = font.as_scaled(scale);
    let mut caret = 0.0f32;
    let mut prev = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = sf.glyph_id(c);
        if let Some(p) = prev {
            caret += sf.kern(p, id);
        }
        glyphs.push(id.with_scale_and_position(scale, point(caret, sf.ascent())));
        caret += sf.h_advance(id);
        prev = Some(id);
    }
    (glyphs, caret, sf.ascent() - sf.descent())
}

/// A bitmap backend with correctly laid-out text (see the module docs).
pub(super) struct Crisp<'a> {
    inner: BitMapBackend<'a>,
    font: &'static FontRef<'static>,
}

impl std::fmt::Debug for Crisp<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Crisp(BitMapBackend)")
    }
}

impl<'a> Crisp<'a> {
    pub(super) fn new(inner: BitMapBackend<'a>, font: &'static FontRef<'static>) -> Self {
        Self { inner, font }
    }
}

type Err<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

/// Drawing methods that [`Crisp`] hands to the wrapped backend unchanged: each is written
/// once as its name, generics and arguments, and calls the same method of `inner`.
macro_rules! forward {
    ($(fn $name:ident $(<$($g:ident: $b:path),*>)? ($($arg:ident: $ty:ty),* $(,)?);)*) => {
        $(
            fn $name $(<$($g: $b),*>)? (
                &mut self,
                $($arg: $ty),*
            ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
                self.inner.$name($($arg),*)
            }
        )*
    };
}

impl<'a> DrawingBackend for Crisp<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    forward! {
        fn ensure_prepared();
        fn present();
        fn draw_pixel(point: BackendCoord, color: BackendColor);
        fn draw_line<S: BackendStyle>(from: BackendCoord, to: BackendCoord, style: &S);
        fn draw_rect<S: BackendStyle>(
            upper_left: BackendCoord,
            bottom_right: BackendCoord,
            style: &S,
            fill: bool,
        );
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(path: I, style: &S);
        fn draw_circle<S: BackendStyle>(center: BackendCoord, radius: u32, style: &S, fill: bool);
        fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(vert: I, style: &S);
        fn blit_bitmap(pos: BackendCoord, size: (u32, u32), src: &[u8]);
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), Err<'a>> {
        let (_, w, h) = layout(self.font, style.size() as f32, text);
        Ok((w.ceil().max(0.0) as u32, h.ceil().max(0.0) as u32))
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), Err<'a>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let (glyphs, width, height) = layout(self.font, style.size() as f32, text);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Right => -width,
            HPos::Center => -width / 2.0,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -height / 2.0,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let (w, h) = self.inner.get_size();
        let mut result = Ok(());
        for g in glyphs {
            let Some(outline) = self.font.outline_glyph(g) else {
                continue;
            };
            let b = outline.px_bounds();
            let (x0, y0) = ((b.min.x + dx).round() as i32, (b.min.y + dy).round() as i32);
            let inner = &mut self.inner;
            outline.draw(|x, y, coverage| {
                if coverage <= 0.0 || result.is_err() {
                    return;
                }
                let (tx, ty) = trans.transform(x0 + x as i32, y0 + y as i32);
                let (px, py) = (pos.0 + tx, pos.1 + ty);
                if px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h {
                    result = inner.draw_pixel(
                        (px, py),
                        BackendColor {
                            alpha: color.alpha * f64::from(coverage.min(1.0)),
                            rgb: color.rgb,
                        },
                    );
                }
            });
        }
        result
    }
}
