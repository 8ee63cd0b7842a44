//! QR codes drawn as SVG on the server, so the secret they carry never
//! leaves for an outside image service.

use crate::error::{AppError, AppResult};
use qrcode::render::svg;
use qrcode::QrCode;

/// An inline SVG of `text` as a QR code, black on white with a quiet zone.
pub fn svg(text: &str) -> AppResult<String> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| {
        tracing::error!(error = %e, "QR code could not be made");
        AppError::Internal
    })?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(220, 220)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Inline in the page: the XML declaration has no place there.
    Ok(match image.find("<svg") {
        Some(start) => image[start..].to_owned(),
        None => image,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_qr_code_is_an_inline_svg() {
        let image = super::svg("otpauth://totp/Example:a@example.org?secret=GEZDGNBVGY3TQOJQ").unwrap();
        assert!(image.starts_with("<svg") && image.trim_end().ends_with("</svg>"));
        assert!(image.contains("#000000"));
    }
}
