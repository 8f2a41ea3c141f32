//! Organisation numbers: the Belgian enterprise number (BCE/KBO, mod-97) and the French
//! SIREN / SIRET (Luhn), with one parser that says which kind it read.

use super::IdError;

/// A Belgian enterprise number (BCE/KBO): 10 digits, `97 - first8 % 97 == last2`.
/// Shown as `0123.456.749`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnterpriseNumber(String);

impl EnterpriseNumber {
    /// Parse `0123.456.749`, `BE 0123456749`, `0123 456 749`, or a 9-digit legacy number
    /// (a `0` is put in front).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let (prefix, rest) = split_country(input);
        if prefix == Some(Country::Fr) {
            return Err(IdError::Length { expected: "10" });
        }
        let digits = collect_digits(rest, 10).ok_or(IdError::Length { expected: "10" })?;
        Self::from_digits(&digits)
    }

    fn from_digits(digits: &str) -> Result<Self, IdError> {
        let digits = match digits.len() {
            10 => digits.to_owned(),
            9 => format!("0{digits}"),
            _ => return Err(IdError::Length { expected: "10" }),
        };
        if mod97_ok(&digits) {
            Ok(Self(digits))
        } else {
            Err(IdError::Checksum)
        }
    }

    /// The 10 digits, as stored.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EnterpriseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = &self.0;
        write!(f, "{}.{}.{}", &d[..4], &d[4..7], &d[7..])
    }
}

/// A French SIREN: 9 digits with a Luhn check. Shown as `732 829 320`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Siren(String);

impl Siren {
    /// Parse 9 digits (spaces allowed, optional `FR` prefix) and check the Luhn sum.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let (prefix, rest) = split_country(input);
        if prefix == Some(Country::Be) {
            return Err(IdError::Length { expected: "9" });
        }
        let digits = collect_digits(rest, 9)
            .filter(|d| d.len() == 9)
            .ok_or(IdError::Length { expected: "9" })?;
        if luhn_ok(&digits) {
            Ok(Self(digits))
        } else {
            Err(IdError::Checksum)
        }
    }

    /// The 9 digits, as stored.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Siren {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = &self.0;
        write!(f, "{} {} {}", &d[..3], &d[3..6], &d[6..])
    }
}

/// A French SIRET (an establishment): 14 digits, the SIREN then a 5-digit NIC, Luhn
/// check over the 14 digits (La Poste's establishments, SIREN 356000000, use a digit
/// sum multiple of 5 instead). Shown as `732 829 320 00074`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Siret(String);

impl Siret {
    /// Parse 14 digits (spaces allowed, optional `FR` prefix) and check them.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let (prefix, rest) = split_country(input);
        if prefix == Some(Country::Be) {
            return Err(IdError::Length { expected: "14" });
        }
        let digits = collect_digits(rest, 14)
            .filter(|d| d.len() == 14)
            .ok_or(IdError::Length { expected: "14" })?;
        Self::from_digits(digits)
    }

    fn from_digits(digits: String) -> Result<Self, IdError> {
        let ok = if digits.starts_with("356000000") {
            digits
                .bytes()
                .map(|b| u32::from(b - b'0'))
                .sum::<u32>()
                .is_multiple_of(5)
        } else {
            luhn_ok(&digits)
        };
        if ok {
            Ok(Self(digits))
        } else {
            Err(IdError::Checksum)
        }
    }

    /// The 14 digits, as stored.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The SIREN of the enterprise this establishment belongs to (not re-checked: the
    /// SIRET check covers the 14 digits, not the first 9 alone).
    pub fn siren_digits(&self) -> &str {
        &self.0[..9]
    }
}

impl std::fmt::Display for Siret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = &self.0;
        write!(f, "{} {} {} {}", &d[..3], &d[3..6], &d[6..9], &d[9..])
    }
}

/// Which kind of organisation number a structure is identified by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgNumberKind {
    /// Belgian enterprise number.
    Be,
    /// French SIREN.
    Siren,
    /// French SIRET.
    Siret,
}

