//! The CSV layout of a registry extract and of a record list for matching, shared by
//! `server load-registry` and `server match-registry`: a header row naming
//! `id,national_id,full_name,birth_date,gender,commune` (any order, any case, a BOM allowed),
//! with `phone` optional.

/// Where each column is, read from the header.
pub struct Columns {
    pub id: Option<usize>,
    pub national_id: usize,
    pub full_name: usize,
    pub birth_date: usize,
    pub gender: usize,
    pub commune: Option<usize>,
    pub phone: Option<usize>,
}

impl Columns {
    pub fn from_header(header: &csv::StringRecord) -> Result<Self, String> {
        let find = |name: &str| header.iter().position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
        let need = |name: &str| find(name).ok_or_else(|| format!("line 1: the header has no `{name}` column"));
        Ok(Columns {
            id: find("id"),
            national_id: need("national_id")?,
            full_name: need("full_name")?,
            birth_date: need("birth_date")?,
            gender: need("gender")?,
            commune: find("commune"),
            phone: find("phone"),
        })
    }
}
