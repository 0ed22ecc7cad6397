//! Passwords of a person: a reset by e-mail when forgotten, and a change by a signed-in
//! person. A reset request always answers the same, whether the e-mail has an account or
//! not; when it has one with a password, a single-use link (its token stored hashed, valid
//! `recovery::RESET_SECONDS`) is e-mailed. The link sets a new password once and ends every
//! session of the person; a change needs the current password and ends the person's other
//! sessions. Each token or password check is under the login throttle (`guard`) and each
//! step is in the person-level trail.

use super::guard::{self, Guard, Who};
use super::{Error, Result};
use crate::App;
use outlay_core::recovery::{self, Reset, RESET_SECONDS};
use outlay_core::Timestamp;
use outlay_store::auth::{self as people, PersonRow};
use outlay_store::mails::{self, MailKind, NewMail};
use outlay_store::person_audit::{self, NewPersonEvent, PersonEventKind};

/// Ask for a reset link for a checked e-mail, from a client address (empty when unknown).
pub struct RequestReset {
    pub email: String,
    pub address: String,
}

/// Queues the reset mail when the e-mail names a person with a password; answers the same
/// either way. Charged to the throttle like a failed attempt, so nobody floods an inbox.
pub async fn request_reset(app: &App, cmd: RequestReset) -> Result<()> {
    let now = app.now();
    let guard = Guard::enter(app, Who::Email(&cmd.email), &cmd.address).await?;
    let issue = guard
        .person()
        .and_then(|p| recovery::issue_reset(p.id, p.password_hash.is_some()).map(|t| (p, t)));
    let Some((person, token)) = issue else {
        guard.record(PersonEventKind::ResetRequested, "no_account");
        guard.spent();
        return Ok(());
    };
    let (secret, token_hash) = crate::tokens::issue();
    let mut w = app.store.write(now).await?;
    people::create_reset(&mut w, token, &token_hash, now.plus_seconds(RESET_SECONDS)).await?;
    let minutes = RESET_SECONDS / 60;
    let body = format!(
        "Hello {},\n\nsomeone (hopefully you) asked to reset your Outlay password. Open the \
         link to choose a new one; it works once, for {minutes} minutes, and signs you out \
         everywhere. If you did not ask, ignore this e-mail: your password stays as it is.",
        person.name
    );
    mails::queue(
        &mut w,
        &NewMail {
            kind: MailKind::PasswordReset,
            email: &person.email,
            name: &person.name,
            subject: "Reset your Outlay password",
            body: &body,
            link: &format!("/reset/{secret}"),
        },
    )
    .await?;
    record(
        &mut w,
        now,
        person,
        PersonEventKind::ResetRequested,
        &cmd.address,
        "mailed",
    )
    .await?;
    w.commit().await?;
    guard.spent();
    Ok(())
}

/// Set a new password with the reset link whose token hashes to `token_hash`.
pub struct ConfirmReset {
    pub token_hash: String,
    pub password: String,
    pub address: String,
}

pub async fn confirm_reset(app: &App, cmd: ConfirmReset) -> Result<()> {
    let now = app.now();
    crate::password::check_strength(&cmd.password)?;
    guard::screen(app, "", &cmd.address)?;
    let found = {
        let mut conn = app.checkout().await?;
        match people::reset(&mut conn, &cmd.token_hash).await? {
            None => None,
            Some(r) => people::person(&mut conn, r.person_id)
                .await?
                .map(|p| (r, p)),
        }
    };
    let Some((reset, person)) = found else {
        let guard = Guard::enter(app, Who::Nobody, &cmd.address).await?;
        return Err(guard.failed("reset_token", Error::NotFound));
    };
    let guard = Guard::enter(app, Who::Person(&person), &cmd.address).await?;
    let seen = Reset {
        person: person.id,
        used: reset.used_at.is_some(),
        expires_at: Timestamp(reset.expires_at),
    };
    // A genuine link that was used or ran out is no guess: the charge is taken back.
    let token = recovery::reset_password(seen, now)?;
    let hash = app.hashes.hash(cmd.password).await?;
    let mut w = app.store.write(now).await?;
    people::use_reset(&mut w, &cmd.token_hash).await?;
    people::set_password(&mut w, token, &hash, None).await?;
    record(
        &mut w,
        now,
        &person,
        PersonEventKind::PasswordSet,
        &cmd.address,
        "reset",
    )
    .await?;
    w.commit().await?;
    guard.passed();
    Ok(())
}

/// A signed-in person changes their password, giving the current one. Their other sessions
/// end; the one they change it in (`token_hash`) stays.
pub struct ChangePassword<'a> {
    pub person: &'a PersonRow,
    pub token_hash: &'a str,
    pub current: String,
    pub new: String,
    pub address: String,
}

pub async fn change_password(app: &App, cmd: ChangePassword<'_>) -> Result<()> {
    let now = app.now();
    crate::password::check_strength(&cmd.new)
        .map_err(|e| Error::invalid("new_password", e.reason))?;
    let guard = Guard::enter(app, Who::Person(cmd.person), &cmd.address).await?;
    let Some(existing) = guard.person().and_then(|p| p.password_hash.clone()) else {
        let refused = Error::invalid("current_password", "this account has no password yet");
        return Err(guard.failed("no_password", refused));
    };
    if !app.hashes.verify(cmd.current, existing).await? {
        let refused = Error::invalid("current_password", "is not the current password");
        return Err(guard.failed("current_password", refused));
    }
    let hash = app.hashes.hash(cmd.new).await?;
    let mut w = app.store.write(now).await?;
    let token = recovery::change_password(cmd.person.id);
    people::set_password(&mut w, token, &hash, Some(cmd.token_hash)).await?;
    let kind = PersonEventKind::PasswordSet;
    record(&mut w, now, cmd.person, kind, &cmd.address, "change").await?;
    w.commit().await?;
    guard.passed();
    Ok(())
}

/// Records `kind` for `person` in the trail, in the transaction of what it records.
async fn record(
    w: &mut outlay_store::Write,
    now: Timestamp,
    person: &PersonRow,
    kind: PersonEventKind,
    address: &str,
    reason: &str,
) -> Result<()> {
    person_audit::record(
        w,
        &NewPersonEvent {
            at: now,
            last_at: now,
            count: 1,
            person: Some(person.id),
            email: &person.email,
            kind,
            address,
            reason,
        },
    )
    .await?;
    Ok(())
}
