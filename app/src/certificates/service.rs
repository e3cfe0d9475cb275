//! Certificates in the database: which records are ready to sign, signing them (a site's
//! approval or the daily job), revoking the certificate of a record that changed (in the
//! transaction that changed it), and a person's current certificate.

use super::dcc::{self, Content, ProductCodes};
use super::keys::DocumentSigner;
use super::{Ready, ReadyDay, RevokedReason, Signed};
use crate::domain::BirthDate;
use crate::platform::AppError;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, FromRow, Row};
use std::collections::HashMap;
use std::sync::Arc;

/// Who issues the certificates, as the payload's `is` says it.
pub const ISSUER: &str = "Ministry of Health of Viet Nam";
/// A certificate is valid for 12 months (then regenerated), within the signer's validity.
const VALID_SECS: i64 = 365 * 86_400;
/// Records signed per transaction.
const CHUNK: usize = 2_000;

/// SQL: live, verified records whose latest dose was given at site `$1` (the site that signs
/// them) and that hold no certificate in force at `$2` (none, or revoked, or expired: a
/// certificate is regenerated after its 12 months).
fn ready_at_site(p: &str) -> String {
    format!(
        "{p}.merged_into IS NULL AND {p}.quality = 'verified'
         AND {p}.id IN (SELECT d.person_id FROM doses d WHERE d.site_id = $1 AND d.removed_at IS NULL)
         AND (SELECT d.site_id FROM doses d WHERE d.person_id = {p}.id AND d.removed_at IS NULL
              ORDER BY d.given_on DESC, d.id DESC LIMIT 1) = $1
         AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.person_id = {p}.id AND c.revoked_at IS NULL AND c.expires_at > $2)"
    )
}

/// The records site `site_id` may sign now, counted per day of their latest dose (newest first),
/// and how many it signed since `midnight` (today, Vietnam time).
pub async fn ready(conn: &mut AnyConnection, site_id: i64, (now, midnight): (i64, i64)) -> Result<Ready, AppError> {
    let days: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT (SELECT MAX(d.given_on) FROM doses d WHERE d.person_id = p.id AND d.removed_at IS NULL) AS day, COUNT(*)
         FROM people p WHERE {} GROUP BY 1 ORDER BY 1 DESC",
        ready_at_site("p")
    ))
    .bind(site_id)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    let signed_today: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE site_id = $1 AND issued_at >= $2")
        .bind(site_id)
        .bind(midnight)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Ready {
        total: days.iter().map(|(_, n)| n).sum(),
        days: days
            .into_iter()
            .map(|(day, count)| ReadyDay {
                shown: NaiveDate::parse_from_str(&day, "%Y-%m-%d").map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or(day.clone()),
                day,
                count,
            })
            .collect(),
        signed_today,
    })
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    full_name: String,
    birth_date: String,
    gender: String,
    national_id: Option<String>,
}

#[derive(sqlx::FromRow)]
struct DoseRow {
    person_id: i64,
    dose_kind: String,
    given_on: String,
    product_code: String,
    site_id: i64,
    dcc_mp: String,
    dcc_ma: String,
    dcc_vp: String,
}

/// What a certificate attests, as a hash: a record whose version moved on is not the one signed.
fn record_version(p: &PersonRow, doses: &[&DoseRow]) -> String {
    let mut hash = Sha256::new();
    for part in [p.full_name.as_str(), &p.birth_date, &p.gender, p.national_id.as_deref().unwrap_or("")] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    for d in doses {
        hash.update(format!("{}|{}|{}|{}", d.dose_kind, d.given_on, d.product_code, d.site_id).as_bytes());
        hash.update([0]);
    }
    hex::encode(&hash.finalize()[..16])
}

/// The people `ids` and their live doses (oldest first), read a chunk at a time.
async fn records(conn: &mut AnyConnection, ids: &[i64]) -> Result<(Vec<PersonRow>, HashMap<i64, Vec<DoseRow>>), AppError> {
    let mut people = Vec::with_capacity(ids.len());
    let mut doses: HashMap<i64, Vec<DoseRow>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let marks = crate::platform::db::marks(chunk.len());
        let sql = format!("SELECT id, full_name, birth_date, gender, national_id FROM people WHERE id IN ({marks}) ORDER BY id");
        let mut query = sqlx::query_as::<_, PersonRow>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        people.extend(query.fetch_all(&mut *conn).await?);
        let sql = format!(
            "SELECT d.person_id, d.dose_kind, d.given_on, d.product_code, d.site_id, v.dcc_mp, v.dcc_ma, v.dcc_vp
             FROM doses d JOIN vaccine_products v ON v.code = d.product_code
             WHERE d.person_id IN ({marks}) AND d.removed_at IS NULL ORDER BY d.given_on, d.id"
        );
        let mut query = sqlx::query_as::<_, DoseRow>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        for dose in query.fetch_all(&mut *conn).await? {
            doses.entry(dose.person_id).or_default().push(dose);
        }
    }
    Ok((people, doses))
}

