//! The hand-checked table: one route per platform, each with the page that documents it, the day
//! it was checked and how sure we are (only the platform's own page makes it `Verified`). What the
//! person reads about a route is a `_locales` message (`note_key`), so it reaches them in their
//! language. `docs/routes.md` is generated from this table (see `doc.rs`).

use super::platform::Platform;
use super::route::{AltLink, Certainty::*, Login, ReportApi, ReportPage, Route};
use std::borrow::Cow;

/// The days the routes were checked against their sources (each route says which).
const NOV_28: &str = "2026-11-28";
const DEC_01: &str = "2026-12-01";

const META_ALTERNATIVES: &[AltLink] = &[
    AltLink {
        label: "Meta's safety page on intimate images shared without consent",
        url: "https://about.meta.com/actions/safety/topics/bullying-harassment/ncii",
        certainty: Verified,
    },
    AltLink {
        label: "Facebook's form for intimate images shared without consent (named by Chayn's tools; not \
                seen linked from a Meta page)",
        url: "https://www.facebook.com/help/contact/634636250523119",
        certainty: Secondary,
    },
];

/// Facebook, Instagram and Threads share Meta's one route.
const fn meta(platform: Platform, name: &'static str) -> Route {
    Route::new(
        platform,
        name,
        "https://www.meta.com/help/policies/1437976901029950/",
        ReportPage::Guide,
        Login::No,
        "https://www.meta.com/help/policies/1437976901029950/",
        DEC_01,
        Secondary,
        "routeNoteMeta",
    )
    .with_alternatives(META_ALTERNATIVES)
    .with_caveat(
        "Meta's Help Center page \"Report NCII on Meta Platforms\" (Facebook, Instagram, Threads and Meta AI; \
         people without an account can use its dedicated NCII reporting form) was read only in a third-party \
         archive of its text (accessed 2026-07-04), not in a stored copy of Meta's page, and the dedicated \
         form's own address was not found. Meta's safety page (about.meta.com) was read in a stored copy.",
    )
}

/// Bing's results and OneDrive's files share Microsoft's Report a Concern form.
const fn microsoft(platform: Platform, name: &'static str, note_key: &'static str) -> Route {
    Route::new(
        platform,
        name,
        "https://www.microsoft.com/en-us/concern/revengeporn",
        ReportPage::Form,
        Login::Unknown,
        "https://blogs.microsoft.com/on-the-issues/2016/07/22/microsofts-revenge-porn-approach-one-year-later",
        DEC_01,
        Secondary,
        note_key,
    )
    .with_caveat(
        "Microsoft's own posts (2015, 2016) confirm a dedicated reporting page for Bing, OneDrive and Xbox; \
         copies of its 2024 and May 2026 posts describe a redesigned global form for real and AI-made images. \
         The form's address comes from Microsoft's NuGet Gallery documentation and press, not from a Microsoft \
         help page, and may have moved with the redesign.",
    )
}

