//! A site's staff accounts, managed by the site's manager (or an administrator): invite by
//! email, with a link to set a password (single use, 72 hours); disable an account, which
//! ends its sessions at once. Nobody ever types another person's password.

use super::{StaffMember, StaffRole, TeamMember, TeamView};
use crate::domain::{Email, PersonName};
use crate::platform::outbox::{Channel, LINK_PLACEHOLDER, enqueue, enqueue_set_password};
use crate::platform::session::{keyed_hash, random_token};
use crate::platform::{AppError, AppState};

const INVITE_HOURS: i64 = 72;

/// May `me` manage the staff of `site_id`?
fn manages(me: &StaffMember, site_id: i64) -> bool {
    match me.role {
        StaffRole::Admin => true,
        StaffRole::SiteManager => me.site_id == Some(site_id),
        _ => false,
    }
}

pub async fn team(state: &AppState, me: &StaffMember, site_id: i64) -> Result<Option<TeamView>, AppError> {
    if !manages(me, site_id) {
        return Ok(None);
    }
    let Some(site_name): Option<String> =
        sqlx::query_scalar("SELECT name FROM sites WHERE id = $1").bind(site_id).fetch_optional(state.db.read()).await?
    else {
        return Ok(None);
    };
    let now = state.clock.now().timestamp();
    let rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT st.id, st.full_name, st.email, st.role, st.disabled_at,
                (SELECT COUNT(*) FROM staff_invites i WHERE i.staff_id = st.id AND i.used_at IS NULL AND i.expires_at > $2)
                 + (SELECT COUNT(*) FROM outbox o WHERE o.set_password_for = st.id AND o.sent_at IS NULL) AS invites
         FROM staff st WHERE st.site_id = $1 ORDER BY st.disabled_at IS NOT NULL, st.full_name",
    )
    .bind(site_id)
    .bind(now)
    .fetch_all(state.db.read())
    .await?;
    Ok(Some(TeamView {
        me: me.clone(),
        site_id,
        site_name,
        members: rows
            .into_iter()
            .filter_map(|MemberRow { id, full_name, email, role, disabled_at, invites }| {
                Some(TeamMember {
                    id,
                    full_name,
                    email,
                    role: StaffRole::from_code(&role)?,
                    disabled: disabled_at.is_some(),
                    invited: invites > 0,
                })
            })
            .collect(),
    }))
}

/// What an invitation needs, parsed; refusals are per field.
pub struct Invitation {
    pub full_name: PersonName,
    pub email: Email,
    pub role: StaffRole,
}

