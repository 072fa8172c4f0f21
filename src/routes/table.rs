//! The hand-checked table: one route per platform, each with the page that documents it, the day
//! it was checked and how sure we are (only the platform's own page makes it `Verified`).
//! `docs/routes.md` is generated from it.

use super::platform::Platform;
use super::route::{AltLink, Certainty::*, Login, ReportApi, ReportPage, Route};
use std::borrow::Cow;

/// The day the routes were last checked against their sources.
pub const CHECKED: &str = "2026-11-28";

const META_FORM_FB: &[AltLink] = &[AltLink {
    label: "Facebook's form for intimate images shared without consent (named by Chayn's tools; not \
            seen linked from a Meta page)",
    url: "https://www.facebook.com/help/contact/634636250523119",
    certainty: Secondary,
}];

const META_NOTES: &str = "Meta's page covers Facebook, Instagram, Threads and Messenger; in the apps, \
    report the post itself. StopNCII.org (Meta is a partner) can block re-uploads from an on-device hash.";

const fn meta(platform: Platform, name: &'static str) -> Route {
    Route::new(
        platform,
        name,
        "https://about.meta.com/actions/safety/topics/bullying-harassment/ncii",
        ReportPage::Guide,
        Login::Unknown,
        "https://about.meta.com/actions/safety/topics/bullying-harassment/",
        CHECKED,
        Verified,
        META_NOTES,
    )
    .with_alternatives(META_FORM_FB)
}

const MASTODON_API: ReportApi = ReportApi {
    call: "POST /api/v1/reports",
    auth: "OAuth token with scope write:reports, from an account on this server",
    ncii_reason: None,
    docs_url: "https://docs.joinmastodon.org/methods/reports/",
    note: "account_id is required; status_ids can take the number at the end of the post URL \
           (ids are per server); category violation with the server's rule_ids, or other; \
           forward=true sends a copy to a remote poster's server.",
};

