//! The OpenAPI 3.1 document of the API, generated from the handlers' annotations.

use super::controllers::*;
use axum::Json;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::Ref;
use utoipa::{Modify, OpenApi};

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

#[derive(OpenApi)]
#[openapi(
    info(title = "Outlay API", description = "Self-hostable spend management: members, roles, grants, expenses, explainable decisions and a tamper-evident audit log."),
    paths(
        auth::login, auth::logout, me::me,
        orgs::presets, orgs::create, orgs::get, orgs::close,
        delegations::create, delegations::list, delegations::end,
        role_requests::create, role_requests::list, role_requests::approve, role_requests::decline,
        catalog::permissions, roles::list, roles::create,
        members::list, members::invite, members::get, members::update_profile, members::permissions, members::replace_grants, members::preview_grants,
        members::set_manager, members::archive, members::accept_invitation,
        teams::list, teams::create, teams::add_member, teams::remove_member,
        expenses::list, expenses::create, expenses::get, expenses::edit, expenses::delete,
        expenses::submit, expenses::approve, expenses::reject, expenses::override_decision,
        authz::explain, audit::list, audit::verify, serve,
    ),
    modifiers(&BearerAuth, &EdgeResponses),
    tags(
        (name = "auth", description = "logging in and out"),
        (name = "orgs", description = "companies, their presets and lifecycle"),
        (name = "delegations", description = "acting for someone else for a while"),
        (name = "role requests", description = "asking for a role, and deciding"),
        (name = "roles", description = "the permission catalog and roles"),
        (name = "members", description = "members, grants, reporting lines"),
        (name = "teams", description = "teams"),
        (name = "expenses", description = "expenses and their approval"),
        (name = "authz", description = "explaining decisions"),
        (name = "audit", description = "the audit log"),
    )
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "auth",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