const MASTODON_API: ReportApi = ReportApi {
    call: "POST /api/v1/reports",
    auth: "OAuth token with scope write:reports, from an account on this server",
    ncii_reason: None,
    docs_url: "https://docs.joinmastodon.org/methods/reports/",
    note: "account_id is required; status_ids can take the number at the end of the post URL \
           (ids are per server); category legal (illegal content) from Mastodon 4.2 (the server's \
           version is in /api/v2/instance), other before; forward=true sends a copy to a remote \
           poster's server.",
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
        NOV_28,
        Verified,
        "routeNoteX",
    ),
    meta(Platform::Facebook, "Facebook"),
    meta(Platform::Instagram, "Instagram"),
    meta(Platform::Threads, "Threads"),
    Route::new(
        Platform::WhatsApp,
        "WhatsApp",
        "https://faq.whatsapp.com/245599461477281",
        ReportPage::InApp,
        Login::Yes,
        "https://faq.whatsapp.com/245599461477281",
        DEC_01,
        Secondary,
        "routeNoteWhatsApp",
    )
    .with_caveat(
        "WhatsApp's Channels Guidelines (its own page, in a stored copy) say what channels may not share; the \
         in-app steps (the channel's ⋮ menu > Report) come from press reports. No web form for reporting a \
         channel was found.",
    ),
    Route::new(
        Platform::Telegram,
        "Telegram",
        "https://telegram.org/faq",
        ReportPage::InApp,
        Login::Yes,
        "https://telegram.org/faq",
        DEC_01,
        Secondary,
        "routeNoteTelegram",
    )
    .with_caveat(
        "Telegram's FAQ was not among the stored copies. That it points to the in-app Report button and gives a \
         takedown e-mail address (abuse@telegram.org) comes from press reports of its September 2024 change \
         and from guides.",
    ),
    Route::new(
        Platform::Reddit,
        "Reddit",
        "https://www.reddit.com/report",
        ReportPage::Form,
        Login::Unknown,
        "https://www.reddit.com/r/kpopnoir/wiki/index/how-to-report-ncim-subreddits",
        NOV_28,
        Secondary,
        "routeNoteReddit",
    )
    .with_api(ReportApi {
        call: "POST /api/report",
        auth: "OAuth token of the person's Reddit account, scope `report`",
        ncii_reason: None,
        docs_url: "https://www.reddit.com/dev/api#POST_api_report",
        note: "thing_id is the post's fullname (t3_ + the id after /comments/ in the URL); \
               which reason value reaches the NCII team is not documented.",
    })
    .with_caveat(
        "`reddit.com/report` and its \"non-consensual intimate media\" reason are described by community guides; \
         no Reddit help page was found for it. Whether the form needs a login is unknown.",
    ),
    Route::new(
        Platform::TikTok,
        "TikTok",
        "https://support.tiktok.com/en/safety-hc/report-a-problem/report-sexual-abuse",
        ReportPage::Guide,
        Login::Unknown,
        "https://support.tiktok.com/en/safety-hc/report-a-problem/report-sexual-abuse",
        NOV_28,
        Secondary,
        "routeNoteTikTok",
    )
    .with_alternatives(&[AltLink {
        label: "TikTok's privacy report form (named by Chayn's tools)",
        url: "https://www.tiktok.com/legal/report/privacy",
        certainty: Secondary,
    }])
    .with_caveat(
        "`tiktok.com/legal/report/privacy` is named only by third parties; TikTok's own webform is for sexual \
         deepfakes and abuse of minors, not for real images of adults.",
    ),
    Route::new(
        Platform::YouTube,
        "YouTube",
        "https://support.google.com/youtube/answer/142443",
        ReportPage::Guide,
        Login::Unknown,
        "https://support.google.com/youtube/answer/2801895",
        NOV_28,
        Verified,
        "routeNoteYouTube",
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
        Platform::Vimeo,
        "Vimeo",
        "https://help.vimeo.com/hc/en-us/articles/12427640658065-Guidelines-for-Privacy-Claims",
        ReportPage::Guide,
        Login::Unknown,
        "https://help.vimeo.com/hc/en-us/articles/12427640658065-Guidelines-for-Privacy-Claims",
        DEC_01,
        Verified,
        "routeNoteVimeo",
    )
    .with_caveat("The privacy claim form is linked from Vimeo's page; its own address was not in the stored copy."),
    Route::new(
        Platform::Snapchat,
        "Snapchat",
        "https://values.snap.com/safety/safety-reporting",
        ReportPage::Guide,
        Login::No,
        "https://values.snap.com/safety/safety-reporting",
        NOV_28,
        Verified,
        "routeNoteSnapchat",
    ),
    Route::new(
        Platform::Pinterest,
        "Pinterest",
        "https://help.pinterest.com/en/article/report-something-on-pinterest",
        ReportPage::Guide,
        Login::Unknown,
        "https://help.pinterest.com/en/article/report-something-on-pinterest",
        NOV_28,
        Uncertain,
        "routeNotePinterest",
    )
    .with_caveat("No NCII-specific route was found; the general report help is given."),
    Route::new(
        Platform::Tumblr,
        "Tumblr",
        "https://www.tumblr.com/abuse/privacy",
        ReportPage::Form,
        Login::Unknown,
        "https://consentlawyers.com/diy-help/takedown-resources/tumblr-takedowns/",
        NOV_28,
        Secondary,
        "routeNoteTumblr",
    )
    .with_caveat("The form's address comes from a law firm's guide."),
    Route::new(
        Platform::Imgur,
        "Imgur",
        "https://imgur.com/removalrequest",
        ReportPage::Form,
        Login::Unknown,
        "https://imgur.com/removalrequest",
        DEC_01,
        Secondary,
        "routeNoteImgur",
    )
    .with_caveat(
        "Imgur's footer links `imgur.com/removalrequest` as \"request deletion\"; this was seen in copies of \
         imgur.com pages kept in public repositories, not in a stored copy of the form, and whether the form \
         treats intimate images apart from other removals was not confirmed.",
    ),
    Route::new(
        Platform::Bluesky,
        "Bluesky",
        "https://support.bsky.social/about/support/tida-info",
        ReportPage::Guide,
        Login::Unknown,
        "https://support.bsky.social/about/support/tida-info",
        NOV_28,
        Verified,
        "routeNoteBluesky",
    )
    .with_api(ReportApi {
        call: "POST /xrpc/com.atproto.moderation.createReport",
        auth: "logged-in session of the person's Bluesky account",
        ncii_reason: Some("tools.ozone.report.defs#reasonSexualNCII"),
        docs_url: "https://docs.bsky.app/docs/api/com-atproto-moderation-create-report",
        note: "subject is the post's at-uri and cid (resolve the handle in the URL to a DID); an image the \
               person says is fake: tools.ozone.report.defs#reasonSexualDeepfake (in the lexicon and in \
               Bluesky's own app).",
    }),
    Route::new(
        Platform::Mastodon,
        "Mastodon",
        "https://docs.joinmastodon.org/methods/reports/",
        ReportPage::Guide,
        Login::Yes,
        "https://docs.joinmastodon.org/methods/reports/",
        NOV_28,
        Secondary,
        "routeNoteMastodon",
    )
    .with_api(MASTODON_API)
    .with_caveat("Each server has its own rules and moderators; nothing is verified per server."),
    Route::new(
        Platform::Discord,
        "Discord",
        "https://discord.com/report",
        ReportPage::Form,
        Login::No,
        "https://support.discord.com/hc/articles/38675715591831",
        NOV_28,
        Verified,
        "routeNoteDiscord",
    ),
    Route::new(
        Platform::Twitch,
        "Twitch",
        "https://help.twitch.tv/s/article/how-to-file-a-user-report",
        ReportPage::Guide,
        Login::Unknown,
        "https://help.twitch.tv/s/article/how-to-file-a-user-report",
        NOV_28,
        Uncertain,
        "routeNoteTwitch",
    )
    .with_caveat("No NCII-specific route was found, and the help article's address was not confirmed."),
    Route::new(
        Platform::Kick,
        "Kick",
        "https://help.kick.com/en/articles/8539253-submitting-a-report",
        ReportPage::InApp,
        Login::Yes,
        "https://help.kick.com/en/articles/8539253-submitting-a-report",
        DEC_01,
        Uncertain,
        "routeNoteKick",
    )
    .with_caveat(
        "Kick's own help page (in a stored copy) describes its general report from the player; no reason \
         specific to intimate images was confirmed.",
    ),
    Route::new(
        Platform::LinkedIn,
        "LinkedIn",
        "https://www.linkedin.com/help/linkedin/answer/a1337576",
        ReportPage::Guide,
        Login::Unknown,
        "https://www.linkedin.com/help/linkedin/answer/a1337576",
        NOV_28,
        Uncertain,
        "routeNoteLinkedIn",
    )
    .with_caveat("No NCII-specific route was found; the general report help is given."),
    microsoft(Platform::OneDrive, "Microsoft OneDrive", "routeNoteOneDrive"),
    Route::new(
        Platform::OnlyFans,
        "OnlyFans",
        "https://onlyfans.com/dmca",
        ReportPage::Form,
        Login::Unknown,
        "https://blog.onlyfans.com/reporting-on-onlyfans/",
        NOV_28,
        Secondary,
        "routeNoteOnlyFans",
    )
    .with_caveat("The copyright form's address comes from Chayn's tools."),
    Route::new(
        Platform::Aylo,
        "Pornhub / Aylo",
        "https://www.pornhub.com/content-removal",
        ReportPage::Form,
        Login::No,
        "https://support.brazzers.com/legal/anti-trafficking-statement",
        NOV_28,
        Secondary,
        "routeNoteAylo",
    )
    .with_alternatives(&[AltLink {
        label: "Aylo's central removal page (named by Chayn's tools)",
        url: "https://www.aylo.com/removal",
        certainty: Secondary,
    }])
    .with_caveat(
        "Aylo's own statement confirms a Content Removal Request form in the footer of every Aylo site (URL, \
         reason, e-mail; no account). The address `pornhub.com/content-removal` is quoted from Pornhub's terms \
         via a third-party copy. Tube8's ownership by Aylo, and the image hosts rdtcdn.com, ypncdn.com and \
         t8cdn.com, come from press and public code, not from an Aylo page.",
    ),
    Route::new(
        Platform::GoogleSearch,
        "Google Search",
        "https://support.google.com/websearch/answer/6302812",
        ReportPage::Guide,
        Login::Unknown,
        "https://support.google.com/websearch/answer/6302812",
        NOV_28,
        Verified,
        "routeNoteGoogleSearch",
    )
    .with_alternatives(&[AltLink {
        label: "Google: remove explicit fake (AI-made) imagery of you",
        url: "https://support.google.com/websearch/answer/9116649",
        certainty: Verified,
    }]),
    microsoft(Platform::Bing, "Bing", "routeNoteBing"),
];