/// The certificate content of a record with its doses: the latest dose, numbered among them.
fn content(p: &PersonRow, doses: &[DoseRow]) -> Option<Content> {
    let latest = doses.last()?;
    let dose_number = doses.len() as u32;
    // A single-dose product completes its series with one dose; the others with two. A
    // booster counts beyond the series: dn = sd = 3.
    let series = if latest.product_code == "JAN" && dose_number == 1 { 1 } else { 2 };
    Some(Content {
        full_name: p.full_name.clone(),
        birth: BirthDate::from_stored(&p.birth_date)?,
        product: ProductCodes { vp: latest.dcc_vp.clone(), mp: latest.dcc_mp.clone(), ma: latest.dcc_ma.clone() },
        dose_number,
        series_doses: series.max(dose_number),
        given_on: NaiveDate::parse_from_str(&latest.given_on, "%Y-%m-%d").ok()?,
        issuer: ISSUER.into(),
        uvci: dcc::new_uvci(),
    })
}

/// Signs every record ready at `site_id` (at most `limit`), approved by `staff_id` (None: the
/// daily job), a chunk per transaction. How many were signed.
/// Who approved a signing, as the certificates record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// A site manager signed with the button.
    Manager(i64),
    /// The evening job, under this manager's standing approval.
    Standing(i64),
    /// `server sign-certificates`, run by an operator.
    Command,
}

impl Approval {
    fn staff(self) -> Option<i64> {
        match self {
            Approval::Manager(id) | Approval::Standing(id) => Some(id),
            Approval::Command => None,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Approval::Manager(_) => "manager",
            Approval::Standing(_) => "standing",
            Approval::Command => "command",
        }
    }
}

