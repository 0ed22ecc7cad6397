//! The OpenAPI 3.1 document of the API, generated from the handlers' annotations.

use super::controllers::*;
use super::App;
use axum::{Json, Router};
use std::sync::OnceLock;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Ref, RefOr, Required};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        // Every route that needs a token answers 401 without one; say so once, here.
        let unauthorized = ResponseBuilder::new()
            .description("no, invalid, expired or revoked token")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        for item in api.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    op.responses
                        .responses
                        .entry("401".to_string())
                        .or_insert_with(|| unauthorized.clone().into());
                }
            }
        }
    }
}

/// Statuses the edge answers on any route: 503 when the server is busy (database
/// connections, password hashes, a request over its time), and on routes that take a body,
/// 408, 413 and 415 (`extract::Body`). Described once under `components/responses`.
struct EdgeResponses;

impl Modify for EdgeResponses {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        const BODY: [(&str, &str, &str); 3] = [
            ("408", "BodyTimeout", "the body did not arrive in time"),
            ("413", "TooLarge", "the body is over the size limit"),
            (
                "415",
                "NotJson",
                "the body is not declared as `application/json`",
            ),
        ];
        const BUSY: (&str, &str, &str) = (
            "503",
            "Busy",
            "busy for now (database connections, password hashes, or the request ran out of time); see `Retry-After`",
        );
        let components = api.components.get_or_insert_with(Default::default);
        for (_, name, description) in BODY.iter().chain([&BUSY]) {
            components.responses.insert(
                name.to_string(),
                ResponseBuilder::new()
                    .description(*description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build()
                    .into(),
            );
        }
        let reference = |name: &str| Ref::new(format!("#/components/responses/{name}")).into();
        for item in api.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                let with_body = op.request_body.is_some();
                let responses = &mut op.responses.responses;
                let (status, name, _) = BUSY;
                responses
                    .entry(status.to_string())
                    .or_insert_with(|| reference(name));
                if with_body {
                    for (status, name, _) in BODY {
                        responses
                            .entry(status.to_string())
                            .or_insert_with(|| reference(name));
                    }
                }
            }
        }
    }
}

/// Statuses that come from what every route of a kind shares, not from one handler: a body
/// or query that does not parse is a 400 (`extract::Body`, `extract::Query`), a path id that
/// is not a number or not visible a 404 (`extract::Path`), and in a company an archived
/// member is refused (403 `archived`) and a closed company refuses changes, and reads to all
/// but its owners and auditors (409 `company_closed`; `actor`). Each is added where a route
/// does not already describe it.
struct SharedResponses;