impl OrgNumberKind {
    /// The code stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Be => "be",
            Self::Siren => "siren",
            Self::Siret => "siret",
        }
    }

    /// Read a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "be" => Some(Self::Be),
            "siren" => Some(Self::Siren),
            "siret" => Some(Self::Siret),
            _ => None,
        }
    }
}

/// Any organisation number a structure may carry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrgNumber {
    /// Belgian enterprise number (BCE/KBO).
    Be(EnterpriseNumber),
    /// French SIREN.
    Siren(Siren),
    /// French SIRET.
    Siret(Siret),
}

impl OrgNumber {
    /// Parse any supported number and say which kind it is. 10 digits: Belgian; 14:
    /// SIRET; 9: a French SIREN or a Belgian legacy number, decided by the check digits
    /// (or by a `BE` / `FR` prefix when both checks pass).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let (prefix, rest) = split_country(input);
        let digits = collect_digits(rest, 14).ok_or(IdError::Length {
            expected: "9, 10 or 14",
        })?;
        match (digits.len(), prefix) {
            (10, None | Some(Country::Be)) | (9, Some(Country::Be)) => {
                EnterpriseNumber::from_digits(&digits).map(Self::Be)
            }
            (14, None | Some(Country::Fr)) => Siret::from_digits(digits).map(Self::Siret),
            (9, Some(Country::Fr)) => siren_from(digits).map(Self::Siren),
            (9, None) => {
                let be = EnterpriseNumber::from_digits(&digits);
                let fr = siren_from(digits);
                match (be, fr) {
                    (Ok(_), Ok(_)) => Err(IdError::Ambiguous),
                    (Ok(be), Err(_)) => Ok(Self::Be(be)),
                    (Err(_), Ok(fr)) => Ok(Self::Siren(fr)),
                    (Err(_), Err(_)) => Err(IdError::Checksum),
                }
            }
            _ => Err(IdError::Length {
                expected: "9, 10 or 14",
            }),
        }
    }

    /// Read back a number stored by [`OrgNumber::stored`] with its kind.
    pub fn from_stored(kind: OrgNumberKind, digits: &str) -> Result<Self, IdError> {
        match kind {
            OrgNumberKind::Be => EnterpriseNumber::from_digits(digits).map(Self::Be),
            OrgNumberKind::Siren => Siren::parse(digits).map(Self::Siren),
            OrgNumberKind::Siret => Siret::parse(digits).map(Self::Siret),
        }
    }

    /// Which kind this is.
    pub fn kind(&self) -> OrgNumberKind {
        match self {
            Self::Be(_) => OrgNumberKind::Be,
            Self::Siren(_) => OrgNumberKind::Siren,
            Self::Siret(_) => OrgNumberKind::Siret,
        }
    }

    /// The digits as stored (unique across kinds: their lengths differ).
    pub fn stored(&self) -> &str {
        match self {
            Self::Be(n) => n.digits(),
            Self::Siren(n) => n.digits(),
            Self::Siret(n) => n.digits(),
        }
    }
}

impl std::fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Be(n) => n.fmt(f),
            Self::Siren(n) => n.fmt(f),
            Self::Siret(n) => n.fmt(f),
        }
    }
}

