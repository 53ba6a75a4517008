//! Classified ads: posting, editing, status, expiry and renewal, moderation, search.

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::{Ad, AdStatus, CATEGORIES, CONDITIONS, Ctx, Social, SocialError, SocialEvent, check_text};
use crate::money::Money;
use crate::nip::Nip;

/// What an ad says: title, description, category, price, condition, photos.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdDraft {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// One of [`CATEGORIES`].
    pub category: String,
    /// Asking price, exact rupiah.
    pub price: Money,
    /// One of [`CONDITIONS`].
    pub condition: String,
    /// Ids of uploaded photos (64 hex digits: the SHA-256 of the photo).
    #[serde(default)]
    pub photos: Vec<String>,
}

impl AdDraft {
    /// Checks the draft against the policy, returning it with texts trimmed.
    pub fn checked(mut self, ctx: &Ctx) -> Result<AdDraft, SocialError> {
        let p = &ctx.policy;
        check_text("title", &self.title, p.ad_title_max_chars)?;
        check_text("description", &self.description, p.ad_description_max_chars)?;
        if !CATEGORIES.contains(&self.category.as_str()) {
            return Err(SocialError::InvalidChoice { field: "category", value: self.category });
        }
        if !CONDITIONS.contains(&self.condition.as_str()) {
            return Err(SocialError::InvalidChoice { field: "condition", value: self.condition });
        }
        if self.price.is_negative() {
            return Err(SocialError::NegativePrice { price: self.price });
        }
        if self.photos.len() as i64 > p.ad_photos_max {
            return Err(SocialError::TooManyPhotos { count: self.photos.len() as i64, max: p.ad_photos_max });
        }
        if let Some(bad) = self.photos.iter().find(|id| id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit())) {
            return Err(SocialError::InvalidChoice { field: "photo", value: bad.clone() });
        }
        self.title = self.title.trim().to_string();
        self.description = self.description.trim().to_string();
        Ok(self)
    }
}

/// A search of the ad board. Results are newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdQuery {
    /// Words that must all appear in the title or description (case-insensitive).
    #[serde(default)]
    pub text: Option<String>,
    /// The category.
    #[serde(default)]
    pub category: Option<String>,
    /// Lowest price.
    #[serde(default)]
    pub min_price: Option<Money>,
    /// Highest price.
    #[serde(default)]
    pub max_price: Option<Money>,
    /// The status shown (default: active and reserved ones).
    #[serde(default)]
    pub status: Option<AdStatus>,
    /// One seller's ads (then every status unless `status` is given).
    #[serde(default)]
    pub seller: Option<Nip>,
    /// Page, from 1.
    #[serde(default)]
    pub page: Option<u32>,
    /// Ads per page (1..=100, default 20).
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// One page of search results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdPage {
    /// The ads, with their status as shown at the time of the search.
    pub ads: Vec<(Ad, AdStatus)>,
    /// Matching ads in all pages.
    pub total: usize,
    /// This page, from 1.
    pub page: u32,
    /// Ads per page.
    pub per_page: u32,
}

impl Social {
    fn own_ad(&self, ctx: &Ctx, id: u64) -> Result<&Ad, SocialError> {
        let ad = self.ads.get(&id).ok_or(SocialError::SocialNotFound { record: "ad", id })?;
        if ad.seller != ctx.actor {
            return Err(SocialError::NotTheOwner {
                record: "ad",
                id,
                owner: ad.seller.clone(),
                actor: ctx.actor.clone(),
            });
        }
        Ok(ad)
    }

    /// The seller's ads that count against the limit at `at`: active or reserved, unexpired.
    pub fn active_ads(&self, seller: &Nip, at: NaiveDateTime) -> i64 {
        self.by_seller
            .get(seller)
            .into_iter()
            .flatten()
            .filter_map(|id| self.ads.get(id))
            .filter(|a| matches!(a.status_at(at), AdStatus::Active | AdStatus::Reserved))
            .count() as i64
    }

    fn check_active_limit(&self, ctx: &Ctx) -> Result<(), SocialError> {
        let active = self.active_ads(&ctx.actor, ctx.at);
        let max = ctx.policy.active_ads_per_employee;
        if active >= max {
            return Err(SocialError::TooManyActiveAds { actor: ctx.actor.clone(), active, max });
        }
        Ok(())
    }

    pub(super) fn post_ad(&self, ctx: &Ctx, draft: AdDraft) -> Result<SocialEvent, SocialError> {
        Social::require_in_service(ctx)?;
        let draft = draft.checked(ctx)?;
        // Rate limit: ads posted in the last 24 hours.
        let since = ctx.at - TimeDelta::hours(24);
        let recent = self
            .by_seller
            .get(&ctx.actor)
            .into_iter()
            .flatten()
            .filter_map(|id| self.ads.get(id))
            .filter(|a| a.posted_at > since)
            .count() as i64;
        if recent >= ctx.policy.ad_posts_per_day {
            return Err(SocialError::RateLimited {
                actor: ctx.actor.clone(),
                action: "post_ad",
                count: recent,
                max: ctx.policy.ad_posts_per_day,
                window_minutes: 24 * 60,
            });
        }
        self.check_active_limit(ctx)?;
        let ad = self.ads.keys().next_back().map_or(1, |k| k + 1);
        Ok(SocialEvent::AdPosted { ad, draft, expires: ctx.at + TimeDelta::days(ctx.policy.ad_expiry_days) })
    }

