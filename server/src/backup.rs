//! Backups of the embedded database (PRODUCT.md §12): a consistent copy taken while the
//! server runs and writes, and a restore that checks the copy before it replaces anything.
//! PostgreSQL is backed up with its own tools, `pg_dump` and `pg_restore` (README).

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::db::{self, Db};

/// The SQLite file of a data folder.
pub const DATABASE_FILE: &str = "inscription.db";
/// Held by the serving process for its lifetime, so that nothing replaces its database.
const LOCK_FILE: &str = "inscription.lock";
/// Where a restore leaves the database it replaced.
pub const REPLACED_FILE: &str = "inscription.db.avant-restauration";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("la base est PostgreSQL\u{a0}: sauvegardez-la avec pg_dump (voir le README, «\u{a0}Sauvegardes\u{a0}»)")]
    Postgres,
    #[error("{0} existe déjà\u{a0}: choisissez un autre fichier")]
    Exists(PathBuf),
    #[error("{0} n’existe pas")]
    Missing(PathBuf),
    #[error("un serveur utilise ce dossier de données\u{a0}: arrêtez-le avant de restaurer")]
    InUse,
    #[error("la copie {0} n’est pas une base lisible\u{a0}: {1}")]
    Unreadable(PathBuf, sqlx::Error),
    #[error("la copie ne respecte pas {}\u{a0}: {}", inscription_shared::french::plural(.0.len(), "règle", "règles"), .0.join("\u{a0}; "))]
    Broken(Vec<String>),
    #[error("base de données\u{a0}: {0}")]
    Database(#[from] sqlx::Error),
    #[error("fichier\u{a0}: {0}")]
    Io(#[from] std::io::Error),
}

/// The serving process's hold on its data folder: while it lives, no restore runs there.
#[derive(Debug)]
pub struct DataFolderLock(#[allow(dead_code)] File);

impl DataFolderLock {
    /// Takes the folder; fails if another process holds it.
    pub fn take(data_dir: &Path) -> Result<Self, BackupError> {
        std::fs::create_dir_all(data_dir)?;
        let file = File::create(data_dir.join(LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => Ok(Self(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(BackupError::InUse),
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }
}

/// Writes a consistent copy of the SQLite database to `file` with `VACUUM INTO`: SQLite
/// copies what one read transaction sees, so the server's writes go on meanwhile and none
/// is half in the copy. Only live rows are copied (erased codes stay erased). Returns the
/// copy's size in bytes.
pub async fn backup(db: &Db, file: &Path) -> Result<u64, BackupError> {
    let Db::Sqlite { pool, .. } = db else {
        return Err(BackupError::Postgres);
    };
    if file.exists() {
        return Err(BackupError::Exists(file.to_owned()));
    }
    sqlx::query("VACUUM INTO $1")
        .bind(file.to_string_lossy().as_ref())
        .execute(pool)
        .await?;
    Ok(std::fs::metadata(file)?.len())
}

/// Replaces the data folder's database by the copy `file`, once the copy has opened,
/// taken the migrations it lacks and passed every invariant of `check`. Refused while a
/// server holds the folder. The database replaced is kept beside it ([`REPLACED_FILE`]).
pub async fn restore(data_dir: &Path, file: &Path) -> Result<(), BackupError> {
    if !file.exists() {
        return Err(BackupError::Missing(file.to_owned()));
    }
    let _lock = DataFolderLock::take(data_dir)?;
    // The copy is checked where it will live, under another name.
    let incoming = data_dir.join("inscription.db.restauration");
    remove_database(&incoming)?;
    std::fs::copy(file, &incoming)?;
    let url = format!("sqlite://{}", incoming.display());
    let checked = match Db::connect(&url).await {
        Ok(copy) => {
            let results = db::check::run(&copy).await;
            // Its WAL folded back in: one file to move.
            db::erase_freed(&copy).await;
            copy.close().await;
            results
        }
        Err(e) => {
            remove_database(&incoming)?;
            return Err(BackupError::Unreadable(file.to_owned(), e));
        }
    };
    let broken: Vec<String> = checked?
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(invariant, _)| invariant.rule.to_owned())
        .collect();
    if !broken.is_empty() {
        remove_database(&incoming)?;
        return Err(BackupError::Broken(broken));
    }
    let current = data_dir.join(DATABASE_FILE);
    set_aside(&current, &data_dir.join(REPLACED_FILE))?;
    std::fs::rename(&incoming, &current)?;
    remove_database(&incoming)?;
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Moves a SQLite file to `aside` with its WAL, in place of whatever was there. A server
/// stopped short leaves its last second of commits in the WAL only, not yet copied into the
/// file: SQLite finds the WAL by the file's name, so the two keep the same name.
fn set_aside(path: &Path, aside: &Path) -> std::io::Result<()> {
    if path.exists() {
        // An older WAL left under `aside` would be replayed over the file set aside.
        remove_database(aside)?;
        std::fs::rename(path, aside)?;
        let wal = with_suffix(path, "-wal");
        if wal.exists() {
            std::fs::rename(&wal, with_suffix(aside, "-wal"))?;
        }
    }
    // What is left: the shared memory, which the next connection rebuilds from the WAL.
    remove_database(path)
}

/// Removes a SQLite file and its WAL and shared-memory files, if they exist.
fn remove_database(path: &Path) -> std::io::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        remove_file(&with_suffix(path, suffix))?;
    }
    Ok(())
}

fn remove_file(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
