//! The demo companies, as plain data: Acme (the tour in the README), Globex (proof that
//! companies never see each other), and one small company per seed preset with people in each
//! of its roles. The store seeds them; the benchmarks and tests build on them.

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
    /// An external member (a bookkeeper from outside): never holds cards.
    pub external: bool,
}

pub struct DemoCompany {
    pub name: &'static str,
    /// The role-model preset the company runs.
    pub preset: &'static str,
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
        external: false,
    }
}

const fn external(
    key: &'static str,
    name: &'static str,
    grants: &'static [(&'static str, Option<&'static str>)],
) -> DemoPerson {
    DemoPerson {
        external: true,
        ..person(key, name, grants, None, &[])
    }
}

pub static ACME: DemoCompany = DemoCompany {
    name: "Acme",
    preset: "outlay",
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
    preset: "outlay",
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

pub static PLEO: DemoCompany = DemoCompany {
    name: "Pleo Demo",
    preset: "pleo",
    domain: "pleo.example",
    teams: &["Marketing"],
    people: &[
        person("paula", "Paula Admin", &[("admin", None)], None, &[]),
        person(
            "ed",
            "Ed Employee",
            &[("employee", None)],
            Some("paula"),
            &["Marketing"],
        ),
        person(
            "emil",
            "Emil Employee",
            &[("employee", None)],
            Some("paula"),
            &["Marketing"],
        ),
        person(
            "rita",
            "Rita Reviewer",
            &[("expense_reviewer", None), ("employee", None)],
            Some("paula"),
            &[],
        ),
        person("fin", "Finn Finance", &[("finance", None)], None, &[]),
        external("lars", "Lars Bookkeeper", &[("bookkeeper_limited", None)]),
        external("xena", "Xena Bookkeeper", &[("bookkeeper_extended", None)]),
    ],
};

pub static ELOOPE: DemoCompany = DemoCompany {
    name: "Eloope Demo",
    preset: "eloope",
    domain: "eloope.example",
    teams: &["Support"],
    people: &[
        person("ada", "Ada Admin", &[("admin", None)], None, &[]),
        person(
            "max",
            "Max Manager",
            &[("manager", None)],
            Some("ada"),
            &["Support"],
        ),
        person(
            "eve",
            "Eve Employee",
            &[("employee", None)],
            Some("max"),
            &["Support"],
        ),
        person(
            "ian",
            "Ian Employee",
            &[("employee", None)],
            Some("ada"),
            &[],
        ),
        person(
            "fred",
            "Fred Finance",
            &[("finance", None)],
            Some("ada"),
            &[],
        ),
        person("aud", "Aud Auditor", &[("auditor", None)], None, &[]),
        person("nia", "Nia Manager", &[("manager", None)], Some("ada"), &[]),
    ],
};

pub static PLIANT: DemoCompany = DemoCompany {
    name: "Pliant Demo",
    preset: "pliant",
    domain: "pliant.example",
    teams: &["Field", "Office"],
    people: &[
        person("otto", "Otto Owner", &[("owner", None)], None, &[]),
        person("amy", "Amy Admin", &[("admin", None)], None, &[]),
        person("acc", "Acc Accountant", &[("accountant", None)], None, &[]),
        person("aldo", "Aldo Auditor", &[("auditor", None)], None, &[]),
        person(
            "tom",
            "Tom Teammanager",
            &[("team_manager", Some("Field"))],
            None,
            &["Office"],
        ),
        person("cara", "Cara Cardholder", &[], Some("tom"), &["Field"]),
        person("carl", "Carl Cardholder", &[], None, &["Office"]),
    ],
};

pub static QONTO: DemoCompany = DemoCompany {
    name: "Qonto Demo",
    preset: "qonto",
    domain: "qonto.example",
    teams: &["Ops", "Tech"],
    people: &[
        person(
            "holly",
            "Holly Holder",
            &[("account_holder", None)],
            None,
            &[],
        ),
        person("andy", "Andy Admin", &[("admin", None)], None, &[]),
        person(
            "mia",
            "Mia Basicmanager",
            &[("manager_basic", Some("Ops"))],
            None,
            &["Ops"],
        ),
        person(
            "max",
            "Max Advancedmanager",
            &[("manager_advanced", Some("Ops"))],
            None,
            &["Ops"],
        ),
        person(
            "emma",
            "Emma Employee",
            &[("employee", None)],
            Some("max"),
            &["Ops"],
        ),
        person(
            "tim",
            "Tim Employee",
            &[("employee", None)],
            Some("holly"),
            &["Tech"],
        ),
        external("abe", "Abe Accountant", &[("accountant", None)]),
    ],
};

pub static PLANE: DemoCompany = DemoCompany {
    name: "Plane Demo",
    preset: "plane",
    domain: "plane.example",
    teams: &["Crew"],
    people: &[
        person("pat", "Pat Admin", &[("admin", None)], None, &[]),
        person("mo", "Mo Manager", &[("manager", None)], Some("pat"), &[]),
        person(
            "will",
            "Will Worker",
            &[("worker", None)],
            Some("mo"),
            &["Crew"],
        ),
        person(
            "walt",
            "Walt Worker",
            &[("worker", None)],
            Some("will"),
            &["Crew"],
        ),
        person(
            "frank",
            "Frank Fullaccess",
            &[("full_access_manager", None)],
            Some("pat"),
            &[],
        ),
        person(
            "dora",
            "Dora Payer",
            &[("direct_reports_payer", None)],
            Some("pat"),
            &[],
        ),
        person(
            "wendy",
            "Wendy Worker",
            &[("worker", None)],
            Some("dora"),
            &["Crew"],
        ),
        person(
            "pam",
            "Pam Assistant",
            &[("payment_request_assistant", None)],
            Some("pat"),
            &[],
        ),
        person("vic", "Vic Viewer", &[("viewer", None)], None, &[]),
        person(
            "acct",
            "Acct Accountant",
            &[("accountant", None)],
            None,
            &[],
        ),
    ],
};

/// Every demo company, Acme first.
pub static COMPANIES: [&DemoCompany; 7] = [&ACME, &GLOBEX, &PLEO, &ELOOPE, &PLIANT, &QONTO, &PLANE];

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
