//! `sqlx::migrate!` embeds the migration files at compile time: rebuild when one changes,
//! or a new migration would silently be left out of the binary.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
