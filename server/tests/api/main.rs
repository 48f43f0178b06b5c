//! Integration tests: the real application on a free port, a fresh database per test,
//! spoken to over HTTP. Every test runs on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod authenticator;
mod clients;
mod helpers;

mod abuse;
mod account;
mod administration;
mod authorization;
mod back_office;
mod backup;
mod configuration;
mod crash;
mod generated_input;
mod health;
mod import;
mod instances;
mod my_data;
mod observability;
mod oidc;
mod operator_second_factor;
mod passkeys;
mod races;
mod recaptcha;
mod registration_step1;
mod registration_step2;
mod retention;
mod second_factor;
mod security;
mod smtp;
mod static_files;
