//! QR codes for migration batches: PNG images and Unicode half blocks for a terminal.
//!
//! Codes use error correction level M (15 % damage tolerated) and a quiet zone of four modules,
//! as the QR standard asks. PNGs are 8-bit greyscale, dark modules black on white.

use qrcode::{Color, EcLevel, QrCode};
use zeroize::Zeroizing;

use super::ExportError;

/// Width of the quiet zone around a code, in modules.
pub const QUIET_ZONE: usize = 4;

fn code(data: &[u8]) -> Result<QrCode, ExportError> {
    QrCode::with_error_correction_level(data, EcLevel::M)
        .map_err(|_| ExportError::Encode("the data is too large for a QR code".into()))
}

/// A square grid of modules (`true` = dark) including the quiet zone, and its side length.
fn modules(data: &[u8]) -> Result<(Vec<bool>, usize), ExportError> {
    let code = code(data)?;
    let w = code.width();
    let side = w + 2 * QUIET_ZONE;
    let mut grid = vec![false; side * side];
    for (i, c) in code.to_colors().into_iter().enumerate() {
        let (x, y) = (i % w + QUIET_ZONE, i / w + QUIET_ZONE);
        grid[y * side + x] = c == Color::Dark;
    }
    Ok((grid, side))
}

/// The QR code of `data` as a PNG, each module `scale` pixels square (1–32). The image holds
/// the data in readable form, so it is returned in a zeroizing buffer.
pub fn png(data: &[u8], scale: u32) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let scale = scale.clamp(1, 32) as usize;
    let (grid, side) = modules(data)?;
    let px = side * scale;
    let mut pixels = Zeroizing::new(vec![0xffu8; px * px]);
    for y in 0..px {
        for x in 0..px {
            if grid[(y / scale) * side + x / scale] {
                pixels[y * px + x] = 0;
            }
        }
    }
    let dim = u32::try_from(px).map_err(|_| ExportError::Encode("image too large".into()))?;
    let mut out = Zeroizing::new(Vec::with_capacity(px * px / 8 + 1024));
    {
        let mut enc = png::Encoder::new(&mut *out, dim, dim);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc
            .write_header()
            .map_err(|_| ExportError::Encode("could not write the PNG".into()))?;
        w.write_image_data(&pixels)
            .map_err(|_| ExportError::Encode("could not write the PNG".into()))?;
        w.finish()
            .map_err(|_| ExportError::Encode("could not write the PNG".into()))?;
    }
    Ok(out)
}

/// The QR code of `data` as lines of Unicode half blocks (`▀ ▄ █` and space), two module rows
/// per text line. Light modules are drawn as filled blocks, so the code reads correctly on the
/// usual light-on-dark terminal; `dark_on_light` draws dark modules instead (for light
/// terminals).
pub fn terminal(data: &[u8], dark_on_light: bool) -> Result<Zeroizing<String>, ExportError> {
    let (grid, side) = modules(data)?;
    // `ink(x, y)`: whether this module is drawn as a filled block.
    let ink = |x: usize, y: usize| y < side && grid[y * side + x] == dark_on_light;
    let mut out = Zeroizing::new(String::with_capacity((side + 1) * side.div_ceil(2) * 3));
    for y in (0..side).step_by(2) {
        for x in 0..side {
            out.push(match (ink(x, y), ink(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a PNG made by [`png`] with rqrr (an independent QR reader).
    fn read_png(bytes: &[u8]) -> Vec<String> {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let (w, h) = (info.width as usize, info.height as usize);
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
        img.detect_grids()
            .into_iter()
            .map(|g| g.decode().unwrap().1)
            .collect()
    }

    #[test]
    fn png_decodes_back_to_the_data() {
        let data = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";
        let img = png(data.as_bytes(), 4).unwrap();
        assert_eq!(&img[1..4], b"PNG");
        assert_eq!(read_png(&img), vec![data.to_string()]);
    }

    #[test]
    fn large_payloads_still_decode() {
        let data = "A".repeat(1000);
        assert_eq!(read_png(&png(data.as_bytes(), 3).unwrap()), vec![data]);
        assert!(png(&[b'x'; 4000], 2).is_err());
    }

    #[test]
    fn terminal_rendering_matches_the_modules() {
        let (grid, side) = modules(b"hello").unwrap();
        let text = terminal(b"hello", true).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), side.div_ceil(2));
        for (row, line) in lines.iter().enumerate() {
            let chars: Vec<char> = line.chars().collect();
            assert_eq!(chars.len(), side);
            for (x, c) in chars.iter().enumerate() {
                let top = grid[2 * row * side + x];
                let bottom = 2 * row + 1 < side && grid[(2 * row + 1) * side + x];
                let expect = match (top, bottom) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                };
                assert_eq!(*c, expect, "row {row} col {x}");
            }
        }
        // The quiet zone is light: blank in dark-on-light, filled in the default style.
        assert!(lines[0].chars().all(|c| c == ' '));
        let inverted = terminal(b"hello", false).unwrap();
        assert!(inverted.lines().next().unwrap().chars().all(|c| c == '█'));
    }
}
