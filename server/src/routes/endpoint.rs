//! What the route table declares of each endpoint: its address, who may call it, and what
//! the OpenAPI document says of it. The table (`table.rs`) and the document
//! (`openapi.rs`) both read these; neither imports the other's module back.

use std::borrow::Cow;

use axum::http::Method;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{IntoParams, ToSchema};

/// Who may call an endpoint (the server checks it in each handler's extractors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any session: an establishment's account or an operator.
    Session,
    /// A session of an establishment's account (a candidate's included).
    Account,
    /// An active administrator, for their own establishment only.
    Administrator,
    /// An operator of the lender.
    Operator,
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// What the OpenAPI document says of it.
    pub doc: Doc,
}

/// A named schema and the schemas it refers to.
#[derive(Debug, Clone, Copy)]
pub struct Named {
    pub(super) name: fn() -> Cow<'static, str>,
    pub(super) schema: fn() -> RefOr<Schema>,
    pub(super) dependencies: fn(&mut Vec<(String, RefOr<Schema>)>),
}

impl Named {
    pub(super) fn of<T: ToSchema>() -> Self {
        Self {
            name: T::name,
            schema: T::schema,
            dependencies: T::schemas,
        }
    }

    pub(super) fn reference(&self) -> RefOr<Schema> {
        RefOr::Ref(Ref::from_schema_name((self.name)()))
    }
}

/// What an endpoint answers when it succeeds.
#[derive(Debug, Clone, Copy)]
pub(super) enum Answer {
    /// 204, no body.
    Nothing,
    /// 200 with an empty body.
    Empty,
    Json(Named),
    List(Named),
    /// A schema written by hand (a third-party type).
    Described(fn() -> RefOr<Schema>),
    Pdf,
    Csv,
}

/// What the OpenAPI document says of one endpoint.
#[derive(Debug, Clone)]
pub struct Doc {
    pub(super) summary: &'static str,
    pub(super) body: Option<Named>,
    pub(super) query: Option<fn() -> Vec<utoipa::openapi::path::Parameter>>,
    pub(super) answer: Answer,
}

impl Doc {
    /// An endpoint that answers 204 unless told otherwise.
    pub fn new(summary: &'static str) -> Self {
        Self {
            summary,
            body: None,
            query: None,
            answer: Answer::Nothing,
        }
    }

    /// Reads a JSON body of this type.
    pub fn body<T: ToSchema>(mut self) -> Self {
        self.body = Some(Named::of::<T>());
        self
    }

    /// Reads the query string as this type's parameters.
    pub fn query<T: IntoParams>(mut self) -> Self {
        self.query = Some(|| T::into_params(|| Some(ParameterIn::Query)));
        self
    }

    /// Answers 200 with this type as JSON.
    pub fn json<T: ToSchema>(mut self) -> Self {
        self.answer = Answer::Json(Named::of::<T>());
        self
    }

    /// Answers 200 with a JSON list of this type.
    pub fn list<T: ToSchema>(mut self) -> Self {
        self.answer = Answer::List(Named::of::<T>());
        self
    }

    /// Answers 200 with JSON described by hand.
    pub fn described(mut self, schema: fn() -> RefOr<Schema>) -> Self {
        self.answer = Answer::Described(schema);
        self
    }

    /// Answers 200 with an empty body.
    pub fn empty(mut self) -> Self {
        self.answer = Answer::Empty;
        self
    }

    pub fn pdf(mut self) -> Self {
        self.answer = Answer::Pdf;
        self
    }

    pub fn csv(mut self) -> Self {
        self.answer = Answer::Csv;
        self
    }
}
