//! The postal letter to the legal representative (PRODUCT.md §4): a print-ready A4 PDF in
//! French, address block placed for a DL window envelope (window on the right, 45 × 100 mm).
//! Rendered from the outbox row whenever it is needed, so the plain code is stored once.

use inscription_shared::dates::long_date;
use inscription_shared::pages::Page;

use crate::domain::LetterStatus;
use crate::lender::Lender;
use crate::pdf::{self, wrap, PdfError, Writer, BRAND, LEFT};

/// What one letter says.
#[derive(Clone)]
pub struct LetterContent {
    pub reference: String,
    pub date: String,
    pub establishment_name: String,
    pub client_number: String,
    pub legal_representative_title: String,
    pub address_lines: Vec<String>,
    pub candidate_name: String,
    pub candidate_email: String,
    /// The temporary password, printed in groups of four; [`ERASED`] once dispatched.
    pub code: String,
    /// The "not you?" code, printed in groups of four; [`ERASED`] once dispatched.
    pub opposition_code: Option<String>,
    pub code_expires_on: String,
    pub public_url: String,
    pub lender_name: String,
    /// The support's free number, as printed.
    pub support_phone: String,
}

impl std::fmt::Debug for LetterContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LetterContent")
            .field("reference", &self.reference)
            .field("establishment_name", &self.establishment_name)
            .field("code", &"***")
            .field("opposition_code", &"***")
            .finish_non_exhaustive()
    }
}

fn draw(writer: &mut Writer<'_, '_>, l: &LetterContent) {
    // Header: the lender's service.
    writer.color(BRAND);
    writer.rect(0.0, 0.0, 210.0, 8.0);
    writer.text_at(LEFT, 20.0, 16.0, true, &l.lender_name);
    writer.color((30, 30, 30));
    writer.text_at(
        LEFT,
        26.0,
        10.0,
        false,
        "Prêts sur fonds d’épargne — Services en ligne — Inscription des établissements clients",
    );
    writer.text_at(
        LEFT,
        36.0,
        9.0,
        false,
        &format!("Référence\u{a0}: {}", l.reference),
    );
    writer.text_at(
        LEFT,
        41.0,
        9.0,
        false,
        &format!("Numéro client\u{a0}: {}", l.client_number),
    );

    // Address block, in the window of a DL envelope.
    let mut y = 55.0;
    writer.text_at(110.0, y, 10.0, true, &l.establishment_name);
    y += 5.0;
    let attention = format!(
        "À l’attention du représentant légal ({})",
        l.legal_representative_title
    );
    for line in wrap(&attention, 44) {
        writer.text_at(110.0, y, 10.0, false, &line);
        y += 5.0;
    }
    for line in &l.address_lines {
        writer.text_at(110.0, y, 10.0, false, line);
        y += 5.0;
    }

    writer.y = 105.0;
    writer.text_at(
        130.0,
        writer.y - 8.0,
        10.0,
        false,
        &format!("Le {}", l.date),
    );
    writer.paragraph(
        11.0,
        true,
        "Objet\u{a0}: désignation de l’administrateur des services en ligne de votre établissement",
    );
    writer.paragraph(10.0, false, "Madame, Monsieur,");
    writer.paragraph(
        10.0,
        false,
        &format!(
            "La personne ci-dessous vient de s’inscrire aux services en ligne des prêts sur fonds d’épargne en tant que premier utilisateur de votre établissement, {}\u{a0}:",
            l.establishment_name
        ),
    );
    writer.paragraph(
        10.0,
        true,
        &format!("{} — {}", l.candidate_name, l.candidate_email),
    );
    writer.paragraph(
        10.0,
        false,
        "En lui remettant le mot de passe temporaire ci-dessous, vous la désignez administrateur des services en ligne de votre établissement. Elle pourra alors activer son compte, valider les demandes des autres utilisateurs et leur attribuer des habilitations. Tous les actes accomplis au moyen des services en ligne par les utilisateurs de votre établissement engagent celui-ci.",
    );
    writer.y += 2.0;
    writer.color((231, 241, 247));
    writer.rect(LEFT, writer.y - 6.0, 170.0, 24.0);
    writer.color((30, 30, 30));
    writer.text_at(
        LEFT + 5.0,
        writer.y,
        10.0,
        false,
        "Mot de passe temporaire, à usage unique\u{a0}:",
    );
    writer.text_at(LEFT + 5.0, writer.y + 9.0, 18.0, true, &l.code);
    writer.text_at(
        LEFT + 5.0,
        writer.y + 15.0,
        9.0,
        false,
        &format!("Valable jusqu’au {} inclus.", l.code_expires_on),
    );
    writer.y += 26.0;
    writer.paragraph(
        10.0,
        false,
        &format!(
            "Pour activer son compte, la personne désignée se connecte sur {}{} avec son adresse électronique et ce mot de passe temporaire, puis choisit son propre mot de passe. Ne communiquez ce mot de passe à personne d’autre.",
            l.public_url,
            Page::SignIn
        ),
    );
    match &l.opposition_code {
        Some(code) => {
            writer.paragraph(
                10.0,
                true,
                "Vous ne connaissez pas cette personne, ou ne souhaitez pas lui confier ce rôle\u{a0}?",
            );
            writer.paragraph(
                10.0,
                false,
                &format!(
                    "Ne lui remettez pas ce mot de passe et annulez son inscription sur {}{} avec votre numéro client et ce code d’opposition\u{a0}: {code}. Vous pouvez aussi nous appeler.",
                    l.public_url,
                    Page::NotYou
                ),
            );
        }
        None => writer.paragraph(
            10.0,
            false,
            "Si vous ne connaissez pas cette personne ou ne souhaitez pas lui confier ce rôle, ne lui remettez pas ce mot de passe et contactez-nous\u{a0}: son inscription sera annulée.",
        ),
    }
    writer.paragraph(
        10.0,
        false,
        "Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.",
    );
    writer.paragraph(
        10.0,
        false,
        &format!("Le service Relation clients — {}", l.lender_name),
    );

    // Footer: support contacts.
    writer.color(BRAND);
    writer.text_at(LEFT, 275.0, 9.0, true, "Une question\u{a0}? Contactez-nous");
    writer.color((30, 30, 30));
    writer.text_at(
        LEFT,
        280.0,
        9.0,
        false,
        &format!(
            "Numéro vert {} (service et appel gratuits) — formulaire de contact\u{a0}: {}{}",
            l.support_phone,
            l.public_url,
            Page::Contact
        ),
    );
}

