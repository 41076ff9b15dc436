//! Who asks: [`Access`], carried by every request to an engine (issue #20).
//!
//! A request without credentials is [`Access::Public`] and sees public items only; the engines
//! enforce it themselves (a mandatory filter on every query, facet pass, vocabulary and item
//! lookup), so a route built on them cannot forget it.

use paragraf_indexer::Visibility;
use serde::{Deserialize, Serialize};

/// What a request may see.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Anyone: public items only. The default, so that a request nobody vouched for sees no
    /// more than the public website.
    #[default]
    Public,
    /// An official (a token of scope `internal`, or a user the intranet's login vouched for):
    /// public and internal items.
    Internal,
    /// An operator (a token of scope `admin`): everything, and the operational routes.
    Admin,
}

impl Access {
    /// Whether a request with this access may see an item of this visibility.
    pub fn sees(self, visibility: Visibility) -> bool {
        match visibility {
            Visibility::Public => true,
            Visibility::Internal => self.sees_internal(),
        }
    }

    /// Whether it sees internal items.
    pub fn sees_internal(self) -> bool {
        self >= Access::Internal
    }

    /// Whether it may use the operational routes (`/metrics`).
    pub fn is_admin(self) -> bool {
        self == Access::Admin
    }

    /// The name of the access as tokens and logs write it: `public`, `internal`, `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Internal => "internal",
            Access::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Access {
    type Err = String;

    fn from_str(s: &str) -> Result<Access, String> {
        match s {
            "public" => Ok(Access::Public),
            "internal" => Ok(Access::Internal),
            "admin" => Ok(Access::Admin),
            other => Err(format!(
                "unknown access {other:?}: public, internal or admin"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_sees_what() {
        let seen = |a: Access| (a.sees(Visibility::Public), a.sees(Visibility::Internal));
        assert_eq!(seen(Access::Public), (true, false));
        assert_eq!(seen(Access::Internal), (true, true));
        assert_eq!(seen(Access::Admin), (true, true));
        assert_eq!(Access::default(), Access::Public);
        assert_eq!("internal".parse::<Access>(), Ok(Access::Internal));
        assert!("intern".parse::<Access>().is_err());
        assert!(Access::Admin.is_admin() && !Access::Internal.is_admin());
    }
}
