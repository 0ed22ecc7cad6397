//! The store's modules depend on each other one way: no module reaches, through others, back
//! to itself (founding -> members -> roles -> orgs, for one). A module's dependencies are the
//! `crate::name` paths in its code, comments left out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

/// Each module of `src` with the modules its code names.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let modules: BTreeSet<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".rs").map(str::to_string))
        .filter(|n| n != "lib")
        .collect();
    let mut out = BTreeMap::new();
    for module in &modules {
        let text = std::fs::read_to_string(format!("{src}/{module}.rs")).unwrap();
        let code: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let mut names = BTreeSet::new();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            // `crate::{a, b::c}` names a and b; `crate::a::x` names a.
            let named: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .map(|p| p.trim().split("::").next().unwrap_or(""))
                    .collect(),
                None => vec![rest
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or("")],
            };
            for name in named {
                if name != module && modules.contains(name) {
                    names.insert(name.to_string());
                }
            }
        }
        out.insert(module.clone(), names);
    }
    out
}

/// A path from `from` back to itself, if there is one.
fn circle(deps: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap();
        for next in &deps[last] {
            if next == from {
                let mut found = path.clone();
                found.push(next.clone());
                return Some(found);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn no_module_of_the_store_depends_on_itself_through_others() {
    let deps = dependencies();
    assert!(deps["members"].contains("roles"), "{deps:?}");
    assert!(deps["founding"].contains("members"), "{deps:?}");
    let circles: Vec<String> = deps
        .keys()
        .filter_map(|m| circle(&deps, m))
        .map(|c| c.join(" -> "))
        .collect();
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}
