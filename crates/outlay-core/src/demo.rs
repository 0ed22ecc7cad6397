//! The demo companies, as plain data: Acme (the tour in the README) and Globex (proof that
//! companies never see each other). The store seeds them; the benchmarks build on them.

use crate::expense::ExpenseStatus;

/// Every demo person's password.
pub const PASSWORD: &str = "outlay-demo";

pub struct DemoPerson {
    /// First name, lowercase: also the local part of the email.
    pub key: &'static str,
    pub name: &'static str,
    /// Roles held, each optionally bound to a team by name.
    pub grants: &'static [(&'static str, Option<&'static str>)],
    pub manager: Option<&'static str>,
    pub teams: &'static [&'static str],
}

pub struct DemoCompany {
    pub name: &'static str,
    pub domain: &'static str,
    pub teams: &'static [&'static str],
    pub people: &'static [DemoPerson],
}

impl DemoCompany {
    pub fn email(&self, person: &DemoPerson) -> String {
        format!("{}@{}", person.key, self.domain)
    }

    pub fn person(&self, key: &str) -> Option<&DemoPerson> {
        self.people.iter().find(|p| p.key == key)
    }

    /// Who decides a person's expenses in the demo: their manager.
    pub fn approver_of(&self, person: &DemoPerson) -> Option<&DemoPerson> {
        person.manager.and_then(|m| self.person(m))
    }
}

const fn person(
    key: &'static str,
    name: &'static str,
    grants: &'static [(&'static str, Option<&'static str>)],
    manager: Option<&'static str>,
    teams: &'static [&'static str],
) -> DemoPerson {
    DemoPerson {
        key,
        name,
        grants,
        manager,
        teams,
    }
}

pub static ACME: DemoCompany = DemoCompany {
    name: "Acme",
    domain: "acme.example",
    teams: &["Sales", "Engineering"],
    people: &[
        person("olivia", "Olivia Owner", &[("owner", None)], None, &[]),
        person("adam", "Adam Admin", &[("admin", None)], None, &[]),
        person("fiona", "Fiona Finance", &[("finance", None)], None, &[]),
        person("audrey", "Audrey Auditor", &[("auditor", None)], None, &[]),
        person("bea", "Bea Bookkeeper", &[("accountant", None)], None, &[]),
        person(
            "mark",
            "Mark Manager",
            &[("manager", None)],
            Some("olivia"),
            &["Sales"],
        ),
        person(
            "alice",
            "Alice Employee",
            &[("employee", None)],
            Some("mark"),
            &["Sales"],
        ),
        person(
            "bob",
            "Bob Employee",
            &[("employee", None)],
            Some("mark"),
            &["Sales"],
        ),
        person(
            "nora",
            "Nora Manager",
            &[("manager", None)],
            Some("olivia"),
            &["Engineering"],
        ),
        person(
            "erin",
            "Erin Employee",
            &[("employee", None)],
            Some("nora"),
            &["Engineering"],
        ),
    ],
};

pub static GLOBEX: DemoCompany = DemoCompany {
    name: "Globex",
    domain: "globex.example",
    teams: &["Operations"],
    people: &[
        person("gina", "Gina Owner", &[("owner", None)], None, &[]),
        person(
            "gus",
            "Gus Employee",
            &[("employee", None)],
            Some("gina"),
            &["Operations"],
        ),
    ],
};

pub struct DemoExpense {
    pub merchant: &'static str,
    pub amount_minor: i64,
    pub currency: &'static str,
    pub category: &'static str,
    pub spent_on: &'static str,
    pub status: ExpenseStatus,
}

/// The expenses each person with a manager gets: one in every status.
pub fn expenses_of(person: &DemoPerson) -> Vec<DemoExpense> {
    // Vary amounts by name so lists are easy to tell apart.
    let base = person.key.bytes().map(i64::from).sum::<i64>() * 10;
    let e = |merchant, amount_minor, category, spent_on, status| DemoExpense {
        merchant,
        amount_minor,
        currency: "EUR",
        category,
        spent_on,
        status,
    };
    vec![
        e(
            "Deutsche Bahn",
            base + 8_990,
            "travel",
            "2026-10-02",
            ExpenseStatus::Approved,
        ),
        e(
            "Hotel Adlon",
            base + 21_450,
            "lodging",
            "2026-10-14",
            ExpenseStatus::Rejected,
        ),
        e(
            "Cafe Einstein",
            base + 1_280,
            "meals",
            "2026-11-03",
            ExpenseStatus::Submitted,
        ),
        e(
            "Office Depot",
            base + 3_499,
            "office",
            "2026-11-12",
            ExpenseStatus::Draft,
        ),
    ]
}
