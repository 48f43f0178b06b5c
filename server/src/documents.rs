//! Documents the pages link to: the tutorial "where to find your client number".

use std::sync::OnceLock;

use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;

use crate::error::ApiError;
use crate::pdf::{self, PdfError, Writer, BRAND, LEFT};

fn draw_tutorial(w: &mut Writer<'_, '_>, _: &()) {
    w.color(BRAND);
    w.rect(0.0, 0.0, 210.0, 8.0);
    w.text_at(
        LEFT,
        22.0,
        16.0,
        true,
        "Prêts sur fonds d’épargne — Services en ligne",
    );
    w.color((30, 30, 30));
    w.text_at(
        LEFT,
        32.0,
        13.0,
        true,
        "Tutoriel : où trouver le numéro client de votre établissement ?",
    );
    w.y = 45.0;
    w.paragraph(10.0, false, "Pour créer votre compte, l’assistant d’inscription vous demande le numéro client de votre établissement. Il figure sur la plupart des courriers et documents que le prêteur vous adresse :");
    for item in [
        "• les contrats de prêt, en première page, sous la mention « Numéro client » ;",
        "• les échéanciers et tableaux d’amortissement, dans l’en-tête ;",
        "• les avis d’échéance et les courriers de versement des fonds ;",
        "• les relevés annuels d’encours.",
    ] {
        w.paragraph(10.0, false, item);
    }
    w.y += 3.0;
    w.paragraph(11.0, true, "Saisissez-le sans les zéros du début");
    w.paragraph(10.0, false, "Le numéro est souvent imprimé sur 9 chiffres, complété par des zéros devant. Seuls les 5 ou 6 derniers chiffres, à partir du premier chiffre qui n’est pas un zéro, forment votre numéro client :");
    w.color((231, 241, 247));
    w.rect(LEFT, w.y - 5.0, 170.0, 20.0);
    w.color((30, 30, 30));
    w.text_at(
        LEFT + 5.0,
        w.y + 1.0,
        10.0,
        false,
        "Imprimé sur le courrier : Numéro client 000237517",
    );
    w.text_at(LEFT + 5.0, w.y + 9.0, 12.0, true, "À saisir : 237517");
    w.y += 24.0;
    w.paragraph(10.0, false, "Si vous tapez les zéros, l’assistant vous le signale aussitôt et propose de corriger le numéro en un clic.");
    w.y += 3.0;
    w.paragraph(11.0, true, "Vous ne trouvez pas votre numéro ?");
    w.paragraph(10.0, false, "Contactez-nous : numéro vert 0 800 887 300 (service et appel gratuits), ou le formulaire de contact en ligne (lien « Contactez-nous » en bas de chaque page).");
}

/// The tutorial PDF, made once per process.
pub fn tutorial() -> Result<&'static [u8], PdfError> {
    static PDF: OnceLock<Vec<u8>> = OnceLock::new();
    if let Some(pdf) = PDF.get() {
        return Ok(pdf);
    }
    let made = pdf::render(&[()], draw_tutorial)?;
    Ok(PDF.get_or_init(|| made))
}

pub async fn tutorial_route() -> Result<impl IntoResponse, ApiError> {
    let pdf = tutorial().map_err(|e| ApiError::Internal(e.into()))?;
    Ok((
        [
            (CONTENT_TYPE, "application/pdf"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"tutoriel-numero-client.pdf\"",
            ),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        pdf,
    ))
}
