//! Roles: the preset's and the company's custom ones. Nobody defines a role with a
//! permission they do not hold, nor one that assigns what they could not assign.

use super::{Actor, Change, Done, Question, Result};
use outlay_core::invariants::{self, CustomRoleInput};
use outlay_core::role::Role;
use outlay_core::{authorize, Action, Reason};
use outlay_store::{Conn, Write};
use serde_json::json;

/// A role with what the actor may do with it now.
pub struct RoleView {
    pub role: Role,
    pub allowed_actions: Vec<&'static str>,
}

fn view(actor: &Actor, role: Role) -> RoleView {
    RoleView {
        allowed_actions: authorize::role_actions(&actor.principal, actor.ctx(), &role),
        role,
    }
}

/// Define a custom role from the catalog, as typed in.
pub struct Create {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub permissions: Vec<String>,
    pub read_only: bool,
    pub assignable: Vec<String>,
}

impl Change for Create {
    type Output = RoleView;

    fn action(&self) -> &'static str {
        "role.manage"
    }

    fn target(&self, _: &Actor) -> String {
        format!("role:{}", self.key.trim())
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<RoleView>> {
        let input = CustomRoleInput::parse(
            &actor.book,
            &self.key,
            &self.name,
            self.description.as_deref(),
            &self.permissions,
            self.read_only,
            &self.assignable,
        )?;
        let permit = invariants::define_role(&actor.principal, actor.ctx(), &actor.book, &input)?;
        let role = permit.payload().role().clone();
        if let Err(e) = outlay_store::roles::create(w, actor.org, &input.key, permit).await {
            return Err(if e.is_unique_violation() {
                Reason::RoleExists {
                    key: role.key.to_string(),
                }
                .into()
            } else {
                e.into()
            });
        }
        let permissions: Vec<String> = role.permissions.iter().map(|p| p.key()).collect();
        let detail = json!({"permissions": permissions, "read_only": role.read_only});
        Ok(Done::new(view(actor, role), detail))
    }
}

/// The company's roles, built-in and custom. Needs `role.view`.
pub struct List;

impl Question for List {
    type Output = Vec<RoleView>;

    fn action(&self) -> &'static str {
        "role.view"
    }

    fn target(&self) -> String {
        "roles".into()
    }

    async fn ask(self, _: &mut Conn, actor: &Actor) -> Result<Vec<RoleView>> {
        authorize::company(&actor.principal, actor.ctx(), Action::RoleView).into_result()?;
        Ok(actor.book.all().map(|r| view(actor, r.clone())).collect())
    }
}
