use super::RegistryEntry;
use crate::domain::NationalId;
use crate::platform::{AppError, Db};
use async_trait::async_trait;

#[async_trait]
pub trait PopulationRegistry: Send + Sync {
    async fn find(&self, id: &NationalId) -> Result<Option<RegistryEntry>, AppError>;
}

pub struct SqlRegistry {
    db: Db,
}

impl SqlRegistry {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

#[async_trait]
impl PopulationRegistry for SqlRegistry {
    async fn find(&self, id: &NationalId) -> Result<Option<RegistryEntry>, AppError> {
        let row: Option<(String, String, String)> =
            sqlx::query_as("SELECT full_name, birth_date, gender FROM registry_people WHERE national_id = $1")
                .bind(id.as_str())
                .fetch_optional(self.db.read())
                .await?;
        Ok(row.and_then(RegistryEntry::from_stored))
    }
}
