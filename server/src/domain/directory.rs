//! The establishment directory file (PRODUCT.md §9): reading the operators' CSV into
//! checked records, with the reason each rejected line was refused. No SQL here.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use inscription_shared::ClientNumber;

/// The columns of the directory file, in the order the demo file uses.
pub const COLUMNS: [&str; 9] = [
    "numero_client",
    "raison_sociale",
    "categorie",
    "titre_representant_legal",
    "adresse_1",
    "adresse_2",
    "code_postal",
    "commune",
    "statut",
];

/// Longest text accepted in one field: enough for any name or address line.
const MAX_FIELD_CHARS: usize = 200;

/// Whether the lender still deals with the establishment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EstablishmentStatus {
    Active,
    Closed,
}

impl EstablishmentStatus {
    /// The value stored in the database.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Closed => "closed",
        }
    }

    pub fn from_db(value: &str) -> Self {
        if value == "closed" {
            Self::Closed
        } else {
            Self::Active
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value.trim().to_lowercase().as_str() {
            "actif" | "active" => Some(Self::Active),
            "fermé" | "ferme" | "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// One establishment as the directory file describes it, every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstablishmentRecord {
    pub client_number: ClientNumber,
    pub name: String,
    pub kind: String,
    pub legal_representative_title: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postcode: String,
    pub city: String,
    pub status: EstablishmentStatus,
}

/// A line of the file that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedLine {
    /// Line number in the file, the header being line 1.
    pub line: u64,
    pub reason: String,
}

impl fmt::Display for RejectedLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ligne {}\u{a0}: {}", self.line, self.reason)
    }
}

/// The whole file read: what can be imported and what was refused.
#[derive(Debug, Default)]
pub struct DirectoryFile {
    pub records: Vec<EstablishmentRecord>,
    pub rejected: Vec<RejectedLine>,
}

/// The file itself cannot be read (as opposed to one bad line).
#[derive(Debug, thiserror::Error)]
pub enum DirectoryFileError {
    #[error("Le fichier n’a pas pu être lu\u{a0}: {0}")]
    Unreadable(String),
    #[error("Colonne manquante dans l’en-tête\u{a0}: «\u{a0}{0}\u{a0}». Colonnes attendues\u{a0}: {cols}.", cols = COLUMNS.join(";"))]
    MissingColumn(&'static str),
}

/// Reads a directory CSV. The separator is `;` (as spreadsheets write French CSV) or `,`,
/// taken from the header line. A client number repeated in the file keeps its first line.
pub fn read(mut input: impl Read) -> Result<DirectoryFile, DirectoryFileError> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| DirectoryFileError::Unreadable(e.to_string()))?;
    // Every line end as `\n`: the CSV reader ends a record at a lone `\r` (old Mac files)
    // but counts lines by `\n`, which would number every line of such a file "1". A `\r`
    // inside a quoted field is refused as a control character either way.
    let text = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = if header_line.contains(';') {
        b';'
    } else {
        b','
    };

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| DirectoryFileError::Unreadable(e.to_string()))?
        .clone();
    let mut index = [0usize; COLUMNS.len()];
    for (slot, column) in index.iter_mut().zip(COLUMNS) {
        *slot = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(column))
            .ok_or(DirectoryFileError::MissingColumn(column))?;
    }

    let mut file = DirectoryFile::default();
    let mut first_line_of: HashMap<ClientNumber, u64> = HashMap::new();
    for result in reader.records() {
        let (line, row) = match result {
            Ok(row) => (row.position().map_or(0, |p| p.line()), row),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                file.rejected.push(RejectedLine {
                    line,
                    reason: format!("ligne illisible ({e})"),
                });
                continue;
            }
        };
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let field = |i: usize| row.get(index[i]).unwrap_or_default().trim();
        match parse_record(field) {
            Ok(record) => {
                if let Some(first) = first_line_of.get(&record.client_number) {
                    file.rejected.push(RejectedLine {
                        line,
                        reason: format!(
                            "le numéro client {} figure déjà ligne {first}",
                            record.client_number
                        ),
                    });
                } else {
                    first_line_of.insert(record.client_number.clone(), line);
                    file.records.push(record);
                }
            }
            Err(reason) => file.rejected.push(RejectedLine { line, reason }),
        }
    }
    Ok(file)
}

