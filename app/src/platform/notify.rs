use async_trait::async_trait;
pub use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// A message to one citizen. Text only: it must read on any phone.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The same on every try of one message (the outbox row's), so a receiving server or the
    /// SMS gateway can drop a repeat: the email's Message-ID, the gateway's `id`. None for a
    /// message sent once, outside the outbox (a lookup code).
    pub id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("could not deliver: {0}")]
pub struct NotifyError(pub String);

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, message: Outgoing) -> Result<(), NotifyError>;
}

#[async_trait]
pub trait SmsSender: Send + Sync {
    async fn send(&self, message: Outgoing) -> Result<(), NotifyError>;
}

/// A send that takes longer has failed (and is retried by the outbox).
pub const SEND_TIMEOUT_SECS: i64 = 10;

/// Email over SMTP with lettre. `url` is lettre's form: `smtp://host:port` (plain, for a local
/// relay), `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtps://host` (TLS).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpMailer {
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(SEND_TIMEOUT_SECS as u64)))
            .build();
        let from = from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?;
        Ok(Self { transport, from })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, message: Outgoing) -> Result<(), NotifyError> {
        let to = message.to.parse().map_err(|e| NotifyError(format!("recipient: {e}")))?;
        let message_id = message.id.map(|id| format!("<{id}@{}>", self.from.email.domain()));
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .message_id(message_id)
            .subject(message.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(message.body)
            .map_err(|e| NotifyError(e.to_string()))?;
        self.transport.send(email).await.map_err(|e| NotifyError(e.to_string()))?;
        Ok(())
    }
}

/// Development only: writes messages, one-time codes included, to the log so a developer
/// can read them. The recipient is masked all the same.
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, message: Outgoing) -> Result<(), NotifyError> {
        let to = crate::domain::Email::parse(&message.to).map(|e| e.masked()).unwrap_or_default();
        tracing::info!(target: "dev_mailbox", %to, subject = %message.subject, body = %message.body, "email (development: not sent)");
        Ok(())
    }
}

/// Texts through an HTTP SMS gateway: a form post of `to` and `message` with the key as a
/// bearer token; any answer but 2xx is a failure (the outbox retries).
pub struct HttpSms {
    client: reqwest::Client,
    url: String,
    key: String,
}

impl HttpSms {
    pub fn new(url: &str, key: &str) -> Self {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(SEND_TIMEOUT_SECS as u64))
            .build()
            .expect("an HTTP client with a timeout");
        Self { client, url: url.to_string(), key: key.to_string() }
    }
}

#[async_trait]
impl SmsSender for HttpSms {
    async fn send(&self, message: Outgoing) -> Result<(), NotifyError> {
        let mut form = vec![("to", message.to.as_str()), ("message", message.body.as_str())];
        if let Some(id) = message.id.as_deref() {
            form.push(("id", id));
        }
        let answer = self
            .client
            .post(&self.url)
            .bearer_auth(&self.key)
            .form(&form)
            .send()
            .await
            .map_err(|e| NotifyError(format!("SMS gateway: {}", e.without_url())))?;
        if answer.status().is_success() { Ok(()) } else { Err(NotifyError(format!("SMS gateway answered {}", answer.status()))) }
    }
}

/// Development only (the server refuses to start without a gateway behind HTTPS): logs the
/// text, one-time codes included, with the number masked.
pub struct LogSms;

#[async_trait]
impl SmsSender for LogSms {
    async fn send(&self, message: Outgoing) -> Result<(), NotifyError> {
        let to = crate::domain::Phone::parse(&message.to).map(|p| p.masked()).unwrap_or_default();
        tracing::info!(target: "dev_mailbox", %to, body = %message.body, "sms (development: not sent)");
        Ok(())
    }
}