pub async fn sign_site(
    db: &crate::platform::Db,
    signer: &Arc<DocumentSigner>,
    site_id: i64,
    approval: Approval,
    now: i64,
) -> Result<Signed, AppError> {
    let mut signed = Signed::default();
    loop {
        let mut tx = db.begin().await?;
        if db.backend == crate::platform::Backend::Postgres {
            // One signing of a site at a time, across servers (SQLite has one writer anyway):
            // two would both read the same ready records and sign each twice.
            sqlx::query("SELECT id FROM sites WHERE id = $1 FOR UPDATE").bind(site_id).execute(&mut *tx).await?;
        }
        let ids: Vec<i64> =
            sqlx::query_scalar(&format!("SELECT p.id FROM people p WHERE {} ORDER BY p.id LIMIT {CHUNK}", ready_at_site("p")))
                .bind(site_id)
                .bind(now)
                .fetch_all(&mut *tx)
                .await?;
        if ids.is_empty() {
            break;
        }
        let (people, mut doses) = records(&mut tx, &ids).await?;
        let work: Vec<(PersonRow, Vec<DoseRow>)> = people
            .into_iter()
            .map(|p| {
                let d = doses.remove(&p.id).unwrap_or_default();
                (p, d)
            })
            .collect();
        let exp = (now + VALID_SECS).min(signer.not_after);
        // Signing is CPU work: off the async workers.
        let signer_copy = Arc::clone(signer);
        let issued = tokio::task::spawn_blocking(move || {
            work.into_iter()
                .map(|(p, d)| {
                    let refs: Vec<&DoseRow> = d.iter().collect();
                    let version = record_version(&p, &refs);
                    let made = content(&p, &d).map(|c| {
                        let hc1 = dcc::sign(&signer_copy, &c.payload(), now, exp);
                        (c.uvci, hc1)
                    });
                    (p.id, version, made)
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(AppError::internal)?;
        let mut rows = Vec::with_capacity(issued.len());
        for (person_id, version, made) in issued {
            match made {
                Some((uvci, Ok(hc1))) => rows.push((person_id, uvci, hc1, version)),
                Some((_, Err(e))) => return Err(AppError::internal(e)),
                // No dose or an unreadable date: not a record to sign (it stays out of the count).
                None => signed.skipped += 1,
            }
        }
        if rows.is_empty() {
            tx.commit().await?;
            break;
        }
        store(&mut tx, signer, site_id, approval, &rows, (now, exp)).await?;
        tx.commit().await?;
        signed.count += rows.len();
    }
    if signed.count > 0 {
        tracing::info!(target: "audit", site = site_id, staff = ?approval.staff(), approval = approval.code(), signed = signed.count, "certificates signed");
    }
    Ok(signed)
}

/// Stores signed certificates, many per statement, and points each person's last revoked
/// certificate at its replacement.
async fn store(
    tx: &mut AnyConnection,
    signer: &DocumentSigner,
    site_id: i64,
    approval: Approval,
    rows: &[(i64, String, String, String)],
    (now, exp): (i64, i64),
) -> Result<(), AppError> {
    let kid = hex::encode(signer.kid);
    for chunk in rows.chunks(200) {
        let values = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${}, ${}, $1, $2, $3, $4, $5, $6, $7)", 8 + 4 * i, 9 + 4 * i, 10 + 4 * i, 11 + 4 * i))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO certificates (person_id, uvci, hc1, record_version, kid, site_id, approved_by, issued_at, expires_at, revoked_reason, approval)
             VALUES {values}"
        );
        let mut query = sqlx::query(&sql)
            .bind(&kid)
            .bind(site_id)
            .bind(approval.staff())
            .bind(now)
            .bind(exp)
            .bind(None::<String>)
            .bind(approval.code());
        for (person_id, uvci, hc1, version) in chunk {
            query = query.bind(*person_id).bind(uvci).bind(hc1).bind(version);
        }
        query.execute(&mut *tx).await?;
    }
    // The certificates they replace (revoked after a correction, or expired), and whose they
    // were: those people are told the new one is there.
    let mut renewed = Vec::new();
    for chunk in rows.chunks(400) {
        let marks = crate::platform::db::marks(chunk.len());
        let newest = "(SELECT MAX(n.id) FROM certificates n WHERE n.person_id = certificates.person_id)";
        let replaced = format!("person_id IN ({marks}) AND replaced_by IS NULL AND id < {newest}");
        let select = format!("SELECT DISTINCT person_id FROM certificates WHERE {replaced}");
        let mut query = sqlx::query_scalar::<_, i64>(&select);
        for (person_id, ..) in chunk {
            query = query.bind(*person_id);
        }
        renewed.extend(query.fetch_all(&mut *tx).await?);
        let update = format!("UPDATE certificates SET replaced_by = {newest} WHERE {replaced}");
        let mut query = sqlx::query(&update);
        for (person_id, ..) in chunk {
            query = query.bind(*person_id);
        }
        query.execute(&mut *tx).await?;
    }
    tell_renewed(tx, &renewed, now).await?;
    Ok(())
}

/// Revokes the certificates in force of `person_ids` whose record is no longer the one signed
/// (a field or a dose changed, it is no longer verified, or it was merged into another), in
/// the caller's transaction: the old QR reads "revoked" from the moment the change commits.
pub async fn revoke_outdated(conn: &mut AnyConnection, person_ids: &[i64], now: i64) -> Result<Vec<i64>, AppError> {
    let mut revoked = Vec::new();
    for chunk in person_ids.chunks(400) {
        let marks = crate::platform::db::marks(chunk.len());
        let sql = format!("SELECT id, person_id, record_version FROM certificates WHERE revoked_at IS NULL AND person_id IN ({marks})");
        let mut query = sqlx::query_as::<_, (i64, i64, String)>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        let in_force = query.fetch_all(&mut *conn).await?;
        if in_force.is_empty() {
            continue;
        }
        let ids: Vec<i64> = in_force.iter().map(|(_, p, _)| *p).collect();
        let states: HashMap<i64, (Option<String>, Option<i64>)> = {
            let marks = crate::platform::db::marks(ids.len());
            let sql = format!("SELECT id, quality, merged_into FROM people WHERE id IN ({marks})");
            let mut query = sqlx::query_as::<_, (i64, Option<String>, Option<i64>)>(&sql);
            for id in &ids {
                query = query.bind(*id);
            }
            query.fetch_all(&mut *conn).await?.into_iter().map(|(id, q, m)| (id, (q, m))).collect()
        };
        let (people, doses) = records(conn, &ids).await?;
        for (certificate, person_id, version) in in_force {
            let reason = match states.get(&person_id) {
                Some((_, Some(_))) => Some(RevokedReason::Merged),
                Some((quality, None)) if quality.as_deref() != Some("verified") => Some(RevokedReason::NotVerified),
                _ => {
                    let now_version = people.iter().find(|p| p.id == person_id).map(|p| {
                        let refs: Vec<&DoseRow> = doses.get(&person_id).map(|d| d.iter().collect()).unwrap_or_default();
                        record_version(p, &refs)
                    });
                    (now_version.as_deref() != Some(version.as_str())).then_some(RevokedReason::RecordChanged)
                }
            };
            if let Some(reason) = reason {
                sqlx::query("UPDATE certificates SET revoked_at = $1, revoked_reason = $2 WHERE id = $3")
                    .bind(now)
                    .bind(reason.code())
                    .bind(certificate)
                    .execute(&mut *conn)
                    .await?;
                revoked.push(person_id);
            }
        }
    }
    Ok(revoked)
}

/// The UVCIs revoked, as SHA-256 hex (what the revocation list publishes).
pub async fn revoked_hashes(conn: &mut AnyConnection) -> Result<Vec<(String, i64)>, AppError> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT uvci, revoked_at FROM certificates WHERE revoked_at IS NOT NULL ORDER BY revoked_at, id")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|(uvci, at)| (uvci_hash(&uvci), at)).collect())
}

/// Where the revocations are at: how many, and the latest (read from the index alone).
pub async fn revocations_at(conn: &mut AnyConnection) -> Result<(i64, i64), AppError> {
    Ok(sqlx::query_as("SELECT COUNT(*), COALESCE(MAX(revoked_at), 0) FROM certificates WHERE revoked_at IS NOT NULL")
        .fetch_one(&mut *conn)
        .await?)
}

/// A UVCI as the revocation list names it: SHA-256 of the UVCI, hex.
pub fn uvci_hash(uvci: &str) -> String {
    hex::encode(Sha256::digest(uvci.as_bytes()))
}

/// Whether the certificate with this UVCI was revoked (unknown UVCIs are not ours to revoke).
pub async fn is_revoked(conn: &mut AnyConnection, uvci: &str) -> Result<bool, AppError> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT revoked_at FROM certificates WHERE uvci = $1").bind(uvci).fetch_optional(&mut *conn).await?;
    Ok(matches!(at, Some(Some(_))))
}