/// Checks one row, given a way to read its fields by column rank in [`COLUMNS`].
fn parse_record<'a>(field: impl Fn(usize) -> &'a str) -> Result<EstablishmentRecord, String> {
    let client_number = ClientNumber::parse_padded(field(0))
        .map_err(|e| format!("numéro client «\u{a0}{}\u{a0}» refusé\u{a0}: {e}", field(0)))?;
    let text = |i: usize, label: &str, required: bool| -> Result<String, String> {
        let value = field(i);
        if required && value.is_empty() {
            return Err(format!("{label}\u{a0}: valeur manquante"));
        }
        if value.chars().count() > MAX_FIELD_CHARS {
            return Err(format!(
                "{label} trop long(ue) (plus de {MAX_FIELD_CHARS} caractères)"
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(format!("{label} contient un caractère de contrôle"));
        }
        Ok(value.to_owned())
    };
    let postcode = field(6);
    if postcode.len() != 5 || !postcode.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "code postal «\u{a0}{postcode}\u{a0}» invalide (5 chiffres attendus)"
        ));
    }
    let status = EstablishmentStatus::parse(field(8)).ok_or_else(|| {
        format!(
            "statut «\u{a0}{}\u{a0}» inconnu (attendu\u{a0}: actif ou fermé)",
            field(8)
        )
    })?;
    Ok(EstablishmentRecord {
        client_number,
        name: text(1, "raison sociale", true)?,
        kind: text(2, "catégorie", true)?,
        legal_representative_title: text(3, "titre du représentant légal", true)?,
        address_line1: text(4, "adresse", true)?,
        address_line2: text(5, "complément d’adresse", false)?,
        postcode: postcode.to_owned(),
        city: text(7, "commune", true)?,
        status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "numero_client;raison_sociale;categorie;titre_representant_legal;adresse_1;adresse_2;code_postal;commune;statut";

    fn read_str(body: &str) -> DirectoryFile {
        read(format!("{HEADER}\n{body}").as_bytes()).unwrap()
    }

    #[test]
    fn good_lines_become_records() {
        let file = read_str(
            "237517;Habitat Loire Océan;SA d'HLM;Directeur général;12 rue de la Paix;BP 42;44000;Nantes;actif\n\
             000012345;Commune de Brest;Commune;Maire;Place de la Liberté;;29200;Brest;fermé\n",
        );
        assert!(file.rejected.is_empty(), "{:?}", file.rejected);
        assert_eq!(file.records.len(), 2);
        assert_eq!(file.records[1].client_number.as_str(), "12345");
        assert_eq!(file.records[1].status, EstablishmentStatus::Closed);
    }

    #[test]
    fn each_bad_line_is_reported_with_its_number_and_reason() {
        let file = read_str(
            "23A517;X;Commune;Maire;1 rue A;;44000;Nantes;actif\n\
             237517;;Commune;Maire;1 rue A;;44000;Nantes;actif\n\
             237518;Y;Commune;Maire;1 rue A;;4400;Nantes;actif\n\
             237519;Z;Commune;Maire;1 rue A;;44000;Nantes;peut-être\n\
             237520;W;Commune;Maire;1 rue A;;44000;Nantes;actif\n\
             237520;W bis;Commune;Maire;1 rue A;;44000;Nantes;actif\n",
        );
        assert_eq!(file.records.len(), 1);
        let lines: Vec<u64> = file.rejected.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 7]);
        assert!(file.rejected[0].reason.contains("lettres"));
        assert!(file.rejected[1].reason.contains("raison sociale"));
        assert!(file.rejected[2].reason.contains("code postal"));
        assert!(file.rejected[3].reason.contains("statut"));
        assert!(file.rejected[4].reason.contains("ligne 6"));
    }

    /// A file saved with old Mac line ends (a lone carriage return), as the fuzzer found:
    /// its lines are numbered as a spreadsheet shows them, not all "line 1".
    #[test]
    fn lines_ended_by_a_carriage_return_keep_their_numbers() {
        let file = read(
            format!(
                "{HEADER}\r23A517;X;Commune;Maire;1 rue A;;44000;Nantes;actif\r\n\
                 237518;Y;Commune;Maire;1 rue A;;4400;Nantes;actif\r"
            )
            .as_bytes(),
        )
        .unwrap();
        let lines: Vec<u64> = file.rejected.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn a_missing_column_refuses_the_whole_file() {
        let err = read("numero_client;raison_sociale\n1;2\n".as_bytes()).unwrap_err();
        assert!(matches!(
            err,
            DirectoryFileError::MissingColumn("categorie")
        ));
    }

    #[test]
    fn comma_separated_files_are_read_too() {
        let file = read(
            format!(
                "{}\n237517,Nom,Commune,Maire,1 rue A,,44000,Nantes,actif\n",
                HEADER.replace(';', ",")
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(file.records.len(), 1);
    }
}
