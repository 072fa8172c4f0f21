//! What a reporting route is: where the report starts, what it opens, whether it needs an account,
//! the page that documents it, when that was checked and how sure we are.

use super::platform::Platform;
use serde::Serialize;
use std::borrow::Cow;

/// How sure we are that a route is the platform's current, right route for NCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// Read on the platform's own help or policy page.
    Verified,
    /// From a third party (helpline, lawyer's guide, open-source tool, press); not seen on the
    /// platform's own page.
    Secondary,
    /// The best general route we found; no NCII-specific route was confirmed.
    Uncertain,
}

/// Whether the report needs an account on the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Login {
    Yes,
    No,
    /// The source does not say.
    Unknown,
}

/// What the report URL opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportPage {
    /// The report form itself.
    Form,
    /// The platform's page that explains the route and links its form (or says where in the app
    /// to report): we could not confirm a stable address for the form itself.
    Guide,
    /// The report can only be made inside the app; the URL is the platform's page that says so
    /// (or the closest one we found).
    InApp,
}

/// A documented way to put something into a report form from outside. No route uses one today:
/// no platform documents a URL parameter for its NCII form, and a guessed parameter would only
/// send people to a half-broken form. Veil copies a ready report text instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Prefill {
    /// A documented query parameter of the report URL that takes the reported content's URL.
    QueryParameter { name: &'static str },
}

/// A programmatic reporting call the platform documents. Every one needs the person's own
/// account and consent; Veil never calls one on its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportApi {
    /// Method and path, e.g. `POST /api/v1/reports`.
    pub call: &'static str,
    /// What the call must be authorised with.
    pub auth: &'static str,
    /// The reason value that names NCII, where the API has one.
    pub ncii_reason: Option<&'static str>,
    pub docs_url: &'static str,
    pub note: &'static str,
}

/// Another official address for the same report, with its own certainty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AltLink {
    pub label: &'static str,
    pub url: &'static str,
    pub certainty: Certainty,
}

/// Where and how to report NCII on one platform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    pub platform: Platform,
    /// For people: "X (Twitter)", "Pornhub / Aylo".
    pub name: &'static str,
    /// Where the report starts; owned only for Mastodon, whose route lives on each server.
    pub report_url: Cow<'static, str>,
    pub report_page: ReportPage,
    /// `None`: nothing can be filled in from outside (see [`Prefill`]).
    pub prefill: Option<Prefill>,
    pub login: Login,
    pub api: Option<ReportApi>,
    /// The page that documents the route (the platform's own where `certainty` is `Verified`).
    pub source_url: &'static str,
    /// When the route was checked against `source_url`, `YYYY-MM-DD`.
    pub checked: &'static str,
    pub certainty: Certainty,
    pub alternatives: &'static [AltLink],
    /// The `_locales` message that tells the person, in their language, what to know before they
    /// start (the English text is in `extension/_locales/en/messages.json`).
    pub note_key: &'static str,
    /// For `docs/routes.md` only: what this check could not confirm ("" when nothing).
    #[serde(skip)]
    pub caveat: &'static str,
}

impl Route {
    /// A route with the required fields and the optional ones empty; `const`, so that the table
    /// is data, built once at compile time.
    #[allow(clippy::too_many_arguments)]
    pub(crate) const fn new(
        platform: Platform,
        name: &'static str,
        report_url: &'static str,
        report_page: ReportPage,
        login: Login,
        source_url: &'static str,
        checked: &'static str,
        certainty: Certainty,
        note_key: &'static str,
    ) -> Route {
        Route {
            platform,
            name,
            report_url: Cow::Borrowed(report_url),
            report_page,
            prefill: None,
            login,
            api: None,
            source_url,
            checked,
            certainty,
            alternatives: &[],
            note_key,
            caveat: "",
        }
    }

    pub(crate) const fn with_api(mut self, api: ReportApi) -> Route {
        self.api = Some(api);
        self
    }

    pub(crate) const fn with_caveat(mut self, caveat: &'static str) -> Route {
        self.caveat = caveat;
        self
    }

    pub(crate) const fn with_alternatives(mut self, alternatives: &'static [AltLink]) -> Route {
        self.alternatives = alternatives;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_in_camel_case_for_javascript() {
        let r = Route::new(
            Platform::X,
            "X",
            "https://x.example/form",
            ReportPage::Form,
            Login::No,
            "https://x.example/help",
            "2026-11-28",
            Certainty::Verified,
            "routeNoteX",
        )
        .with_caveat("docs only");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["reportUrl"], "https://x.example/form");
        assert_eq!(json["reportPage"], "form");
        assert_eq!(json["certainty"], "verified");
        assert_eq!(json["login"], "no");
        assert!(json["prefill"].is_null() && json["api"].is_null());
        assert_eq!(json["noteKey"], "routeNoteX");
        assert!(json.get("caveat").is_none(), "the caveat is for the docs, not for the page");
        assert_eq!(serde_json::to_value(ReportPage::InApp).unwrap(), "inapp");

        let prefill = serde_json::to_value(Prefill::QueryParameter { name: "url" }).unwrap();
        assert_eq!(prefill, serde_json::json!({ "kind": "queryParameter", "name": "url" }));
    }
}