/// What a dispatched or cancelled letter shows instead of its codes.
pub const ERASED: &str = "(effacé après l’envoi)";

impl LetterContent {
    /// The letter of an outbox row; once dispatched, its codes read [`ERASED`].
    pub fn of(row: &crate::db::letters::LetterRow, lender: &Lender, public_url: &str) -> Self {
        let mut address_lines = vec![row.address_line1.clone()];
        if !row.address_line2.is_empty() {
            address_lines.push(row.address_line2.clone());
        }
        address_lines.push(format!("{} {}", row.postcode, row.city.to_uppercase()));
        Self {
            reference: reference(row.id),
            date: long_date(row.created_at, &lender.zone),
            establishment_name: row.establishment_name.clone(),
            client_number: row.client_number.clone(),
            legal_representative_title: row.legal_representative_title.clone(),
            address_lines,
            candidate_name: format!("{} {} {}", row.civility, row.first_name, row.last_name),
            candidate_email: row.email.clone(),
            code: row
                .temporary_password
                .clone()
                .unwrap_or_else(|| ERASED.into()),
            // Letters queued before the "not you?" route had no code to print.
            opposition_code: match (&row.opposition_code, row.status) {
                (Some(code), _) => Some(code.clone()),
                (None, LetterStatus::Queued) => None,
                (None, LetterStatus::Dispatched | LetterStatus::Cancelled) => Some(ERASED.into()),
            },
            code_expires_on: long_date(row.code_expires_at, &lender.zone),
            public_url: public_url.to_owned(),
            lender_name: lender.name.clone(),
            support_phone: lender.phone.clone(),
        }
    }
}

/// The reference printed on a letter and shown in the outbox.
pub fn reference(id: i64) -> String {
    format!("INS-{id:06}")
}

/// One PDF holding every letter, each on its own page, in order.
pub fn render(letters: &[LetterContent]) -> Result<Vec<u8>, PdfError> {
    pdf::render(letters, draw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_whole() {
        assert_eq!(
            wrap("un deux trois quatre", 9),
            ["un deux", "trois", "quatre"]
        );
    }
}
