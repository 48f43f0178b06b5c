//! The registration server: the authority for every rule of PRODUCT.md.

pub mod config;
pub mod db;
pub mod directory;
pub mod error;
pub mod import;
pub mod routes;
pub mod startup;
pub mod static_files;
