//! Page URL -> hosting platform -> that platform's own route for reporting non-consensual intimate
//! imagery (NCII). When Veil hides a match, this is the one click to where removal is asked for.
//!
//! - [`url`]: the host of a URL, read as browsers read it (look-alikes never borrow a name);
//! - [`hosts`] and [`platform`]: which platform owns a host, or a URL's shape names;
//! - [`route`] and [`table`]: what a route is, and the hand-checked table of them.
//!
//! Nothing here touches the network.

#[cfg(test)]
mod doc;
mod hosts;
mod platform;
mod route;
mod table;
mod url;

pub use platform::{Detection, Platform};
pub use route::{AltLink, Certainty, Login, Prefill, ReportApi, ReportPage, Route};
pub use table::{mastodon_route, route};
pub use url::host_of;

use serde::Serialize;

/// Which URL named the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MatchedBy {
    PageUrl,
    /// The page is unknown but the image is served by a platform (an embedded post, a hotlink).
    ImageUrl,
}

/// The answer to "where do I report this?".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteMatch {
    pub platform: Platform,
    /// The host that was recognised, lowercase, exactly as in the URL otherwise.
    pub host: String,
    pub matched_by: MatchedBy,
    pub detection: Detection,
    pub route: Route,
}

/// The reporting route for the page the person is on, or, when the page's host is not a known
/// platform, for the host serving the image (`image_url`). `None` when neither is known: then the
/// site's own report link, its host and its registrar are the way (outside this module).
pub fn route_for(page_url: &str, image_url: Option<&str>) -> Option<RouteMatch> {
    let from_page = platform::recognise(page_url, true).map(|r| (r, MatchedBy::PageUrl));
    let found =
        from_page.or_else(|| image_url.and_then(|u| platform::recognise(u, false)).map(|r| (r, MatchedBy::ImageUrl)));
    found.map(|(r, matched_by)| {
        let route = if r.platform == Platform::Mastodon { mastodon_route(&r.host) } else { route(r.platform) };
        RouteMatch { platform: r.platform, host: r.host, matched_by, detection: r.detection, route }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_wins_over_image_and_image_is_a_fallback() {
        let m =
            route_for("https://www.reddit.com/r/pics/comments/1h2abcd/", Some("https://i.imgur.com/abc.jpg")).unwrap();
        assert_eq!((m.platform, m.matched_by), (Platform::Reddit, MatchedBy::PageUrl));

        let m = route_for("https://www.reddit.com/r/x/comments/1/", Some("https://pbs.twimg.com/media/a.jpg")).unwrap();
        assert_eq!(m.platform, Platform::Reddit);

        let m = route_for("https://news.example.com/story", Some("https://pbs.twimg.com/media/a.jpg")).unwrap();
        assert_eq!((m.platform, m.matched_by, m.host.as_str()), (Platform::X, MatchedBy::ImageUrl, "pbs.twimg.com"));

        assert_eq!(route_for("https://news.example.com/story", Some("https://cdn.example.net/a.jpg")), None);
        assert_eq!(route_for("https://news.example.com/story", Some("not a url")), None);
        assert_eq!(route_for("not a url", None), None);
    }

    #[test]
    fn every_recognised_platform_gets_its_own_route() {
        for (url, platform) in [
            ("https://x.com/jack/status/20", Platform::X),
            ("https://www.bing.com/images/search?q=name", Platform::Bing),
            ("https://www.pornhub.com/view_video.php?viewkey=ph5f1234abcd5678", Platform::Aylo),
        ] {
            let m = route_for(url, None).unwrap();
            assert_eq!((m.platform, m.route.platform), (platform, platform), "{url}");
        }
    }

    #[test]
    fn a_mastodon_page_gets_its_servers_route() {
        for url in ["https://mastodon.social/@Gargron/109318393765438766", "https://social.example.org/@alice/1234"] {
            let m = route_for(url, None).unwrap();
            assert_eq!(m.route.report_url, format!("https://{}/about", m.host), "{url}");
            assert_eq!(m.route.api.as_ref().map(|a| a.call), Some("POST /api/v1/reports"));
        }
        assert_eq!(route_for("https://blog.example.org/", Some("https://social.example.org/@a/123")), None);
    }

    #[test]
    fn serialises_in_camel_case_for_javascript() {
        let m = route_for("https://x.com/jack/status/20", None).unwrap();
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["platform"], "x");
        assert_eq!(json["matchedBy"], "pageUrl");
        assert_eq!(json["detection"], "host");
        assert_eq!(json["route"]["reportUrl"], "https://help.x.com/forms/safety-and-sensitive-content/take-it-down");
        assert_eq!(json["route"]["reportPage"], "form");
        assert_eq!(json["route"]["certainty"], "verified");
        assert_eq!(json["route"]["login"], "no");
        assert_eq!(json["route"]["checked"], "2026-11-28");
        assert_eq!(json["route"]["noteKey"], "routeNoteX");
        assert!(json["route"]["prefill"].is_null());
        assert!(json["route"]["api"].is_null());

        let bsky = serde_json::to_value(route(Platform::Bluesky)).unwrap();
        assert_eq!(bsky["api"]["nciiReason"], "tools.ozone.report.defs#reasonSexualNCII");
        assert_eq!(bsky["api"]["docsUrl"], "https://docs.bsky.app/docs/api/com-atproto-moderation-create-report");
    }
}
