//! HTTP handlers: thin, they parse input, call a use case and shape the answer.

pub mod health;
