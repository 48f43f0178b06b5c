//! The registration server: the authority for every rule of PRODUCT.md.

pub mod account;
pub mod administration;
pub mod back_office;
pub mod captcha;
pub mod config;
pub mod contact;
pub mod db;
pub mod directory;
pub mod documents;
pub mod email;
pub mod error;
pub mod import;
pub mod letter;
pub mod metrics;
pub mod opposition;
pub mod password_hash;
pub mod pdf;
pub mod rate_limit;
pub mod registration;
pub mod routes;
pub mod security;
pub mod services;
pub mod session;
pub mod startup;
pub mod static_files;
pub mod ticket;