/// Tells each person whose certificate was just revoked why, and when the new one comes.
pub async fn tell_revoked(conn: &mut AnyConnection, person_ids: &[i64], now: i64) -> Result<(), AppError> {
    tell(conn, person_ids, now, "Chứng nhận tiêm chủng sẽ được cấp lại", |name| {
        format!(
            "Hồ sơ tiêm chủng của {name} vừa được sửa, nên chứng nhận tiêm chủng (mã QR) cũ đã bị thu hồi và không còn dùng được. \
             Chứng nhận mới sẽ được cơ sở tiêm chủng ký trong lần ký hằng ngày tiếp theo (thường trong 1 ngày làm việc); \
             khi đó bạn xem và tải mã QR mới tại trang Hồ sơ tiêm chủng."
        )
    })
    .await
}

/// Tells each person whose new certificate was just signed (after a revocation or an expiry)
/// that it is there, and that the old QR no longer counts.
async fn tell_renewed(conn: &mut AnyConnection, person_ids: &[i64], now: i64) -> Result<(), AppError> {
    tell(conn, person_ids, now, "Đã cấp chứng nhận tiêm chủng mới", |name| {
        format!(
            "Chứng nhận tiêm chủng mới của {name} đã được ký. Hãy mở trang Hồ sơ tiêm chủng để xem, in hoặc tải mã QR mới; \
             mã QR cũ không còn dùng được."
        )
    })
    .await
}

