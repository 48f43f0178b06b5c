//! The API's OpenAPI document, built from the route table: each endpoint says there what
//! it reads and answers ([`Doc`](super::endpoint::Doc)), so the document lists exactly what the router serves.
//! Served at `/api/openapi.json`; the generated-input test draws its requests from it.

use axum::http::Method;
use inscription_shared::ErrorResponse;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, KnownFormat, OpenApi, OpenApiBuilder, PathItem,
    PathsBuilder, RefOr, Required, ResponseBuilder, Schema,
};

use super::endpoint::{Access, Answer, Endpoint, Named};
use crate::security::CSRF_HEADER;
use crate::session::COOKIE;

/// The name of the cookie security scheme.
const SESSION: &str = "session";

/// The whole document: every endpoint of the table under `/api`.
pub fn document(endpoints: &[Endpoint]) -> OpenApi {
    let mut schemas: Vec<(String, RefOr<Schema>)> = Vec::new();
    let mut add = |named: &Named| {
        schemas.push(((named.name)().into_owned(), (named.schema)()));
        (named.dependencies)(&mut schemas);
    };
    add(&Named::of::<ErrorResponse>());
    let mut paths = PathsBuilder::new();
    for endpoint in endpoints {
        let doc = &endpoint.doc;
        if let Some(body) = &doc.body {
            add(body);
        }
        if let Answer::Json(named) | Answer::List(named) = &doc.answer {
            add(named);
        }
        paths = paths.path(
            format!("/api{}", endpoint.path),
            PathItem::new(http_method(&endpoint.method), operation(endpoint)),
        );
    }
    let components = ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                COOKIE,
                "La session, posée par POST /api/session (connexion).",
            ))),
        )
        .build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("inscription")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "L’API de l’inscription aux services en ligne. Toute demande qui modifie \
                     quelque chose porte l’en-tête x-inscription (défense contre les requêtes \
                     intersites). Chaque erreur répond un message en français (ErrorResponse).",
                ))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components))
        .build()
}

fn http_method(method: &Method) -> HttpMethod {
    match *method {
        Method::POST => HttpMethod::Post,
        Method::PUT => HttpMethod::Put,
        Method::DELETE => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

fn operation(endpoint: &Endpoint) -> utoipa::openapi::path::Operation {
    let doc = &endpoint.doc;
    let mut op = OperationBuilder::new()
        .summary(Some(doc.summary))
        .description(Some(access_text(endpoint.access)))
        .operation_id(Some(operation_id(endpoint)))
        .tag(tag(endpoint.path));
    if endpoint.path.contains("{id}") {
        op = op.parameter(
            ParameterBuilder::new()
                .name("id")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
                )),
        );
    }
    if endpoint.method != Method::GET {
        op = op.parameter(
            ParameterBuilder::new()
                .name(CSRF_HEADER)
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some("Toute valeur\u{a0}; son absence est refusée (403)."))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
        );
    }
    if let Some(query) = doc.query {
        for parameter in query() {
            op = op.parameter(parameter);
        }
    }
    if let Some(body) = &doc.body {
        op = op.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(body.reference())).build(),
                )
                .build(),
        ));
    }
    if endpoint.access != Access::Public {
        op = op.security(SecurityRequirement::new(SESSION, Vec::<String>::new()));
    }
    let (status, success) = success(&doc.answer);
    op.response(status, success)
        .response(
            "default",
            ResponseBuilder::new()
                .description("Refusé\u{a0}: le message dit pourquoi, en français.")
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Named::of::<ErrorResponse>().reference()))
                        .build(),
                ),
        )
        .build()
}

fn success(answer: &Answer) -> (&'static str, utoipa::openapi::Response) {
    let json = |schema: RefOr<Schema>| {
        ResponseBuilder::new()
            .description("Fait.")
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(schema)).build(),
            )
            .build()
    };
    let file = |media: &str| {
        ResponseBuilder::new()
            .description("Le fichier.")
            .content(
                media,
                ContentBuilder::new()
                    .schema(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
                    ))
                    .build(),
            )
            .build()
    };
    match answer {
        Answer::Nothing => ("204", ResponseBuilder::new().description("Fait.").build()),
        Answer::Empty => ("200", ResponseBuilder::new().description("Fait.").build()),
        Answer::Json(named) => ("200", json(named.reference())),
        Answer::List(named) => (
            "200",
            json(RefOr::T(Schema::Array(
                ArrayBuilder::new().items(named.reference()).build(),
            ))),
        ),
        Answer::Described(schema) => ("200", json(schema())),
        Answer::Pdf => ("200", file("application/pdf")),
        Answer::Csv => ("200", file("text/csv")),
    }
}

/// `post_registration_step1`, `get_operator_letters_id_pdf`…
fn operation_id(endpoint: &Endpoint) -> String {
    let path: String = endpoint
        .path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let words: Vec<&str> = path.split('_').filter(|w| !w.is_empty()).collect();
    format!(
        "{}_{}",
        endpoint.method.as_str().to_lowercase(),
        words.join("_")
    )
}

/// The first segment of the path groups the endpoints.
fn tag(path: &str) -> String {
    path.trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn access_text(access: Access) -> &'static str {
    match access {
        Access::Public => "Accès\u{a0}: tout le monde.",
        Access::Session => "Accès\u{a0}: toute session (compte d’un établissement ou opérateur).",
        Access::Account => "Accès\u{a0}: la session d’un compte d’établissement.",
        Access::Administrator => {
            "Accès\u{a0}: un administrateur actif, pour son établissement seulement."
        }
        Access::Operator => "Accès\u{a0}: un opérateur (back office).",
    }
}

/// The self-hosted CAPTCHA's challenge: the ALTCHA protocol's own format.
pub fn altcha_challenge() -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .description(Some(
                "Un défi de preuve de travail au format du protocole ALTCHA (v2).",
            ))
            .property("parameters", ObjectBuilder::new().schema_type(Type::Object))
            .required("parameters")
            .property("signature", ObjectBuilder::new().schema_type(Type::String))
            .build(),
    ))
}

/// Any JSON object (this document's own schema is OpenAPI's).
pub fn any_object() -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new().schema_type(Type::Object).build(),
    ))
}
