//! `POST /api/v1/orgs`: found a company: the caller becomes its member holding the preset's top
//! role (owner, account holder or admin).

use super::*;
use crate::ops::{self, orgs::Found};

/// Found a company: the caller becomes its member holding the preset's top role (owner,
/// account holder or admin).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = NewOrg,
    responses((status = 201, body = NewOrgOut), (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<App>,
    auth: Auth,
    Body(req): Body<NewOrg>,
) -> Result<(StatusCode, Json<NewOrgOut>), WebError> {
    let name = outlay_core::validate::text("name", &req.name, 120)?;
    let key = req.preset.as_deref().unwrap_or("outlay").trim();
    let preset = preset::get(key).ok_or_else(|| {
        let keys: Vec<&str> = preset::all().iter().map(|p| p.key).collect();
        WebError::invalid(
            "preset",
            format!("`{key}` is not a preset; one of: {}", keys.join(", ")),
        )
    })?;
    let currency = req.base_currency.as_deref().unwrap_or("EUR").trim();
    outlay_core::money::Money::new(1, currency)
        .map_err(|e| WebError::invalid("base_currency", e.reason))?;
    let found = Found {
        name,
        preset,
        base_currency: currency.to_string(),
    };
    app.charge("org.create", auth.person.id, None, auth.now)?;
    let (row, member) = ops::orgs::found(&app.store, &auth.person, auth.now, found).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewOrgOut {
            org: org_out(row),
            member_id: member.0,
            role: preset.top.to_string(),
        }),
    ))
}