/// One route per platform, in [`Platform::ALL`]'s order.
static ROUTES: [Route; Platform::ALL.len()] = [
    Route::new(
        Platform::X,
        "X (Twitter)",
        "https://help.x.com/forms/safety-and-sensitive-content/take-it-down",
        ReportPage::Form,
        Login::No,
        "https://help.x.com/en/rules-and-policies/us-tida",
        CHECKED,
        Verified,
        "In the app: ⋯ > Private or Non-Consensual Content > Report content under the US \
         Take It Down Act. X's worldwide non-consensual nudity policy: \
         help.x.com/rules-and-policies/personal-information.",
    ),
    meta(Platform::Facebook, "Facebook"),
    meta(Platform::Instagram, "Instagram"),
    meta(Platform::Threads, "Threads"),
    Route::new(
        Platform::Reddit,
        "Reddit",
        "https://www.reddit.com/report",
        ReportPage::Form,
        Login::Unknown,
        "https://www.reddit.com/r/kpopnoir/wiki/index/how-to-report-ncim-subreddits",
        CHECKED,
        Secondary,
        "On the form choose \"I want to report non-consensual intimate media\". Not confirmed \
         on a Reddit help page in this check.",
    )
    .with_api(ReportApi {
        call: "POST /api/report",
        auth: "OAuth token of the person's Reddit account, scope `report`",
        ncii_reason: None,
        docs_url: "https://www.reddit.com/dev/api#POST_api_report",
        note: "thing_id is the post's fullname (t3_ + the id after /comments/ in the URL); \
               which reason value reaches the NCII team is not documented.",
    }),
    Route::new(
        Platform::TikTok,
        "TikTok",
        "https://support.tiktok.com/en/safety-hc/report-a-problem/report-sexual-abuse",
        ReportPage::Guide,
        Login::Unknown,
        "https://support.tiktok.com/en/safety-hc/report-a-problem/report-sexual-abuse",
        CHECKED,
        Secondary,
        "TikTok's page links a webform for sexual deepfakes and abuse of minors; for real \
         images of adults TikTok points to in-app reporting: Report > Violence, abuse, and \
         criminal exploitation > Sexual exploitation and abuse.",
    )
    .with_alternatives(&[AltLink {
        label: "TikTok's privacy report form (named by Chayn's tools)",
        url: "https://www.tiktok.com/legal/report/privacy",
        certainty: Secondary,
    }]),
    Route::new(
        Platform::YouTube,
        "YouTube",
        "https://support.google.com/youtube/answer/142443",
        ReportPage::Guide,
        Login::Unknown,
        "https://support.google.com/youtube/answer/2801895",
        CHECKED,
        Verified,
        "YouTube's Privacy Complaint Process: the person (or their legal representative) must \
         be identifiable and says where in the video they appear. AI-made likenesses have \
         their own option on the same process.",
    )
    .with_api(ReportApi {
        call: "POST https://www.googleapis.com/youtube/v3/videos/reportAbuse",
        auth: "OAuth token of the person's Google account (YouTube scope)",
        ncii_reason: None,
        docs_url: "https://developers.google.com/youtube/v3/docs/videos/reportAbuse",
        note: "A Community Guidelines flag, not the privacy complaint; reason ids come from \
               videoAbuseReportReasons.list.",
    }),
    Route::new(
        Platform::Snapchat,
        "Snapchat",
        "https://values.snap.com/safety/safety-reporting",
        ReportPage::Guide,
        Login::No,
        "https://values.snap.com/safety/safety-reporting",
        CHECKED,
        Verified,
        "Snap's page links the Support Site's safety report form, which accepts anonymous \
         reports; in the app, press and hold the Snap or Story > Report.",
    ),
    Route::new(
        Platform::Pinterest,
        "Pinterest",
        "https://help.pinterest.com/en/article/report-something-on-pinterest",
        ReportPage::Guide,
        Login::Unknown,
        "https://help.pinterest.com/en/article/report-something-on-pinterest",
        CHECKED,
        Uncertain,
        "No NCII-specific Pinterest route was found; Pinterest's help lists reporting a Pin \
         and \"a person's photo in a Pin\" from the Pin's menu.",
    ),
    Route::new(
        Platform::Tumblr,
        "Tumblr",
        "https://www.tumblr.com/abuse/privacy",
        ReportPage::Form,
        Login::Unknown,
        "https://consentlawyers.com/diy-help/takedown-resources/tumblr-takedowns/",
        CHECKED,
        Secondary,
        "Tumblr's privacy abuse form; Tumblr also takes post links at abuse@tumblr.com \
         (per Australia's eSafety Commissioner).",
    ),
    Route::new(
        Platform::Bluesky,
        "Bluesky",
        "https://support.bsky.social/about/support/tida-info",
        ReportPage::Guide,
        Login::Unknown,
        "https://support.bsky.social/about/support/tida-info",
        CHECKED,
        Verified,
        "Bluesky's Take It Down Act form asks for the post or account URL; it covers real and \
         AI-made imagery.",
    )
    .with_api(ReportApi {
        call: "POST /xrpc/com.atproto.moderation.createReport",
        auth: "logged-in session of the person's Bluesky account",
        ncii_reason: Some("tools.ozone.report.defs#reasonSexualNCII"),
        docs_url: "https://docs.bsky.app/docs/api/com-atproto-moderation-create-report",
        note: "subject is the post's at-uri and cid (resolve the handle in the URL to a DID); \
               deepfakes: tools.ozone.report.defs#reasonSexualDeepfake.",
    }),
    Route::new(
        Platform::Mastodon,
        "Mastodon",
        "https://docs.joinmastodon.org/methods/reports/",
        ReportPage::Guide,
        Login::Yes,
        "https://docs.joinmastodon.org/methods/reports/",
        CHECKED,
        Secondary,
        "Each Mastodon server moderates itself: report on the server that shows the post \
         (see the route for that server).",
    )
    .with_api(MASTODON_API),
    Route::new(
        Platform::Discord,
        "Discord",
        "https://discord.com/report",
        ReportPage::Form,
        Login::No,
        "https://support.discord.com/hc/articles/38675715591831",
        CHECKED,
        Verified,
        "One report per image or video. The form is Discord's Take It Down Act route and also \
         open to people without a Discord account.",
    ),
    Route::new(
        Platform::Twitch,
        "Twitch",
        "https://help.twitch.tv/s/article/how-to-file-a-user-report",
        ReportPage::Guide,
        Login::Unknown,
        "https://help.twitch.tv/s/article/how-to-file-a-user-report",
        CHECKED,
        Uncertain,
        "No NCII-specific Twitch route was found; Twitch's general user report (from the \
         channel, clip or video) is the way in. The help article's address was not confirmed \
         in this check.",
    ),
    Route::new(
        Platform::LinkedIn,
        "LinkedIn",
        "https://www.linkedin.com/help/linkedin/answer/a1337576",
        ReportPage::Guide,
        Login::Unknown,
        "https://www.linkedin.com/help/linkedin/answer/a1337576",
        CHECKED,
        Uncertain,
        "No NCII-specific LinkedIn route was found; LinkedIn's help describes reporting \
         content from the post's menu.",
    ),
    Route::new(
        Platform::OnlyFans,
        "OnlyFans",
        "https://onlyfans.com/dmca",
        ReportPage::Form,
        Login::Unknown,
        "https://blog.onlyfans.com/reporting-on-onlyfans/",
        CHECKED,
        Secondary,
        "OnlyFans' own routes are in-app reports and copyright (DMCA) notices; content leaked \
         from OnlyFans onto other sites is reported on those sites.",
    ),
    Route::new(
        Platform::Aylo,
        "Pornhub / Aylo",
        "https://www.pornhub.com/content-removal",
        ReportPage::Form,
        Login::No,
        "https://support.brazzers.com/legal/anti-trafficking-statement",
        CHECKED,
        Secondary,
        "Every Aylo site links its own Content Removal Request in its footer; on YouPorn, \
         RedTube, Tube8 or Brazzers use that link. Aylo must offer a case manager on request \
         (FTC and Utah order, 2025). The Pornhub form's address is quoted from Pornhub's terms.",
    )
    .with_alternatives(&[AltLink {
        label: "Aylo's central removal page (named by Chayn's tools)",
        url: "https://www.aylo.com/removal",
        certainty: Secondary,
    }]),
    Route::new(
        Platform::GoogleSearch,
        "Google Search",
        "https://support.google.com/websearch/answer/6302812",
        ReportPage::Guide,
        Login::Unknown,
        "https://support.google.com/websearch/answer/6302812",
        CHECKED,
        Verified,
        "Removes results from Google Search, not the page itself. In image results: ⋮ > \
         Remove result > \"It shows a sexual image of me\".",
    )
    .with_alternatives(&[AltLink {
        label: "Google: remove explicit fake (AI-made) imagery of you",
        url: "https://support.google.com/websearch/answer/9116649",
        certainty: Verified,
    }]),
    Route::new(
        Platform::Bing,
        "Bing",
        "https://www.microsoft.com/en-us/concern/revengeporn",
        ReportPage::Form,
        Login::Unknown,
        "https://blogs.microsoft.com/on-the-issues/2016/07/22/microsofts-revenge-porn-approach-one-year-later",
        CHECKED,
        Secondary,
        "Microsoft's Report a Concern form (Bing, OneDrive, Xbox): choose the non-consensual \
         intimate imagery concern. Removes results from Bing, not the page itself.",
    ),
];

