//! The API's route table: every endpoint with who may call it. The router is built from
//! this table and the authorization-matrix test walks it, so a new endpoint cannot escape
//! that test, nor the OpenAPI document built from it. Paths are relative to `/api`.

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

use super::endpoint::Doc;
use super::openapi;
use super::{account, administration, back_office as bo, captcha, contact, passkeys, registration};
use crate::state::AppState;

pub use super::endpoint::{Access, Endpoint};

/// The router under construction and the table of what it serves.
pub struct Api {
    pub router: Router<AppState>,
    pub endpoints: Vec<Endpoint>,
}

impl Api {
    fn add(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        route: MethodRouter<AppState>,
        doc: Doc,
    ) -> Self {
        self.router = self.router.route(path, route);
        self.endpoints.push(Endpoint {
            method,
            path,
            access,
            doc,
        });
        self
    }

    fn at<H, T>(
        self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
        doc: Doc,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = match method {
            Method::POST => MethodFilter::POST,
            Method::PUT => MethodFilter::PUT,
            Method::DELETE => MethodFilter::DELETE,
            _ => MethodFilter::GET,
        };
        self.add(method, path, access, on(filter, handler), doc)
    }
}

/// Every endpoint of the API.
pub fn api() -> Api {
    use inscription_shared::account::*;
    use inscription_shared::administration::*;
    use inscription_shared::contact::ContactRequest;
    use inscription_shared::operator::*;
    use inscription_shared::registration::*;
    use inscription_shared::second_factor::{PasskeyAnswer, PasskeyOptions};
    use Access::*;
    let (get, post, put, delete) = (Method::GET, Method::POST, Method::PUT, Method::DELETE);
    let api = Api {
        router: Router::new(),
        endpoints: Vec::new(),
    };
    api.at(
        get.clone(),
        "/openapi.json",
        Public,
        serve_document,
        Doc::new("Ce document").described(openapi::any_object),
    )
    .at(
        get.clone(),
        "/captcha",
        Public,
        captcha::config,
        Doc::new("Le fournisseur de CAPTCHA que la page doit montrer")
            .json::<crate::captcha::WidgetConfig>(),
    )
    .at(
        get.clone(),
        "/captcha/challenge",
        Public,
        captcha::challenge,
        Doc::new("Un défi du CAPTCHA auto-hébergé (404 avec reCAPTCHA)")
            .described(openapi::altcha_challenge),
    )
    .at(
        post.clone(),
        "/registration/step1",
        Public,
        registration::step1,
        Doc::new("Étape 1\u{a0}: le numéro client et le CAPTCHA")
            .body::<Step1Request>()
            .json::<Step1Response>(),
    )
    .at(
        post.clone(),
        "/registration/first-user",
        Public,
        registration::first_user,
        Doc::new("Étape 2\u{a0}: le premier utilisateur de l’établissement")
            .body::<FirstUserRequest>()
            .json::<Step2Response>(),
    )
    .at(
        post.clone(),
        "/registration/existing-account",
        Public,
        registration::existing_account,
        Doc::new("Étape 2\u{a0}: une demande d’accès à un établissement qui a déjà un compte")
            .body::<ExistingAccountRequest>()
            .json::<Step2Response>(),
    )
    .at(
        post.clone(),
        "/registration/verify-email",
        Public,
        registration::verify_email,
        Doc::new("Confirme l’adresse électronique d’une demande (lien du courriel)")
            .body::<registration::VerifyEmail>()
            .empty(),
    )
    .at(
        post.clone(),
        "/session",
        Public,
        account::sign_in,
        Doc::new("Connexion").body::<SignInRequest>().json::<Me>(),
    )
    .at(
        post.clone(),
        "/session/second-factor",
        Public,
        account::second_factor,
        Doc::new("Connexion, second temps\u{a0}: le code à usage unique ou un code de secours")
            .body::<inscription_shared::second_factor::CodeRequest>()
            .json::<Me>(),
    )
    .at(
        post.clone(),
        "/session/second-factor/passkey/options",
        Public,
        passkeys::begin_second_step,
        Doc::new("Connexion, second temps avec une clé d’accès\u{a0}: les options de WebAuthn")
            .json::<PasskeyOptions>(),
    )
    .at(
        post.clone(),
        "/session/second-factor/passkey",
        Public,
        passkeys::finish_second_step,
        Doc::new("Connexion, second temps\u{a0}: la réponse de la clé d’accès")
            .body::<PasskeyAnswer>()
            .json::<Me>(),
    )
    .at(
        post.clone(),
        "/session/passkey/options",
        Public,
        passkeys::begin_sign_in,
        Doc::new("Connexion avec une clé d’accès seule\u{a0}: les options de WebAuthn")
            .json::<PasskeyOptions>(),
    )
    .at(
        post.clone(),
        "/session/passkey",
        Public,
        passkeys::finish_sign_in,
        Doc::new("Connexion avec une clé d’accès seule\u{a0}: sa réponse, qui nomme la personne")
            .body::<PasskeyAnswer>()
            .json::<Me>(),
    )
    .at(
        delete.clone(),
        "/session",
        Public,
        account::sign_out,
        Doc::new("Déconnexion"),
    )
    .at(
        get.clone(),
        "/me",
        Session,
        account::me,
        Doc::new("La personne connectée").json::<Me>(),
    )
    .at(
        post.clone(),
        "/activation",
        Account,
        account::activate,
        Doc::new("Active le compte de l’administrateur avec le mot de passe du courrier")
            .body::<ActivationRequest>()
            .json::<Me>(),
    )
    .at(
        get.clone(),
        "/me/data",
        Account,
        account::my_data,
        Doc::new("Mes données\u{a0}: tout ce qui est gardé sur moi (le fichier à télécharger)")
            .query::<account::DataQuery>()
            .json::<inscription_shared::my_data::MyData>(),
    )
    .at(
        put.clone(),
        "/me",
        Account,
        account::correct,
        Doc::new("Corrige mon identité (civilité, nom, prénom, fonction, téléphone)")
            .body::<inscription_shared::my_data::Correction>()
            .empty(),
    )
    .at(
        delete.clone(),
        "/me",
        Account,
        account::close,
        Doc::new("Ferme mon compte et efface mes données (refusé au dernier administrateur actif)")
            .empty(),
    )
    .at(
        get.clone(),
        "/me/rights",
        Account,
        administration::my_rights,
        Doc::new("Mes droits par service").json::<MyRights>(),
    )
    .at(
        get.clone(),
        "/me/security",
        Account,
        account::security,
        Doc::new("Mon second facteur").json::<inscription_shared::second_factor::Security>(),
    )
    .at(
        post.clone(),
        "/me/totp",
        Account,
        account::start_totp,
        Doc::new("Commence l’ajout d’une application de codes à usage unique")
            .json::<inscription_shared::second_factor::TotpEnrolment>(),
    )
    .at(
        post.clone(),
        "/me/passkeys/options",
        Account,
        passkeys::begin_registration,
        Doc::new("Commence l’ajout d’une clé d’accès\u{a0}: les options de WebAuthn")
            .json::<PasskeyOptions>(),
    )
    .at(
        post.clone(),
        "/me/passkeys",
        Account,
        passkeys::finish_registration,
        Doc::new("Ajoute la clé d’accès, sous le nom donné\u{a0}; donne des codes de secours à qui n’en a plus, une fois")
            .body::<PasskeyAnswer>()
            .json::<inscription_shared::second_factor::RecoveryCodes>(),
    )
    .at(
        delete.clone(),
        "/me/passkeys/{id}",
        Account,
        passkeys::remove,
        Doc::new("Retire une de mes clés d’accès"),
    )
    .at(
        post.clone(),
        "/me/reauthentication/passkey/options",
        Account,
        passkeys::begin_reauthentication,
        Doc::new("Confirme de nouveau le second facteur avec une clé d’accès\u{a0}: les options")
            .json::<PasskeyOptions>(),
    )
    .at(
        post.clone(),
        "/me/reauthentication/passkey",
        Account,
        passkeys::finish_reauthentication,
        Doc::new("Confirme de nouveau le second facteur\u{a0}: la réponse de la clé d’accès")
            .body::<PasskeyAnswer>(),
    )
    .at(
        post.clone(),
        "/me/reauthentication",
        Account,
        account::reauthenticate,
        Doc::new("Confirme de nouveau le second facteur, avant une action sensible")
            .body::<inscription_shared::second_factor::CodeRequest>(),
    )
    .at(
        post.clone(),
        "/me/totp/confirmation",
        Account,
        account::confirm_totp,
        Doc::new("Confirme l’application par un code\u{a0}; donne les codes de secours, une fois")
            .body::<inscription_shared::second_factor::CodeRequest>()
            .json::<inscription_shared::second_factor::RecoveryCodes>(),
    )
    .at(
        post.clone(),
        "/password/forgotten",
        Public,
        account::forgotten_password,
        Doc::new("Mot de passe oublié\u{a0}: envoie un lien")
            .body::<ForgottenPassword>()
            .json::<account::Message>(),
    )
    .at(
        post.clone(),
        "/password/reset",
        Public,
        account::reset_password,
        Doc::new("Choisit un nouveau mot de passe (lien du courriel)").body::<PasswordReset>(),
    )
    .at(
        post.clone(),
        "/contact",
        Public,
        contact::send,
        Doc::new("Écrit au support").body::<ContactRequest>(),
    )
    .at(
        post.clone(),
        "/opposition",
        Public,
        contact::oppose,
        Doc::new(
            "«\u{a0}Pas vous\u{a0}?\u{a0}»\u{a0}: le représentant légal annule une candidature",
        )
        .body::<Opposition>(),
    )
    .at(
        get.clone(),
        "/admin/console",
        Administrator,
        administration::console,
        Doc::new("La console de l’administrateur").json::<Console>(),
    )
    .at(
        post.clone(),
        "/admin/users/{id}/validate",
        Administrator,
        administration::validate,
        Doc::new("Valide une demande d’accès avec ses droits").body::<RightsUpdate>(),
    )
    .at(
        post.clone(),
        "/admin/users/{id}/refuse",
        Administrator,
        administration::refuse,
        Doc::new("Refuse une demande d’accès").body::<Refusal>(),
    )
    .at(
        put.clone(),
        "/admin/users/{id}/rights",
        Administrator,
        administration::rights,
        Doc::new("Change les droits d’un utilisateur").body::<RightsUpdate>(),
    )
    .at(
        put.clone(),
        "/admin/users/{id}/role",
        Administrator,
        administration::role,
        Doc::new("Nomme ou retire un administrateur").body::<RoleUpdate>(),
    )
    .at(
        put.clone(),
        "/admin/users/{id}/status",
        Administrator,
        administration::status,
        Doc::new("Désactive ou réactive un compte").body::<StatusUpdate>(),
    )
    .at(
        get.clone(),
        "/operator/second-factor",
        Operator,
        bo::security,
        Doc::new("Le second facteur de l’opérateur (à ajouter à sa première connexion)")
            .json::<inscription_shared::second_factor::OperatorSecurity>(),
    )
    .at(
        post.clone(),
        "/operator/totp",
        Operator,
        bo::start_totp,
        Doc::new("Commence l’ajout de l’application de codes à usage unique de l’opérateur")
            .json::<inscription_shared::second_factor::TotpEnrolment>(),
    )
    .at(
        post.clone(),
        "/operator/totp/confirmation",
        Operator,
        bo::confirm_totp,
        Doc::new("Confirme l’application de l’opérateur par un code\u{a0}; donne ses codes de secours")
            .body::<inscription_shared::second_factor::CodeRequest>()
            .json::<inscription_shared::second_factor::RecoveryCodes>(),
    )
    .at(
        post.clone(),
        "/operator/reauthentication",
        Operator,
        bo::reauthenticate,
        Doc::new("L’opérateur confirme de nouveau son second facteur, avant une action sensible")
            .body::<inscription_shared::second_factor::CodeRequest>(),
    )
    .at(
        delete.clone(),
        "/operator/users/{id}/second-factor",
        Operator,
        bo::reset_second_factor,
        Doc::new(
            "Réinitialise le second facteur d’une personne (celui d’un administrateur, notamment)",
        ),
    )
    .at(
        delete.clone(),
        "/admin/users/{id}/second-factor",
        Administrator,
        administration::reset_second_factor,
        Doc::new("Réinitialise le second facteur d’un utilisateur (téléphone perdu)"),
    )
    .at(
        get.clone(),
        "/operator/letters",
        Operator,
        bo::letters,
        Doc::new("Les courriers, par état")
            .query::<bo::LetterQuery>()
            .list::<LetterSummary>(),
    )
    .at(
        get.clone(),
        "/operator/candidacies-by-address",
        Operator,
        bo::candidacies_by_address,
        Doc::new("Les premiers utilisateurs des derniers jours, groupés par adresse d’origine")
            .list::<CandidaciesFromAddress>(),
    )
    .at(
        get.clone(),
        "/operator/letters/batch.pdf",
        Operator,
        bo::batch_pdf,
        Doc::new("Les courriers listés, en un PDF")
            .query::<bo::BatchQuery>()
            .pdf(),
    )
    .at(
        post.clone(),
        "/operator/letters/dispatch",
        Operator,
        bo::dispatch,
        Doc::new("Marque des courriers comme expédiés")
            .body::<Dispatch>()
            .json::<Changed>(),
    )
    .at(
        get.clone(),
        "/operator/letters/{id}/pdf",
        Operator,
        bo::letter_pdf,
        Doc::new("Un courrier, en PDF").pdf(),
    )
    .at(
        post.clone(),
        "/operator/letters/{id}/resend",
        Operator,
        bo::resend,
        Doc::new("Renvoie un courrier avec un nouveau code").json::<Changed>(),
    )
    .at(
        post.clone(),
        "/operator/letters/{id}/cancel",
        Operator,
        bo::cancel,
        Doc::new("Annule la candidature d’un courrier").body::<Reason>(),
    )
    .at(
        post.clone(),
        "/operator/users/{id}/erase",
        Operator,
        bo::erase_person,
        Doc::new("Efface les données d’une personne à sa demande (RGPD, article 17)")
            .body::<Reason>(),
    )
    .at(
        get.clone(),
        "/operator/establishments",
        Operator,
        bo::search,
        Doc::new("Cherche dans l’annuaire")
            .query::<bo::SearchQuery>()
            .list::<EstablishmentSummary>(),
    )
    .at(
        get.clone(),
        "/operator/establishments/{id}",
        Operator,
        bo::establishment,
        Doc::new("Un établissement, ses comptes et ses courriers").json::<EstablishmentDetail>(),
    )
    .at(
        post.clone(),
        "/operator/establishments/{id}/redesignation",
        Operator,
        bo::redesignate,
        Doc::new("Redésigne l’administrateur d’un établissement")
            .body::<Reason>()
            .json::<Redesignated>(),
    )
    // A directory of 100,000 establishments is about 15 MB of CSV.
    .add(
        post.clone(),
        "/operator/directory",
        Operator,
        on(MethodFilter::POST, bo::import).layer(DefaultBodyLimit::max(32 * 1024 * 1024)),
        Doc::new("Charge l’annuaire des établissements (CSV)")
            .body::<DirectoryUpload>()
            .json::<ImportReport>(),
    )
    .at(
        get.clone(),
        "/operator/audit",
        Operator,
        bo::audit,
        Doc::new("Le journal d’audit, filtré")
            .query::<AuditFilter>()
            .list::<AuditEntry>(),
    )
    .at(
        get.clone(),
        "/operator/audit.csv",
        Operator,
        bo::audit_csv,
        Doc::new("Le journal d’audit filtré, en CSV")
            .query::<AuditFilter>()
            .csv(),
    )
    .at(
        get.clone(),
        "/operator/messages",
        Operator,
        bo::messages,
        Doc::new("Les messages du formulaire de contact").list::<ContactMessageView>(),
    )
    .at(
        put,
        "/operator/messages/{id}",
        Operator,
        bo::message_handled,
        Doc::new("Marque un message comme traité ou non").body::<Handled>(),
    )
    .at(
        get.clone(),
        "/operator/emails",
        Operator,
        bo::emails,
        Doc::new("Les courriels envoyés et en attente").json::<EmailOutbox>(),
    )
    .at(
        get,
        "/operator/services",
        Operator,
        bo::service_clients,
        Doc::new("Les services qui connectent les personnes par le portail (OpenID Connect)")
            .json::<ServiceClients>(),
    )
    .at(
        post.clone(),
        "/operator/services",
        Operator,
        bo::register_service_client,
        Doc::new("Enregistre un service\u{a0}; son secret n’est donné que dans cette réponse")
            .body::<NewServiceClient>()
            .json::<ClientSecret>(),
    )
    .at(
        post,
        "/operator/services/secret",
        Operator,
        bo::rotate_client_secret,
        Doc::new("Donne un nouveau secret à un service\u{a0}; l’ancien cesse aussitôt")
            .body::<SecretRotation>()
            .json::<ClientSecret>(),
    )
}

/// `GET /api/openapi.json`: built once from the route table.
async fn serve_document() -> axum::response::Response {
    use axum::response::IntoResponse;
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let json = DOCUMENT.get_or_init(|| {
        openapi::document(&api().endpoints)
            .to_pretty_json()
            .unwrap_or_default()
    });
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json.clone(),
    )
        .into_response()
}
