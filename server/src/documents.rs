//! Documents the pages link to: the registration tutorial, which walks both cases, the
//! letter, activation and the administrator's first steps with the product's own
//! screenshots. The browser tests take them (`e2e/tests/tutorial.test.mjs`) and
//! `scripts/tutorial-screens.sh` copies them into `server/tutorial/`: nobody draws them.

use std::sync::{Arc, OnceLock};

use crate::lender::Lender;
use crate::pdf::{self, PdfError, Writer, BRAND, LEFT};

/// The documents, made at their first request and kept (they only change with the
/// configuration). Not at start-up: the tutorial's screens take about 2 s to embed in a
/// debug build, which every server start (and every test) would pay.
#[derive(Debug)]
pub struct Documents {
    lender: Lender,
    tutorial: OnceLock<Arc<[u8]>>,
}

impl Documents {
    pub fn new(lender: &Lender) -> Self {
        Self {
            lender: lender.clone(),
            tutorial: OnceLock::new(),
        }
    }

    /// The tutorial PDF, rendered off the async threads the first time.
    pub async fn tutorial(self: &Arc<Self>) -> Result<Arc<[u8]>, PdfError> {
        if let Some(pdf) = self.tutorial.get() {
            return Ok(pdf.clone());
        }
        let documents = self.clone();
        let made = tokio::task::spawn_blocking(move || documents.render_tutorial())
            .await
            .map_err(|e| PdfError::new(e.to_string()))??;
        Ok(self.tutorial.get_or_init(|| made).clone())
    }

    fn render_tutorial(&self) -> Result<Arc<[u8]>, PdfError> {
        let pages = tutorial_pages(&self.lender);
        Ok(pdf::render(&pages, |w, page| draw_page(w, page, &self.lender))?.into())
    }
}

/// One page of the tutorial: a title, what to do, and the screen it shows.
struct Page {
    title: &'static str,
    paragraphs: Vec<String>,
    screen: Option<&'static [u8]>,
}