/// The route for a platform. For Mastodon this is the general route; the one a person can use
/// is on the server, from [`mastodon_route`].
pub fn route(platform: Platform) -> Route {
    ROUTES.iter().find(|r| r.platform == platform).cloned().expect("every platform has a route (tested)")
}

/// The route on one Mastodon server (`host`, as recognised in the URL). The report is made there,
/// from an account on any server (reports about remote posts can be forwarded to the poster's
/// server); people without an account can write to the moderators listed on the server's about
/// page. Each server has its own rules and moderators, so nothing here is verified per server.
pub fn mastodon_route(host: &str) -> Route {
    Route {
        report_url: Cow::Owned(format!("https://{host}/about")),
        notes: "Report from the post's ⋯ menu while signed in; the server's about page shows its rules and \
                how to reach its moderators. With an account elsewhere, tick \"forward\" so the poster's \
                server sees it too.",
        ..route(Platform::Mastodon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::route::Certainty;

    #[test]
    fn the_table_follows_platform_order_one_route_each() {
        for (p, r) in Platform::ALL.iter().zip(&ROUTES) {
            assert_eq!(r.platform, *p);
        }
    }

    #[test]
    fn every_platform_has_a_complete_route() {
        for p in Platform::ALL {
            let r = route(p);
            assert_eq!(r.platform, p);
            assert!(!r.name.is_empty(), "{p:?}");
            assert!(r.report_url.starts_with("https://") && r.report_url.len() > 12, "{p:?} report_url");
            assert!(r.source_url.starts_with("https://") && r.source_url.len() > 12, "{p:?} source_url");
            assert_eq!(r.checked, CHECKED, "{p:?}");
            assert!(!r.notes.is_empty(), "{p:?} notes");
            assert!(r.prefill.is_none(), "{p:?}: no platform documents a prefill parameter");
            for alt in r.alternatives {
                assert!(alt.url.starts_with("https://") && !alt.label.is_empty(), "{p:?} {alt:?}");
            }
            if let Some(api) = &r.api {
                assert!(api.docs_url.starts_with("https://") && !api.call.is_empty(), "{p:?}");
            }
            // A route is verified only when its source is the platform's own page, never a guide
            // written by someone else.
            if r.certainty == Certainty::Verified {
                for third_party in ["consentlawyers", "reddit.com/r/", "chayn", "github"] {
                    assert!(!r.source_url.contains(third_party), "{p:?}");
                }
            }
        }
    }

    #[test]
    fn meta_platforms_share_one_route() {
        let fb = route(Platform::Facebook);
        for p in [Platform::Instagram, Platform::Threads] {
            assert_eq!(route(p).report_url, fb.report_url);
            assert_ne!(route(p).name, fb.name);
        }
    }

    #[test]
    fn mastodon_route_lives_on_the_server() {
        let m = mastodon_route("social.example.org");
        assert_eq!(m.report_url, "https://social.example.org/about");
        assert!(m.source_url.starts_with("https://"));
        assert_eq!(m.checked, CHECKED);
        assert_eq!(m.api.as_ref().map(|a| a.call), Some("POST /api/v1/reports"));
        assert_ne!(m.notes, route(Platform::Mastodon).notes);
    }

    #[test]
    fn apis_name_their_ncii_reason_where_they_have_one() {
        let api = route(Platform::Bluesky).api.expect("Bluesky documents createReport");
        assert_eq!(api.ncii_reason, Some("tools.ozone.report.defs#reasonSexualNCII"));
        assert_eq!(route(Platform::Aylo).name, "Pornhub / Aylo");
    }

    #[test]
    fn date_is_a_real_iso_date() {
        let parts: Vec<u32> = CHECKED.split('-').map(|p| p.parse().unwrap()).collect();
        assert!(matches!(parts[..], [2026, 1..=12, 1..=31]));
    }
}
