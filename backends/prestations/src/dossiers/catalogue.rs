//! The catalogue of enterprise support cheques, as data: by default the seed's competence
//! matrix (`catalogue/cheques.toml`, embedded: 12 cheques in 7 themes, each mobilising the
//! competence of its own name at 100%), or an operator's file (`catalogue_file`) that may
//! add energy cheques with the competences a dossier shares its work between.

use serde::{Deserialize, Serialize};

/// The shipped catalogue.
pub const CATALOGUE_TOML: &str = include_str!("../../catalogue/cheques.toml");

/// A theme.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
}

/// A competence of an energy cheque.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetenceDef {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
}

/// A cheque.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cheque {
    /// Code.
    pub code: String,
    /// Theme code.
    pub theme: String,
    /// Label.
    pub label: String,
    /// An energy cheque: its work is shared between weighted competences.
    #[serde(default)]
    pub energy: bool,
    /// The competences of an energy cheque (empty otherwise).
    #[serde(default)]
    pub competences: Vec<CompetenceDef>,
}

/// Themes and cheques.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Themes, in display order.
    #[serde(rename = "theme")]
    pub themes: Vec<Theme>,
    /// Cheques, in display order.
    #[serde(rename = "cheque")]
    pub cheques: Vec<Cheque>,
}

/// One line of the competence matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow<'a> {
    /// The theme's label.
    pub theme: &'a str,
    /// The cheque.
    pub cheque: &'a Cheque,
    /// The competences mobilised and their fixed weight (`None`: shared by the dossier).
    pub competences: Vec<(&'a str, Option<i64>)>,
}

/// A catalogue that does not hold together.
#[derive(Debug, thiserror::Error)]
#[error("cheque catalogue: {0}")]
pub struct CatalogueError(pub String);

impl Catalogue {
    /// The embedded catalogue.
    pub fn shipped() -> Result<Self, CatalogueError> {
        Self::from_toml(CATALOGUE_TOML)
    }

    /// Read and check an operator's catalogue file.
    pub fn load(path: &std::path::Path) -> Result<Self, CatalogueError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CatalogueError(format!("{}: {e}", path.display())))?;
        Self::from_toml(&text)
    }

    /// The competence matrix: each cheque with the competences it mobilises and their
    /// weights (outside energy cheques, the cheque itself at 100%).
    pub fn matrix(&self) -> Vec<MatrixRow<'_>> {
        self.cheques
            .iter()
            .map(|c| MatrixRow {
                theme: self.theme_label(&c.theme),
                cheque: c,
                competences: if c.energy {
                    c.competences
                        .iter()
                        .map(|d| (d.label.as_str(), None))
                        .collect()
                } else {
                    vec![(c.label.as_str(), Some(100))]
                },
            })
            .collect()
    }

    /// Parse and check.
    pub fn from_toml(text: &str) -> Result<Self, CatalogueError> {
        let c: Catalogue = toml::from_str(text).map_err(|e| CatalogueError(e.to_string()))?;
        let mut codes = std::collections::HashSet::new();
        for cheque in &c.cheques {
            if !codes.insert(cheque.code.as_str()) {
                return Err(CatalogueError(format!("{} is listed twice", cheque.code)));
            }
            if !c.themes.iter().any(|t| t.code == cheque.theme) {
                return Err(CatalogueError(format!(
                    "{} has an unknown theme",
                    cheque.code
                )));
            }
            if cheque.energy == cheque.competences.is_empty() {
                return Err(CatalogueError(format!(
                    "{}: energy cheques, and only they, list competences",
                    cheque.code
                )));
            }
        }
        for theme in &c.themes {
            if !c.cheques.iter().any(|q| q.theme == theme.code) {
                return Err(CatalogueError(format!(
                    "theme {} has no cheque",
                    theme.code
                )));
            }
        }
        Ok(c)
    }

    /// A cheque by code.
    pub fn cheque(&self, code: &str) -> Option<&Cheque> {
        self.cheques.iter().find(|c| c.code == code)
    }

    /// A theme's label.
    pub fn theme_label<'a>(&'a self, code: &'a str) -> &'a str {
        self.themes
            .iter()
            .find(|t| t.code == code)
            .map_or(code, |t| t.label.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matrix as the seed (003) prints it: "theme - cheque", and the competence
    /// mobilised, which is the cheque itself.
    const SEED_MATRIX: [&str; 12] = [
        "Création - Chèque Formation à la création d'entreprise - PME",
        "Création - Chèque Conseil à la création d'entreprise",
        "Croissance - Chèque Diagnostic croissance et développement d'entreprise",
        "Croissance - Chèque Accompagnement croissance et développement d'entreprise",
        "Economie circulaire - Chèque Economie circulaire",
        "Innovation - Chèque Technologique - RW",
        "Innovation - Chèque Propriété intellectuelle - RW",
        "Internationalisation - Chèque Booster export",
        "Internationalisation - Chèque Consultance export",
        "Numérique - Chèque Maturité numérique",
        "Numérique - Chèque Cybersécurité",
        "Transmission - Chèque transmission",
    ];

    #[test]
    fn twelve_cheques_in_seven_themes() {
        let c = Catalogue::shipped().expect("catalogue");
        assert_eq!(c.cheques.len(), 12);
        let themes: Vec<&str> = c.themes.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(
            themes,
            [
                "creation",
                "growth",
                "circular_economy",
                "innovation",
                "internationalisation",
                "digital",
                "transmission"
            ]
        );
        assert!(c.cheque("DIG-CYBER").is_some_and(|q| !q.energy));
    }

    #[test]
    fn the_shipped_matrix_is_the_seeds() {
        let c = Catalogue::shipped().expect("catalogue");
        let rows = c.matrix();
        let named: Vec<String> = rows
            .iter()
            .map(|r| format!("{} - {}", r.theme, r.cheque.label))
            .collect();
        assert_eq!(named, SEED_MATRIX);
        for r in &rows {
            assert!(!r.cheque.energy, "the seed's matrix has no energy cheque");
            assert_eq!(r.competences, [(r.cheque.label.as_str(), Some(100))]);
        }
    }

    #[test]
    fn inconsistent_catalogues_are_refused() {
        let orphan = "[[theme]]\ncode = \"a\"\nlabel = \"A\"\n[[cheque]]\ncode = \"X\"\ntheme = \"b\"\nlabel = \"x\"\n";
        assert!(Catalogue::from_toml(orphan).is_err());
        let energy_without = "[[theme]]\ncode = \"a\"\nlabel = \"A\"\n[[cheque]]\ncode = \"X\"\ntheme = \"a\"\nlabel = \"x\"\nenergy = true\n";
        assert!(Catalogue::from_toml(energy_without).is_err());
    }
}