/// Creates the account with no usable password and emails a link to set one.
pub async fn invite(state: &AppState, me: &StaffMember, site_id: i64, invitation: Invitation) -> Result<(), AppError> {
    if !manages(me, site_id) || !matches!(invitation.role, StaffRole::SiteStaff | StaffRole::SiteManager) {
        return Err(AppError::NotFound);
    }
    // Only administrators appoint managers.
    if invitation.role == StaffRole::SiteManager && me.role != StaffRole::Admin {
        return Err(AppError::NotFound);
    }
    let now = state.clock.now().timestamp();
    let email = invitation.email.as_str().to_lowercase();
    let unusable = super::service::hash_password(&random_token()).await?;
    let mut tx = state.db.begin().await?;
    let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO staff (email, full_name, password_hash, role, site_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&email)
    .bind(invitation.full_name.as_str())
    .bind(unusable)
    .bind(invitation.role.code())
    .bind(site_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let staff_id = match inserted {
        Ok(id) => id,
        // The address already holds an account: the manager sees the same answer as for a new
        // one (so the form cannot tell who has an account), and the owner is told instead.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            drop(tx);
            let mut tx = state.db.begin().await?;
            enqueue(
                &mut tx,
                Channel::Email,
                &email,
                "Tài khoản cổng phản ánh tiêm chủng / Your vaccination portal account",
                &format!(
                    "{} vừa mời địa chỉ email này vào cổng phản ánh dữ liệu tiêm chủng, nhưng bạn đã có tài khoản. \
                     Hãy đăng nhập như thường lệ; nếu quên mật khẩu, hãy liên hệ người quản lý của bạn.\n\n\
                     {} invited this email address to the vaccination records portal, but you already have an account. \
                     Sign in as usual; if you forgot your password, ask your manager.",
                    me.full_name, me.full_name
                ),
                now,
            )
            .await?;
            tx.commit().await?;
            tracing::info!(target: "security", event = "invite_existing", by = me.id, site = site_id, "invitation to an address that holds an account");
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    enqueue_set_password(
        &mut tx,
        staff_id,
        &email,
        "Tài khoản cổng phản ánh tiêm chủng / Your vaccination portal account",
        &format!(
            "{} đã tạo tài khoản cho bạn tại cổng phản ánh dữ liệu tiêm chủng. Đặt mật khẩu trong {INVITE_HOURS} giờ tại:\n{LINK_PLACEHOLDER}\n\n\
             {} created an account for you on the vaccination records portal. Set your password within {INVITE_HOURS} hours at:\n{LINK_PLACEHOLDER}",
            me.full_name, me.full_name
        ),
        now,
    )
    .await?;
    tracing::info!(target: "security", event = "invite", by = me.id, site = site_id, staff = staff_id, "staff invited");
    tx.commit().await?;
    Ok(())
}

/// Disables an account of a site `me` manages (never their own) and ends its sessions.
pub async fn disable(state: &AppState, me: &StaffMember, staff_id: i64) -> Result<bool, AppError> {
    if staff_id == me.id {
        return Ok(false);
    }
    let site: Option<Option<i64>> =
        sqlx::query_scalar("SELECT site_id FROM staff WHERE id = $1").bind(staff_id).fetch_optional(state.db.read()).await?;
    let Some(Some(site_id)) = site else {
        return Ok(false);
    };
    if !manages(me, site_id) {
        return Ok(false);
    }
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE staff SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL")
        .bind(staff_id)
        .bind(state.clock.now().timestamp())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1").bind(staff_id).execute(&mut *tx).await?;
    tx.commit().await?;
    tracing::info!(target: "security", event = "staff_disabled", by = me.id, staff = staff_id, "staff account disabled");
    Ok(true)
}

/// The name of whoever this unused, unexpired invitation is for.
pub async fn invited(state: &AppState, token: &str) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT st.full_name FROM staff_invites i JOIN staff st ON st.id = i.staff_id
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 AND st.disabled_at IS NULL",
    )
    .bind(keyed_hash(&state.settings.secret, "invite", token))
    .bind(state.clock.now().timestamp())
    .fetch_optional(state.db.read())
    .await?)
}

/// A fresh set-password link for `staff_id`, valid `INVITE_HOURS`; its token is kept only as
/// a hash. Made when the email is delivered, so the outbox never holds a usable link.
pub async fn new_password_link(state: &AppState, staff_id: i64) -> Result<String, AppError> {
    let token = random_token();
    sqlx::query("INSERT INTO staff_invites (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)")
        .bind(keyed_hash(&state.settings.secret, "invite", &token))
        .bind(staff_id)
        .bind(state.clock.now().timestamp() + INVITE_HOURS * 3600)
        .execute(state.db.write())
        .await?;
    Ok(format!("{}{}", state.settings.public_origin, super::routes::set_password(&token)))
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    full_name: String,
    email: String,
    role: String,
    disabled_at: Option<i64>,
    /// Invitations waiting: unused links and invitation emails not yet sent.
    invites: i64,
}

/// The site a staff member works at (none for supervisors, administrators, or no such account).
pub async fn site_of(state: &AppState, staff_id: i64) -> Result<Option<i64>, AppError> {
    let site: Option<Option<i64>> =
        sqlx::query_scalar("SELECT site_id FROM staff WHERE id = $1").bind(staff_id).fetch_optional(state.db.read()).await?;
    Ok(site.flatten())
}

/// Sets the password through the invitation, once.
pub async fn set_password(state: &AppState, token: &str, password: &str) -> Result<bool, AppError> {
    let now = state.clock.now().timestamp();
    let hash = super::service::hash_password(password).await?;
    let mut tx = state.db.begin().await?;
    let staff_id: Option<i64> = sqlx::query_scalar(
        "UPDATE staff_invites SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING staff_id",
    )
    .bind(keyed_hash(&state.settings.secret, "invite", token))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(staff_id) = staff_id else {
        return Ok(false);
    };
    sqlx::query("UPDATE staff SET password_hash = $1, password_changed_at = $3 WHERE id = $2 AND disabled_at IS NULL")
        .bind(hash)
        .bind(staff_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}