fn siren_from(digits: String) -> Result<Siren, IdError> {
    if luhn_ok(&digits) {
        Ok(Siren(digits))
    } else {
        Err(IdError::Checksum)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Country {
    Be,
    Fr,
}

/// Strip an optional `BE` / `FR` prefix (any case, after leading spaces).
fn split_country(input: &str) -> (Option<Country>, &str) {
    let t = input.trim_start();
    let head = t.get(..2).map(str::to_ascii_uppercase);
    match head.as_deref() {
        Some("BE") => (Some(Country::Be), &t[2..]),
        Some("FR") => (Some(Country::Fr), &t[2..]),
        _ => (None, t),
    }
}

/// Digits only, dropping the separators people type; `None` on any other character or
/// on more than `max` digits.
fn collect_digits(input: &str, max: usize) -> Option<String> {
    let mut out = String::with_capacity(max);
    for c in input.trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '.' | '-' | '/' => {}
            _ => return None,
        }
        if out.len() > max {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn mod97_ok(digits10: &str) -> bool {
    let (Ok(body), Ok(check)) = (digits10[..8].parse::<u64>(), digits10[8..].parse::<u64>()) else {
        return false;
    };
    97 - body % 97 == check
}

fn luhn_ok(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_numbers_parse_format_and_accept_legacy() {
        // 01234567 % 97 = 48, 97 - 48 = 49.
        let n = EnterpriseNumber::parse("0123.456.749").expect("valid");
        assert_eq!(n.to_string(), "0123.456.749");
        assert_eq!(EnterpriseNumber::parse("BE 0123456749"), Ok(n.clone()));
        assert_eq!(EnterpriseNumber::parse("123456749"), Ok(n));
        assert_eq!(
            EnterpriseNumber::parse("0123.456.748"),
            Err(IdError::Checksum)
        );
        assert!(EnterpriseNumber::parse("0123.456.7490").is_err());
        assert!(EnterpriseNumber::parse("FR0123456749").is_err());
    }

    #[test]
    fn french_numbers_use_luhn() {
        let siren = Siren::parse("732 829 320").expect("valid SIREN");
        assert_eq!(siren.to_string(), "732 829 320");
        assert_eq!(Siren::parse("732829321"), Err(IdError::Checksum));
        let siret = Siret::parse("73282932000074").expect("valid SIRET");
        assert_eq!(siret.to_string(), "732 829 320 00074");
        assert_eq!(siret.siren_digits(), "732829320");
        assert_eq!(Siret::parse("73282932000075"), Err(IdError::Checksum));
        // La Poste: digit sum multiple of 5.
        assert!(Siret::parse("35600000000010").is_ok());
        assert!(!luhn_ok("35600000000010"));
    }

    #[test]
    fn one_parse_says_which_kind() {
        let be = OrgNumber::parse("0123.456.749").expect("be");
        assert_eq!(be.kind(), OrgNumberKind::Be);
        assert_eq!(be.stored(), "0123456749");
        let siren = OrgNumber::parse("732829320").expect("siren");
        assert_eq!(siren.kind(), OrgNumberKind::Siren);
        let siret = OrgNumber::parse("FR 732 829 320 00074").expect("siret");
        assert_eq!(siret.kind(), OrgNumberKind::Siret);
        // 9-digit legacy Belgian number that is not a valid SIREN.
        let legacy = OrgNumber::parse("123456749").expect("legacy be");
        assert_eq!(legacy.kind(), OrgNumberKind::Be);
        assert_eq!(legacy.to_string(), "0123.456.749");
        assert_eq!(
            OrgNumber::from_stored(OrgNumberKind::Siret, siret.stored()),
            Ok(siret)
        );
    }

    #[test]
    fn ambiguous_nine_digits_need_a_prefix() {
        // Find a 9-digit number valid under both checks.
        let both = (1_000_000u64..1_100_000)
            .map(|body| format!("{body:07}{:02}", 97 - body % 97))
            .find(|d| d.len() == 9 && luhn_ok(d) && mod97_ok(&format!("0{d}")))
            .expect("some number passes both checks");
        assert_eq!(OrgNumber::parse(&both), Err(IdError::Ambiguous));
        assert_eq!(
            OrgNumber::parse(&format!("BE{both}")).map(|n| n.kind()),
            Ok(OrgNumberKind::Be)
        );
        assert_eq!(
            OrgNumber::parse(&format!("FR{both}")).map(|n| n.kind()),
            Ok(OrgNumberKind::Siren)
        );
    }

    #[test]
    fn errors_never_echo_the_input() {
        for bad in ["0123.456.748", "12345", "abc0123456749", "73282932000075"] {
            let msg = OrgNumber::parse(bad).expect_err("invalid").to_string();
            assert!(!msg.contains(bad) && !msg.contains("0123"), "{msg}");
        }
    }
}
