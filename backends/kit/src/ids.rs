//! Identifiers with check digits the backends receive as input.

/// Why an enterprise number was refused. Never contains the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnterpriseNumberError {
    /// Not 10 digits (dots, spaces and a `BE` prefix are allowed around them).
    #[error("an enterprise number has 10 digits")]
    Length,
    /// The mod-97 check digits do not match.
    #[error("the enterprise number's check digits do not match")]
    Checksum,
}

impl EnterpriseNumberError {
    /// Why, as a refusal of the field `enterprise_number` a person reads in their
    /// language.
    pub fn text(&self) -> crate::error::Text {
        crate::texts::text(match self {
            Self::Length => "kit_enterprise_number_length",
            Self::Checksum => "kit_enterprise_number_checksum",
        })
    }
}

/// Normalise a Belgian enterprise number (BCE/KBO: 10 digits, starting with 0 or 1, the
/// last two being 97 minus the first eight modulo 97) to its 10 digits.
pub fn enterprise_number(input: &str) -> Result<String, EnterpriseNumberError> {
    let trimmed = input.trim();
    let trimmed = trimmed
        .strip_prefix("BE")
        .or_else(|| trimmed.strip_prefix("be"))
        .unwrap_or(trimmed);
    let mut digits = String::with_capacity(10);
    for c in trimmed.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '.' | ' ' | '-' => {}
            _ => return Err(EnterpriseNumberError::Length),
        }
    }
    if digits.len() == 9 {
        // Old numbers were written without the leading zero.
        digits.insert(0, '0');
    }
    if digits.len() != 10 || !(digits.starts_with('0') || digits.starts_with('1')) {
        return Err(EnterpriseNumberError::Length);
    }
    let body: u64 = digits[..8]
        .parse()
        .map_err(|_| EnterpriseNumberError::Length)?;
    let check: u64 = digits[8..]
        .parse()
        .map_err(|_| EnterpriseNumberError::Length)?;
    if 97 - body % 97 == check {
        Ok(digits)
    } else {
        Err(EnterpriseNumberError::Checksum)
    }
}

/// `0203.201.340` for display.
pub fn format_enterprise_number(digits: &str) -> String {
    if digits.len() == 10 && digits.chars().all(|c| c.is_ascii_digit()) {
        format!("{}.{}.{}", &digits[..4], &digits[4..7], &digits[7..])
    } else {
        digits.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_spellings() {
        assert_eq!(
            enterprise_number("0203.201.340").as_deref(),
            Ok("0203201340")
        );
        assert_eq!(
            enterprise_number("BE 0403 449 625").as_deref(),
            Ok("0403449625")
        );
        assert_eq!(enterprise_number("403449625").as_deref(), Ok("0403449625"));
        assert_eq!(format_enterprise_number("0203201340"), "0203.201.340");
    }

    #[test]
    fn refuses_bad_numbers() {
        assert_eq!(
            enterprise_number("0203.201.341"),
            Err(EnterpriseNumberError::Checksum)
        );
        assert_eq!(
            enterprise_number("12345"),
            Err(EnterpriseNumberError::Length)
        );
        assert_eq!(
            enterprise_number("2203201340"),
            Err(EnterpriseNumberError::Length)
        );
        assert_eq!(
            enterprise_number("0203x201340"),
            Err(EnterpriseNumberError::Length)
        );
    }
}
