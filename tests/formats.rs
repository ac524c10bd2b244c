//! One snapshot per output format on the same input, through the real binary. The human
//! format is a contract too: changes to it show up here for review.

use std::process::Command;

const ACCOUNTS: &str = "Id,Name,Industry,AnnualRevenue\n0015g000000001AAA,Acme Inc.,Technology,1000000\n0015g000000002AAA,,Retail,n/a\n";
const CONTACTS: &str = "Id,FirstName,LastName,Email,AccountId,CreatedDate\n\
c1,Ann,Lee,ann@example.com,0015g000000001AAA,2026-01-05\n\
c2,Bo,,N/A,0015g000000009AAA,31/02/2026\n\
c3,Ann,Lee,Ann@Example.com,,2026-01-06\n";

fn run(format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("accounts.csv"), ACCOUNTS).unwrap();
    std::fs::write(dir.path().join("contacts.csv"), CONTACTS).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_crmaudit"))
        .args([
            "audit",
            "accounts.csv",
            "contacts.csv",
            "--format",
            format,
            "--color",
            "never",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn human() {
    insta::assert_snapshot!(run("human"));
}

#[test]
fn json() {
    let text = run("json");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    insta::assert_snapshot!(text);
}

#[test]
fn markdown() {
    insta::assert_snapshot!(run("markdown"));
}