impl Modify for SharedResponses {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
        // Bodies whose every field is optional: an empty body reads as `{}` and is accepted.
        let optional_bodies: Vec<String> = api
            .components
            .as_ref()
            .map(|c| {
                c.schemas
                    .iter()
                    .filter(|(_, s)| match s {
                        RefOr::T(Schema::Object(o)) => o.required.is_empty(),
                        _ => false,
                    })
                    .map(|(name, _)| format!("#/components/schemas/{name}"))
                    .collect()
            })
            .unwrap_or_default();
        for (path, item) in api.paths.paths.iter_mut() {
            let in_company = path.starts_with("/api/v1/orgs/{org}");
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                if let Some(body) = op.request_body.as_mut() {
                    let optional = body.content.values().all(|c| match &c.schema {
                        Some(RefOr::Ref(r)) => optional_bodies.contains(&r.ref_location),
                        _ => false,
                    });
                    if optional {
                        body.required = Some(Required::False);
                    }
                }
                // Every demo and example company is company 1: an example that reaches a
                // handler, where a drawn id would only ever be a 404.
                for p in op.parameters.iter_mut().flatten() {
                    if p.name == "org" && p.parameter_in == ParameterIn::Path {
                        if let Some(RefOr::T(Schema::Object(o))) = p.schema.as_mut() {
                            o.examples = vec![serde_json::json!(1)];
                        }
                    }
                }
                let params = op.parameters.as_deref().unwrap_or_default();
                let in_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
                let in_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
                let mut add = |status: &str, description: &str| {
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| error(description).into());
                };
                if op.request_body.is_some() || in_query {
                    add("400", "invalid input: `field` names it");
                }
                if in_path {
                    add("404", "no such resource, or not visible to the caller");
                }
                if in_company {
                    add("403", "refused: the code says why (e.g. `archived`)");
                    add(
                        "409",
                        "refused by a rule of the data (e.g. `company_closed`)",
                    );
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Outlay API", description = "Self-hostable spend management: members, roles, grants, expenses, explainable decisions and a tamper-evident audit log."),
    tags(
        (name = "auth", description = "logging in and out"),
        (name = "orgs", description = "companies, their presets and lifecycle"),
        (name = "delegations", description = "acting for someone else for a while"),
        (name = "role requests", description = "asking for a role, and deciding"),
        (name = "roles", description = "the permission catalog and roles"),
        (name = "members", description = "members, grants, reporting lines"),
        (name = "teams", description = "teams"),
        (name = "expenses", description = "expenses and their approval"),
        (name = "categories", description = "the company's expense categories: limits per expense and receipt rules, kept by finance"),
        (name = "approval policy", description = "who approves a submitted report, in which steps: rules by amount, category, team and role; versioned"),
        (name = "advances", description = "cash advances: requested, decided, paid out, settled against reports, the rest returned"),
        (name = "notices", description = "what the servers told the caller: approval reminders and escalations"),
        (name = "trips", description = "trips: requested, decided, their expenses' total and per-diem allowance"),
        (name = "allowances", description = "per-diem allowances per destination and mileage rates per vehicle, set by finance"),
        (name = "rates", description = "exchange rates by date: what an amount in another currency counts as"),
        (name = "reports", description = "expense reports: expenses submitted, decided and paid together"),
        (name = "reimbursements", description = "members' payout accounts, and paying approved reports with SEPA credit transfer files"),
        (name = "approvals", description = "what awaits the caller's approval, and deciding many at once"),
        (name = "authz", description = "explaining decisions"),
        (name = "audit", description = "the audit log"),
    )
)]
struct ApiDoc;

/// Every route of `/api/v1` with the OpenAPI document that describes it: each handler is
/// registered once, by its resource's `routes()`, and its `#[utoipa::path]` is both its
/// route and its entry in the document. The statuses every route of a kind shares are added
/// afterwards, over the whole document.
pub fn api() -> (Router<App>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::routes())
        .merge(me::routes())
        .merge(orgs::routes())
        .merge(delegations::routes())
        .merge(role_requests::routes())
        .merge(catalog::routes())
        .merge(roles::routes())
        .merge(members::routes())
        .merge(teams::routes())
        .merge(expenses::routes())
        .merge(categories::routes())
        .merge(corrections::routes())
        .merge(reports::routes())
        .merge(bank_accounts::routes())
        .merge(reimbursements::routes())
        .merge(approvals::routes())
        .merge(approval_policy::routes())
        .merge(rates::routes())
        .merge(advances::routes())
        .merge(notices::routes())
        .merge(trips::routes())
        .merge(allowances::routes())
        .merge(authz::routes())
        .merge(audit::routes())
        .routes(utoipa_axum::routes!(serve))
        .split_for_parts();
    for modifier in [
        &BearerAuth as &dyn Modify,
        &EdgeResponses,
        &SharedResponses,
        &TaggedOperationIds,
    ] {
        modifier.modify(&mut doc);
    }
    (router, doc)
}

/// Operation ids are the handler's name, which repeats across resources (`create`, `list`):
/// each becomes `{tag}_{name}` (`expenses_create`), so that generated clients get one
/// distinct method per operation. `tests/api/openapi.rs` checks they are unique.
struct TaggedOperationIds;

impl Modify for TaggedOperationIds {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        for item in api.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                let tag = op.tags.as_ref().and_then(|t| t.first());
                if let (Some(id), Some(tag)) = (op.operation_id.as_ref(), tag) {
                    let tag: String = tag
                        .chars()
                        .map(|c| match c.is_ascii_alphanumeric() {
                            true => c.to_ascii_lowercase(),
                            false => '_',
                        })
                        .collect();
                    op.operation_id = Some(format!("{tag}_{id}"));
                }
            }
        }
    }
}

/// The OpenAPI document of the API, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| api().1)
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "auth",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn serve() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(document())
}