macro_rules! screen {
    ($file:literal) => {
        Some(include_bytes!(concat!("../tutorial/", $file)) as &'static [u8])
    };
}

fn tutorial_pages(lender: &Lender) -> Vec<Page> {
    let phone = lender.free_phone();
    vec![
        Page {
            title: "Avant de commencer\u{a0}: votre numéro client",
            paragraphs: vec![
                "Les services en ligne sont réservés aux établissements clients. Pour créer votre compte, munissez-vous du numéro client de votre établissement. Il figure sur la plupart des courriers et documents que nous vous adressons\u{a0}: contrats de prêt (en première page, sous la mention «\u{a0}Numéro client\u{a0}»), échéanciers et tableaux d’amortissement, avis d’échéance, relevés annuels d’encours.".into(),
                "Il y est souvent imprimé sur 9\u{a0}chiffres, avec des zéros devant et parfois des espaces («\u{a0}000\u{a0}237\u{a0}517\u{a0}»)\u{a0}: saisissez seulement les 5 ou 6\u{a0}chiffres qui suivent les zéros («\u{a0}237517\u{a0}»). Si vous tapez les zéros ou les espaces, la page vous le signale aussitôt et propose de corriger le numéro en un clic.".into(),
            ],
            screen: screen!("01-numero.png"),
        },
        Page {
            title: "Étape 1 sur 2\u{a0}: votre établissement",
            paragraphs: vec![
                "Sur la page d’accueil, choisissez «\u{a0}Créer un compte\u{a0}». Saisissez le numéro client, cochez la case «\u{a0}Je ne suis pas un robot\u{a0}», puis choisissez «\u{a0}Valider\u{a0}». La suite dépend de votre établissement\u{a0}: soit vous êtes le premier de ses utilisateurs à vous inscrire (cas\u{a0}1), soit un compte existe déjà (cas\u{a0}2).".into(),
            ],
            screen: screen!("02-etape-1.png"),
        },
        Page {
            title: "Cas 1\u{a0}: vous êtes le premier utilisateur de votre établissement",
            paragraphs: vec![
                "Vous en deviendrez l’administrateur\u{a0}: vous validerez les demandes des autres utilisateurs et gérerez leurs habilitations. Vérifiez auprès de votre représentant légal (le maire ou le président pour une collectivité, le directeur général ou le président pour un organisme ou une société) que vous pouvez prendre ce rôle.".into(),
                "Renseignez votre civilité, vos nom et prénom, votre fonction, votre adresse électronique et votre téléphone professionnels, acceptez le rôle d’administrateur et les conditions générales d’utilisation, puis validez.".into(),
            ],
            screen: screen!("03-cas-1.png"),
        },
        Page {
            title: "Le courrier au représentant légal",
            paragraphs: vec![
                "Votre mot de passe temporaire n’est pas affiché à l’écran\u{a0}: il est envoyé par courrier postal au représentant légal de votre établissement, à l’adresse que nous connaissons. Une fois posté, un courrier met en général de 2 à 4\u{a0}jours ouvrés à arriver. Ce courrier n’est pas nominatif («\u{a0}à l’attention du représentant légal\u{a0}»)\u{a0}: prévenez votre représentant légal de son arrivée.".into(),
                "Le courrier donne votre nom et votre adresse électronique, le mot de passe temporaire et sa date de fin de validité. En vous le remettant, le représentant légal vous désigne administrateur. S’il ne vous connaît pas, il ne vous le remet pas et annule l’inscription avec le code d’opposition imprimé sur le même courrier.".into(),
            ],
            screen: screen!("04-confirmation-cas-1.png"),
        },
        Page {
            title: "Activer votre compte d’administrateur",
            paragraphs: vec![
                "Une fois le courrier reçu, choisissez «\u{a0}Se connecter\u{a0}»\u{a0}: saisissez votre adresse électronique et le mot de passe temporaire, tel qu’il est imprimé (les tirets et les majuscules sont facultatifs). Choisissez ensuite votre propre mot de passe\u{a0}: au moins 12\u{a0}caractères avec majuscules, minuscules, chiffres et caractères spéciaux, ou une phrase de passe plus longue. La page vous indique au fur et à mesure les critères remplis.".into(),
            ],
            screen: screen!("05-activation.png"),
        },
        Page {
            title: "Cas 2\u{a0}: un compte existe déjà pour votre établissement",
            paragraphs: vec![
                "Renseignez les mêmes informations et choisissez votre mot de passe. Un message vous est envoyé\u{a0}: ouvrez le lien qu’il contient pour confirmer votre adresse électronique (il est valable 48\u{a0}heures). Votre demande est alors transmise à l’administrateur de votre établissement, qui la valide et vous attribue vos habilitations. Sa décision vous est annoncée par courrier électronique.".into(),
            ],
            screen: screen!("06-cas-2.png"),
        },
        Page {
            title: "Premiers pas de l’administrateur",
            paragraphs: vec![
                "D’abord, protégez votre compte\u{a0}: votre rôle demande un second facteur. Dans «\u{a0}Mon espace\u{a0}», choisissez «\u{a0}Sécurité de mon compte\u{a0}» et ajoutez une clé d’accès (l’empreinte, le visage ou le code de déverrouillage de votre ordinateur ou de votre téléphone) ou une application de codes à usage unique. L’administration de votre établissement l’attend.".into(),
                "Dans «\u{a0}Mon espace\u{a0}», choisissez ensuite «\u{a0}Administration de mon établissement\u{a0}». Chaque demande en attente y figure avec l’identité de la personne\u{a0}: cochez les services auxquels elle doit accéder, puis validez la demande, ou refusez-la en indiquant le motif. Vous pouvez ensuite modifier les habilitations de chacun, désactiver un compte ou nommer d’autres administrateurs\u{a0}: un établissement garde toujours au moins un administrateur actif.".into(),
                format!("Une question\u{a0}? Contactez-nous\u{a0}: numéro vert {phone}, ou le formulaire de contact en ligne (lien «\u{a0}Contactez-nous\u{a0}» en bas de chaque page)."),
            ],
            screen: screen!("07-administration.png"),
        },
    ]
}

fn draw_page(w: &mut Writer<'_, '_>, page: &Page, lender: &Lender) {
    w.color(BRAND);
    w.rect(0.0, 0.0, 210.0, 8.0);
    w.text_at(
        LEFT,
        18.0,
        10.0,
        true,
        &format!("{} — Créer votre compte aux services en ligne", lender.name),
    );
    w.text_at(LEFT, 30.0, 15.0, true, page.title);
    w.color((30, 30, 30));
    w.y = 42.0;
    for paragraph in &page.paragraphs {
        w.paragraph(10.0, false, paragraph);
    }
    if let Some(png) = page.screen {
        w.y += 2.0;
        w.png(png, 170.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorial_renders_its_seven_pages_with_their_screens() {
        let lender = Lender::new("Prêteur", "0 800 887 300", "Europe/Paris").unwrap();
        let tutorial = Documents::new(&lender).render_tutorial().unwrap();
        assert!(tutorial.starts_with(b"%PDF-"));
        // The screens are in it: far more than the text alone would weigh.
        assert!(tutorial.len() > 300_000, "{}", tutorial.len());
    }
}
