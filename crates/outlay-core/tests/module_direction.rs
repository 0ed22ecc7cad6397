//! Presets build on the role model, never the reverse: `role.rs` (a role, a resolved preset,
//! a company's role book) names no `preset` in its code, and `preset.rs` defines the built-in
//! presets with role.rs's types.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// A source file of the crate without its comments.
fn code(file: &str) -> String {
    let text =
        std::fs::read_to_string(format!("{}/src/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn presets_depend_on_roles_and_roles_not_on_presets() {
    assert!(code("preset.rs").contains("crate::role::"));
    let role = code("role.rs");
    assert!(!role.contains("crate::preset"), "role.rs reads preset.rs");
    assert!(!role.contains("super::preset"), "role.rs reads preset.rs");
}