/// A message to each of `person_ids` (or their guardian, when they have no contact of their
/// own): an email and a text, through the outbox, in the caller's transaction.
async fn tell(
    conn: &mut AnyConnection,
    person_ids: &[i64],
    now: i64,
    subject: &str,
    body: impl Fn(&str) -> String,
) -> Result<(), AppError> {
    use crate::platform::outbox::{Contacts, enqueue_to};
    for person_id in person_ids {
        let (name, email, phone): (String, Option<String>, Option<String>) = sqlx::query_as(
            "SELECT p.full_name, COALESCE(p.email, g.email), COALESCE(p.phone, g.phone)
             FROM people p LEFT JOIN people g ON g.id = p.guardian_id WHERE p.id = $1",
        )
        .bind(person_id)
        .fetch_one(&mut *conn)
        .await?;
        enqueue_to(conn, &Contacts { email, phone }, subject, &body(&name), now).await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Issued {
    person_id: i64,
    hc1: String,
    uvci: String,
    issued_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
    revoked_reason: Option<String>,
    site: String,
}

/// Where a person's certificate stands at `now`, for the record page.
pub async fn state_of(
    conn: &mut AnyConnection,
    person_id: i64,
    quality: Option<&str>,
    now: i64,
) -> Result<super::CertificateState, AppError> {
    let mut states = states_of(conn, &[(person_id, quality)], now).await?;
    states.remove(&person_id).ok_or_else(|| AppError::internal("no certificate state"))
}

/// Where each person's certificate stands at `now` (their record's verification status
/// given), in two queries whatever the number of people: a household's record page.
pub async fn states_of(
    conn: &mut AnyConnection,
    people: &[(i64, Option<&str>)],
    now: i64,
) -> Result<HashMap<i64, super::CertificateState>, AppError> {
    use super::CertificateState;
    if people.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = people.iter().map(|(id, _)| *id).collect();
    let marks = crate::platform::db::marks(ids.len());
    // Each person's certificates, newest first: the one in force, and the last one (revoked
    // or expired); then the latest dose's site.
    let issued_sql = format!(
        "SELECT c.person_id, c.hc1, c.uvci, c.issued_at, c.expires_at, c.revoked_at, c.revoked_reason, s.name AS site
         FROM certificates c JOIN sites s ON s.id = c.site_id WHERE c.person_id IN ({marks}) ORDER BY c.id DESC"
    );
    let mut in_force: HashMap<i64, Issued> = HashMap::new();
    let mut last: HashMap<i64, (Option<String>, i64)> = HashMap::new();
    for row in bind_ids(&issued_sql, &ids).fetch_all(&mut *conn).await? {
        let row = Issued::from_row(&row)?;
        last.entry(row.person_id).or_insert((row.revoked_reason.clone(), row.expires_at));
        if row.revoked_at.is_none() && row.expires_at > now {
            in_force.entry(row.person_id).or_insert(row);
        }
    }
    let site_sql = format!(
        "SELECT d.person_id, s.name FROM doses d JOIN sites s ON s.id = d.site_id WHERE d.person_id IN ({marks}) AND d.removed_at IS NULL
         ORDER BY d.given_on DESC, d.id DESC"
    );
    let mut latest_site: HashMap<i64, String> = HashMap::new();
    for row in bind_ids(&site_sql, &ids).fetch_all(&mut *conn).await? {
        latest_site.entry(row.try_get(0)?).or_insert(row.try_get(1)?);
    }
    let mut states = HashMap::with_capacity(people.len());
    for (id, quality) in people {
        let state = if let Some(c) = in_force.remove(id) {
            CertificateState::Signed(super::SignedCertificate {
                qr_svg: dcc::qr_svg(&c.hc1, 320)
                    .map(|svg| svg.find("<svg").map(|at| svg[at..].to_string()).unwrap_or(svg))
                    .unwrap_or_default(),
                hc1: c.hc1,
                uvci: c.uvci,
                issued_on: crate::vietnam::date_text(c.issued_at),
                expires_on: crate::vietnam::date_text(c.expires_at),
                site: c.site,
            })
        } else {
            let previous = last.remove(id);
            let revoked = previous.as_ref().and_then(|(reason, _)| reason.as_deref()).and_then(RevokedReason::from_code);
            let expired_on = previous.filter(|(reason, _)| reason.is_none()).map(|(_, expires)| crate::vietnam::date_text(expires));
            match (*quality == Some("verified"), latest_site.remove(id)) {
                (false, _) => CertificateState::NotYet { revoked },
                (true, Some(site)) => CertificateState::Ready { site, revoked, expired_on },
                (true, None) => CertificateState::NoDose,
            }
        };
        states.insert(*id, state);
    }
    Ok(states)
}

/// `sql` with `ids` bound as its first parameters.
fn bind_ids<'q>(sql: &'q str, ids: &[i64]) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    ids.iter().fold(sqlx::query(sql), |query, id| query.bind(*id))
}
