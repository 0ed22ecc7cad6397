//! Expense categories: every member reads the company's list (an expense names one of
//! them); finance (`category.manage`) adds, changes and archives them. An expense's category
//! is checked against the list when it is created, edited or corrected ([`check`]).

use super::{Actor, Change, Done, Error, Question, Result};
use outlay_core::category::{self, CategoryInput, CategoryPatch};
use outlay_core::{authorize, Action, Reason};
use outlay_store::categories::{self, CategoryRow};
use outlay_store::{Conn, Write};
use serde_json::json;

/// That an expense may be put in the category named `name`: one of the company's, not
/// archived; else a refusal naming `category`.
pub(super) async fn check(conn: &mut Conn, actor: &Actor, name: &str) -> Result<()> {
    let found = categories::by_name(conn, actor.org, name).await?;
    Ok(category::usable(
        name,
        found.map(|c| c.archived_at.is_some()),
    )?)
}

/// The company's categories, archived ones included: any member.
pub struct List;

impl Question for List {
    type Output = Vec<CategoryRow>;

    fn action(&self) -> &'static str {
        "category.list"
    }

    fn target(&self) -> String {
        "categories".into()
    }

    async fn ask(self, conn: &mut Conn, actor: &Actor) -> Result<Vec<CategoryRow>> {
        Ok(categories::list(conn, actor.org).await?)
    }
}

/// Add a category.
pub struct Create(pub CategoryInput);

/// Change category `id`: what the patch leaves out keeps its value.
pub struct Update {
    pub id: i64,
    pub patch: CategoryPatch,
}

/// Archive category `id`: it takes no new expense (archiving it again changes nothing).
pub struct Archive {
    pub id: i64,
}

/// A name taken by another category is a conflict, as a team's is.
fn taken(e: outlay_store::StoreError, name: &str) -> Error {
    match e.is_unique_violation() {
        true => Reason::CategoryExists { name: name.into() }.into(),
        false => e.into(),
    }
}

impl Change for Create {
    type Output = CategoryRow;

    fn action(&self) -> &'static str {
        "category.create"
    }

    fn target(&self, _: &Actor) -> String {
        format!("category:{}", self.0.name)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<CategoryRow>> {
        let manage = Action::CategoryManage;
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), manage)?;
        let c = self.0;
        let id = categories::create(w, actor.org, &c, permit).await;
        let id = id.map_err(|e| taken(e, &c.name))?;
        let row = categories::get(w, actor.org, id).await?;
        let detail = json!({"category_id": id, "name": c.name, "limit_minor": c.limit_minor,
                            "receipt_above_minor": c.receipt_above_minor});
        Ok(Done::new(row.ok_or(Error::NotFound)?, detail))
    }
}

impl Change for Update {
    type Output = CategoryRow;

    fn action(&self) -> &'static str {
        "category.update"
    }

    fn target(&self, _: &Actor) -> String {
        format!("category:{}", self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<CategoryRow>> {
        let manage = Action::CategoryManage;
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), manage)?;
        let before = categories::get(w, actor.org, self.id).await?;
        let before = before.ok_or(Error::NotFound)?;
        let after = before.input().patched(&self.patch)?;
        let done = categories::update(w, actor.org, self.id, &after, permit).await;
        done.map_err(|e| taken(e, &after.name))?;
        let row = categories::get(w, actor.org, self.id).await?;
        let detail = json!({
            "before": {"name": before.name, "limit_minor": before.limit_minor, "receipt_above_minor": before.receipt_above_minor},
            "after": {"name": after.name, "limit_minor": after.limit_minor, "receipt_above_minor": after.receipt_above_minor},
        });
        Ok(Done::new(row.ok_or(Error::NotFound)?, detail))
    }
}

impl Change for Archive {
    type Output = CategoryRow;

    fn action(&self) -> &'static str {
        "category.archive"
    }

    fn target(&self, _: &Actor) -> String {
        format!("category:{}", self.id)
    }

    async fn apply(self, w: &mut Write, actor: &Actor) -> Result<Done<CategoryRow>> {
        let manage = Action::CategoryManage;
        let permit = authorize::company_permit(&actor.principal, actor.ctx(), manage)?;
        let before = categories::get(w, actor.org, self.id).await?;
        let before = before.ok_or(Error::NotFound)?;
        let archived = categories::archive(w, actor.org, self.id, permit).await?;
        let row = categories::get(w, actor.org, self.id).await?;
        let detail = json!({"name": before.name, "archived": archived});
        Ok(Done::new(row.ok_or(Error::NotFound)?, detail))
    }
}
