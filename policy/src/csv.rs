//! A small CSV reader for register extracts: `,` or `;` separated (guessed from the first
//! line), fields optionally in double quotes (`""` inside quotes is a quote, newlines
//! allowed), a leading byte-order mark ignored. Records carry their first line number.

/// One record: its first line number (1-based) and its fields, or why it is malformed.
pub(crate) type Record = (usize, Result<Vec<String>, &'static str>);

/// Split `text` into records; blank lines are skipped.
pub(crate) fn records(text: &str) -> Vec<Record> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        ';'
    } else {
        ','
    };
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1usize;
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut in_quotes = false;
        let mut was_quoted = false;
        let mut error: Option<&'static str> = None;
        loop {
            let Some(c) = chars.next() else {
                if in_quotes {
                    error = Some("unterminated quoted field");
                }
                break;
            };
            if in_quotes {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => in_quotes = false,
                    '\n' => {
                        line += 1;
                        field.push('\n');
                    }
                    _ => field.push(c),
                }
                continue;
            }
            match c {
                '"' if field.trim().is_empty() && !was_quoted => {
                    field.clear();
                    in_quotes = true;
                    was_quoted = true;
                }
                '"' => error = error.or(Some("quote inside an unquoted field")),
                '\r' => {}
                '\n' => {
                    line += 1;
                    break;
                }
                c if c == delimiter => {
                    fields.push(finish(&mut field, was_quoted));
                    was_quoted = false;
                }
                _ => {
                    if was_quoted && !c.is_whitespace() {
                        error = error.or(Some("text after a closing quote"));
                    }
                    field.push(c);
                }
            }
        }
        fields.push(finish(&mut field, was_quoted));
        if fields.len() == 1 && fields[0].is_empty() && error.is_none() {
            continue;
        }
        out.push((start, error.map_or(Ok(fields), Err)));
    }
    out
}

fn finish(field: &mut String, quoted: bool) -> String {
    let f = std::mem::take(field);
    if quoted { f } else { f.trim().to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quotes_delimiters_and_counts_lines() {
        let text =
            "\u{feff}a;b;c\n\n\"x;y\";\"say \"\"hi\"\"\";z\n\"multi\nline\";2;3\nbad\"quote;1;2\n";
        let r = records(text);
        assert_eq!(r.len(), 4);
        assert_eq!(r[0], (1, Ok(vec!["a".into(), "b".into(), "c".into()])));
        assert_eq!(
            r[1],
            (3, Ok(vec!["x;y".into(), "say \"hi\"".into(), "z".into()]))
        );
        assert_eq!(
            r[2],
            (4, Ok(vec!["multi\nline".into(), "2".into(), "3".into()]))
        );
        assert_eq!(r[3].0, 6);
        assert!(r[3].1.is_err());
    }

    #[test]
    fn comma_when_no_semicolons() {
        let r = records("a, b ,c\r\nd,e,f");
        assert_eq!(r[0].1, Ok(vec!["a".into(), "b".into(), "c".into()]));
        assert_eq!(r[1], (2, Ok(vec!["d".into(), "e".into(), "f".into()])));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = records(&s);
        }
    }
}
