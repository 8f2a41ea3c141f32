//! A name that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first)
//! is written to the `.xlsx` export as text, with a leading `'`.

use calamine::{Data, Reader, Xlsx};
use vouchers::export::users_xlsx;
use vouchers::userlist::UserRow;
use vouchers::users::User;

fn user(legal_name: &str, city: &str) -> UserRow {
    UserRow {
        user: User {
            id: "u1".to_owned(),
            structure_id: "s1".to_owned(),
            kind: "legal".to_owned(),
            first_name: None,
            last_name: None,
            legal_name: Some(legal_name.to_owned()),
            common_name: None,
            enterprise_number: None,
            email: Some("@evil.example".to_owned()),
            phone: None,
            street: Some("+32 cmd|' /C calc'!A0".to_owned()),
            postcode: None,
            city: Some(city.to_owned()),
            language: "fr".to_owned(),
            created_at: 0,
        },
        display_name: "=HYPERLINK(\"http://evil.example\",\"open\")".to_owned(),
        valid_from: None,
        valid_until: None,
        authorized_today: false,
        balance: 0,
    }
}

#[test]
fn formula_cells_are_exported_as_text() {
    let bytes = users_xlsx(
        &[user("-1+2", "\tNamur"), user("Dupont SRL", "Namur")],
        i18n::Lang::En,
    )
    .expect("xlsx");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("open");
    let sheet = book.worksheet_range("Users").expect("sheet");
    let mut texts = Vec::new();
    for row in sheet.rows().skip(1) {
        for cell in row {
            if let Data::String(s) = cell {
                texts.push(s.clone());
            }
        }
    }
    for t in &texts {
        assert!(
            !t.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a formula cell was exported: {t:?}"
        );
    }
    assert!(texts.contains(&"'=HYPERLINK(\"http://evil.example\",\"open\")".to_owned()));
    assert!(texts.contains(&"'-1+2".to_owned()));
    assert!(texts.contains(&"Dupont SRL".to_owned()));
}