    pub(super) fn edit_ad(&self, ctx: &Ctx, id: u64, draft: AdDraft) -> Result<SocialEvent, SocialError> {
        Social::require_in_service(ctx)?;
        let ad = self.own_ad(ctx, id)?;
        if matches!(ad.status, AdStatus::Sold | AdStatus::Withdrawn | AdStatus::Removed) {
            return Err(SocialError::AdTransition { ad: id, status: ad.status, action: "edit" });
        }
        Ok(SocialEvent::AdEdited { ad: id, draft: draft.checked(ctx)? })
    }

    pub(super) fn set_status(&self, ctx: &Ctx, id: u64, action: &'static str) -> Result<SocialEvent, SocialError> {
        Social::require_in_service(ctx)?;
        let ad = self.own_ad(ctx, id)?;
        let shown = ad.status_at(ctx.at);
        let to = match (action, ad.status) {
            ("reserve", AdStatus::Active) => AdStatus::Reserved,
            ("unreserve", AdStatus::Reserved) => AdStatus::Active,
            ("sold", AdStatus::Active | AdStatus::Reserved) => AdStatus::Sold,
            ("withdraw", AdStatus::Active | AdStatus::Reserved) => AdStatus::Withdrawn,
            _ => return Err(SocialError::AdTransition { ad: id, status: shown, action }),
        };
        // Reserving (or putting back on sale) an expired ad: renew it first.
        if shown == AdStatus::Expired && matches!(action, "reserve" | "unreserve") {
            return Err(SocialError::AdExpired { ad: id, expired_at: ad.expires });
        }
        Ok(SocialEvent::AdStatusChanged { ad: id, status: to })
    }

    pub(super) fn renew(&self, ctx: &Ctx, id: u64) -> Result<SocialEvent, SocialError> {
        Social::require_in_service(ctx)?;
        let ad = self.own_ad(ctx, id)?;
        let shown = ad.status_at(ctx.at);
        match shown {
            AdStatus::Active | AdStatus::Reserved => {}
            // An expired ad comes back: it counts against the limit again.
            AdStatus::Expired => self.check_active_limit(ctx)?,
            _ => return Err(SocialError::AdTransition { ad: id, status: shown, action: "renew" }),
        }
        Ok(SocialEvent::AdRenewed { ad: id, expires: ctx.at + TimeDelta::days(ctx.policy.ad_expiry_days) })
    }

    pub(super) fn remove_ad(&self, ctx: &Ctx, id: u64, reason: String) -> Result<SocialEvent, SocialError> {
        self.require_moderator(ctx)?;
        let ad = self.ads.get(&id).ok_or(SocialError::SocialNotFound { record: "ad", id })?;
        if ad.status == AdStatus::Removed {
            return Err(SocialError::AdTransition { ad: id, status: ad.status, action: "remove" });
        }
        check_text("reason", &reason, super::REASON_MAX_CHARS as i64)?;
        Ok(SocialEvent::AdRemoved { ad: id, reason: reason.trim().to_string() })
    }

    /// An ad as anyone in the city sees it; a removed ad only to its seller and moderators.
    pub fn ad(&self, reader: &Nip, id: u64) -> Result<&Ad, SocialError> {
        let ad = self.ads.get(&id).ok_or(SocialError::SocialNotFound { record: "ad", id })?;
        if ad.status == AdStatus::Removed && &ad.seller != reader && !self.moderators.contains(reader) {
            return Err(SocialError::SocialNotFound { record: "ad", id });
        }
        Ok(ad)
    }

    /// Searches the board at `at`: newest first, paginated. Removed ads are never listed.
    pub fn search(&self, q: &AdQuery, at: NaiveDateTime) -> AdPage {
        let words: Vec<String> = q.text.as_deref().unwrap_or("").split_whitespace().map(str::to_lowercase).collect();
        let per_page = q.per_page.unwrap_or(20).clamp(1, 100);
        let page = q.page.unwrap_or(1).max(1);
        let mut hits: Vec<(&Ad, AdStatus)> = self
            .ads
            .values()
            .filter_map(|a| {
                let shown = a.status_at(at);
                if shown == AdStatus::Removed {
                    return None;
                }
                let status_ok = match (q.status, &q.seller) {
                    (Some(s), _) => shown == s,
                    (None, Some(_)) => true,
                    (None, None) => matches!(shown, AdStatus::Active | AdStatus::Reserved),
                };
                let ok = status_ok
                    && q.seller.as_ref().is_none_or(|s| &a.seller == s)
                    && q.category.as_deref().is_none_or(|c| c.is_empty() || a.draft.category == c)
                    && q.min_price.is_none_or(|m| a.draft.price >= m)
                    && q.max_price.is_none_or(|m| a.draft.price <= m)
                    && (words.is_empty() || {
                        let hay = format!("{} {}", a.draft.title, a.draft.description).to_lowercase();
                        words.iter().all(|w| hay.contains(w.as_str()))
                    });
                ok.then_some((a, shown))
            })
            .collect();
        hits.sort_by(|x, y| y.0.posted_at.cmp(&x.0.posted_at).then(y.0.id.cmp(&x.0.id)));
        let total = hits.len();
        let start = (page as usize - 1).saturating_mul(per_page as usize);
        let ads = hits.into_iter().skip(start).take(per_page as usize).map(|(a, s)| (a.clone(), s)).collect();
        AdPage { ads, total, page, per_page }
    }
}
