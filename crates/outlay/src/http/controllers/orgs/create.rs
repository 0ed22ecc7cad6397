//! `POST /api/v1/orgs`: found a company: the caller becomes its member holding the preset's top
//! role (owner, account holder or admin).

use super::*;

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
    let mut tx = app.store.write(auth.now).await?;
    let founding = Founding {
        name: &name,
        preset,
        base_currency: currency,
        founder_person: auth.person.id,
        founder_name: &auth.person.name,
        invitation: None,
    };
    let (org, member) = orgs::found(&mut tx, &founding).await?;
    tx.audit(NewEvent {
            org,
            at: auth.now,
            actor_member: Some(member),
            actor_person: Some(auth.person.id),
            action: "org.create",
            target: &format!("org:{}", org.0),
            outcome: Outcome::Allowed,
            reason: "founder",
        detail: json!({"name": name, "preset": preset.key, "base_currency": currency, "role": preset.top}),
    })
    .await?;
    let row = orgs::get(&mut tx, org).await?.ok_or(WebError::NotFound)?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(NewOrgOut {
            org: org_out(row),
            member_id: member.0,
            role: preset.top.to_string(),
        }),
    ))
}
