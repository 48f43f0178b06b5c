//! Loading the establishment directory from a CSV file: the use case shared by the
//! command line, the demo data and (later) the operators' console.

use std::io::Read;

use crate::db::{self, Db};
use crate::domain::directory::{self, DirectoryFileError, RejectedLine};

/// What an import did, line by line where it refused something.
#[derive(Debug)]
pub struct ImportReport {
    pub imported: usize,
    pub rejected: Vec<RejectedLine>,
    /// Establishments in the directory after the import.
    pub total: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] DirectoryFileError),
    #[error("erreur de base de données pendant l’import")]
    Database(#[from] sqlx::Error),
}

/// Upserts every valid line (keyed by client number, so importing twice changes nothing)
/// and reports the others.
pub async fn import_csv(db: &Db, input: impl Read) -> Result<ImportReport, ImportError> {
    let file = directory::read(input)?;
    db::establishments::upsert_all(db, &file.records).await?;
    Ok(ImportReport {
        imported: file.records.len(),
        rejected: file.rejected,
        total: db::establishments::count(db).await?,
    })
}

/// The fictional establishments loaded on a first start with demo data.
pub const DEMO_CSV: &str = include_str!("../demo/establishments.csv");

/// Loads the demo establishments into an empty directory; leaves a filled one alone.
pub async fn load_demo_if_empty(db: &Db) -> Result<Option<ImportReport>, ImportError> {
    if db::establishments::count(db).await? > 0 {
        return Ok(None);
    }
    import_csv(db, DEMO_CSV.as_bytes()).await.map(Some)
}