/// The route for a platform. For Mastodon this is the general route; the one a person can use
/// is on the server, from [`mastodon_route`].
pub fn route(platform: Platform) -> Route {
    ROUTES.iter().find(|r| r.platform == platform).cloned().expect("every platform has a route (tested)")
}

/// Every route, in [`Platform::ALL`]'s order (for the generated docs).
#[cfg(test)]
pub(crate) fn all() -> &'static [Route] {
    &ROUTES
}

/// The route on one Mastodon server (`host`, as recognised in the URL). The report is made there,
/// from an account on any server (reports about remote posts can be forwarded to the poster's
/// server); people without an account can write to the moderators listed on the server's about
/// page. Each server has its own rules and moderators, so nothing here is verified per server.
pub fn mastodon_route(host: &str) -> Route {
    Route {
        report_url: Cow::Owned(format!("https://{host}/about")),
        note_key: "routeNoteMastodonServer",
        ..route(Platform::Mastodon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_platform_order_one_route_each() {
        assert_eq!(ROUTES.len(), Platform::ALL.len());
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
            assert!([NOV_28, DEC_01].contains(&r.checked), "{p:?}");
            assert!(r.note_key.starts_with("routeNote"), "{p:?} note key");
            assert!(r.prefill.is_none(), "{p:?}: no platform documents a prefill parameter");
            for alt in r.alternatives {
                assert!(alt.url.starts_with("https://") && !alt.label.is_empty(), "{p:?} {alt:?}");
            }
            if let Some(api) = &r.api {
                assert!(api.docs_url.starts_with("https://") && !api.call.is_empty(), "{p:?}");
            }
            // A route is verified only when its source is the platform's own page, never a guide
            // written by someone else; anything less says what was not confirmed.
            if r.certainty == Verified {
                for third_party in ["consentlawyers", "reddit.com/r/", "chayn", "github"] {
                    assert!(!r.source_url.contains(third_party), "{p:?}");
                }
            } else {
                assert!(!r.caveat.is_empty(), "{p:?}: say what could not be confirmed");
            }
        }
    }

    #[test]
    fn platforms_that_share_a_route_share_its_address() {
        for (first, others) in [
            (Platform::Facebook, &[Platform::Instagram, Platform::Threads][..]),
            (Platform::Bing, &[Platform::OneDrive][..]),
        ] {
            for &p in others {
                assert_eq!(route(p).report_url, route(first).report_url);
                assert_ne!(route(p).name, route(first).name);
            }
        }
    }

    #[test]
    fn meta_routes_to_its_ncii_help_page_which_needs_no_account() {
        let r = route(Platform::Instagram);
        assert_eq!(r.report_url, "https://www.meta.com/help/policies/1437976901029950/");
        assert_eq!(r.login, Login::No);
        assert!(r.alternatives.iter().any(|a| a.certainty == Verified));
    }

    #[test]
    fn in_app_only_routes_say_so() {
        for p in [Platform::WhatsApp, Platform::Telegram, Platform::Kick] {
            assert_eq!(route(p).report_page, ReportPage::InApp, "{p:?}");
        }
    }

    #[test]
    fn mastodon_route_lives_on_the_server() {
        let m = mastodon_route("social.example.org");
        assert_eq!(m.report_url, "https://social.example.org/about");
        assert!(m.source_url.starts_with("https://"));
        assert_eq!(m.api.as_ref().map(|a| a.call), Some("POST /api/v1/reports"));
        assert_eq!(m.note_key, "routeNoteMastodonServer");
        assert_ne!(m.note_key, route(Platform::Mastodon).note_key);
    }

    #[test]
    fn apis_name_their_ncii_reason_where_they_have_one() {
        let api = route(Platform::Bluesky).api.expect("Bluesky documents createReport");
        assert_eq!(api.ncii_reason, Some("tools.ozone.report.defs#reasonSexualNCII"));
        assert!(api.note.contains("#reasonSexualDeepfake"));
        assert!(route(Platform::Mastodon).api.unwrap().note.contains("legal"));
    }

    #[test]
    fn dates_are_real_iso_dates() {
        for date in [NOV_28, DEC_01] {
            let parts: Vec<u32> = date.split('-').map(|p| p.parse().unwrap()).collect();
            assert!(matches!(parts[..], [2026, 1..=12, 1..=31]), "{date}");
        }
    }
}
