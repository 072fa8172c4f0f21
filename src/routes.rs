//! Page URL -> hosting platform -> that platform's own route for reporting non-consensual intimate
//! imagery (NCII). When Veil hides a match, this is the one click to where removal is asked for.
//!
//! The routes are a hand-checked table, not a lookup: every route names the page that documents it,
//! the day it was checked and how sure we are (only the platform's own page makes it `Verified`).
//! `docs/routes.md` is the same table for people. Hosts are read with a small parser of our own,
//! written so that look-alikes (`evilx.com`, `x.com.evil.net`, `https://x.com@evil.net/`) never
//! borrow a platform's name. Nothing here touches the network.

use serde::Serialize;
use std::borrow::Cow;

/// The day every route below was last checked against its source.
pub const CHECKED: &str = "2026-11-28";

/// A platform (or family of sites) with its own reporting route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    X,
    Facebook,
    Instagram,
    Threads,
    Reddit,
    TikTok,
    YouTube,
    Snapchat,
    Pinterest,
    Tumblr,
    Bluesky,
    /// Any Mastodon server: the route belongs to the server (see [`mastodon_route`]).
    Mastodon,
    Discord,
    Twitch,
    LinkedIn,
    OnlyFans,
    /// Pornhub and the other sites of its owner, Aylo.
    Aylo,
    /// Google's result pages only (`google.<tld>/search`): removal from results, not from the web.
    GoogleSearch,
    /// Bing's result pages only: removal from results, not from the web.
    Bing,
}

impl Platform {
    pub const ALL: [Platform; 19] = [
        Platform::X,
        Platform::Facebook,
        Platform::Instagram,
        Platform::Threads,
        Platform::Reddit,
        Platform::TikTok,
        Platform::YouTube,
        Platform::Snapchat,
        Platform::Pinterest,
        Platform::Tumblr,
        Platform::Bluesky,
        Platform::Mastodon,
        Platform::Discord,
        Platform::Twitch,
        Platform::LinkedIn,
        Platform::OnlyFans,
        Platform::Aylo,
        Platform::GoogleSearch,
        Platform::Bing,
    ];
}

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
    pub source_url: Cow<'static, str>,
    /// When the route was checked against `source_url`, `YYYY-MM-DD`.
    pub checked: &'static str,
    pub certainty: Certainty,
    pub alternatives: &'static [AltLink],
    /// What the person should know before they start, in a sentence or two.
    pub notes: &'static str,
}

/// Which URL named the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MatchedBy {
    PageUrl,
    /// The page is unknown but the image is served by a platform (an embedded post, a hotlink).
    ImageUrl,
}

/// How the platform was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Detection {
    /// The host is one the platform owns (for search engines: and the path is a result page).
    Host,
    /// Only the URL's shape says so: a heuristic (Mastodon's `/@user/123…` on an unknown host).
    UrlShape,
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
    let from_page = recognise(page_url, true).map(|(p, host, d)| (p, host, d, MatchedBy::PageUrl));
    let found = from_page
        .or_else(|| image_url.and_then(|u| recognise(u, false)).map(|(p, host, d)| (p, host, d, MatchedBy::ImageUrl)));
    found.map(|(platform, host, detection, matched_by)| {
        let route = if platform == Platform::Mastodon { mastodon_route(&host) } else { route(platform) };
        RouteMatch { platform, host, matched_by, detection, route }
    })
}

/// What names a platform in one URL: its host (plus the path for search engines), or for
/// Mastodon, on pages only, the shape of a post URL.
fn recognise(url: &str, is_page: bool) -> Option<(Platform, String, Detection)> {
    let parsed = parse(url)?;
    let platform = platform_of_host(&parsed.host).or_else(|| search_engine(&parsed.host, &parsed.path));
    if let Some(p) = platform {
        return Some((p, parsed.host, Detection::Host));
    }
    if MASTODON_SERVERS.contains(&parsed.host.as_str()) {
        return Some((Platform::Mastodon, parsed.host, Detection::Host));
    }
    if is_page && is_domain_name(&parsed.host) && is_mastodon_post_path(&parsed.path) {
        return Some((Platform::Mastodon, parsed.host, Detection::UrlShape));
    }
    None
}

/// Hosts (and every subdomain of them) that belong to one platform, page and image hosts alike:
/// an image opened in its own tab is still on the platform. A host counts only if it equals the
/// domain or ends in `.` + domain, so `m.`, `www.`, `mobile.`, `old.` and blog subdomains need no
/// special case and `evilx.com` or `x.com.evil.net` never match.
const HOSTS: &[(&str, Platform)] = &[
    // `t.co` is left out on purpose: it only redirects, and what it leads to is usually elsewhere.
    ("x.com", Platform::X),
    ("twitter.com", Platform::X),
    ("twimg.com", Platform::X), // pbs.twimg.com images, video.twimg.com videos
    ("facebook.com", Platform::Facebook),
    ("fb.com", Platform::Facebook),
    ("fb.watch", Platform::Facebook),
    // fbcdn.net serves Facebook's images and also some Instagram and Threads images; Meta's route
    // is one for all three, so naming Facebook sends the person to the right place either way.
    ("fbcdn.net", Platform::Facebook),
    ("instagram.com", Platform::Instagram),
    ("instagr.am", Platform::Instagram),
    ("cdninstagram.com", Platform::Instagram), // also serves Threads images; same Meta route
    ("threads.net", Platform::Threads),
    ("threads.com", Platform::Threads),
    ("reddit.com", Platform::Reddit),
    ("redd.it", Platform::Reddit), // short links, i./preview./external-preview./v. media
    ("redditmedia.com", Platform::Reddit),
    ("tiktok.com", Platform::TikTok),
    ("tiktokcdn.com", Platform::TikTok),
    ("tiktokcdn-us.com", Platform::TikTok),
    ("youtube.com", Platform::YouTube),
    ("youtu.be", Platform::YouTube),
    ("youtube-nocookie.com", Platform::YouTube),
    ("ytimg.com", Platform::YouTube), // i.ytimg.com thumbnails
    ("snapchat.com", Platform::Snapchat),
    ("pinterest.com", Platform::Pinterest), // also br., de., in. … country subdomains
    ("pinterest.co.uk", Platform::Pinterest),
    ("pinterest.ca", Platform::Pinterest),
    ("pinterest.com.au", Platform::Pinterest),
    ("pinterest.com.mx", Platform::Pinterest),
    ("pinterest.de", Platform::Pinterest),
    ("pinterest.fr", Platform::Pinterest),
    ("pinterest.es", Platform::Pinterest),
    ("pinterest.it", Platform::Pinterest),
    ("pinterest.pt", Platform::Pinterest),
    ("pinterest.at", Platform::Pinterest),
    ("pinterest.ch", Platform::Pinterest),
    ("pinterest.ie", Platform::Pinterest),
    ("pinterest.nz", Platform::Pinterest),
    ("pinterest.jp", Platform::Pinterest),
    ("pinterest.co.kr", Platform::Pinterest),
    ("pinterest.ph", Platform::Pinterest),
    ("pinterest.cl", Platform::Pinterest),
    ("pinterest.dk", Platform::Pinterest),
    ("pinterest.se", Platform::Pinterest),
    ("pin.it", Platform::Pinterest),
    ("pinimg.com", Platform::Pinterest), // i.pinimg.com
    ("tumblr.com", Platform::Tumblr),    // *.tumblr.com blogs and *.media.tumblr.com images
    ("bsky.app", Platform::Bluesky),     // and cdn.bsky.app, video.bsky.app
    ("discord.com", Platform::Discord),
    ("discord.gg", Platform::Discord),
    ("discordapp.com", Platform::Discord), // cdn.discordapp.com attachments
    ("discordapp.net", Platform::Discord), // media.discordapp.net attachments
    ("twitch.tv", Platform::Twitch),
    ("jtvnw.net", Platform::Twitch), // static-cdn.jtvnw.net
    ("linkedin.com", Platform::LinkedIn),
    ("lnkd.in", Platform::LinkedIn),
    ("licdn.com", Platform::LinkedIn), // media.licdn.com
    ("onlyfans.com", Platform::OnlyFans),
    // Aylo's own pages and the FTC's 2025 order name Pornhub, YouPorn, RedTube and Brazzers as
    // Aylo's; Tube8 is listed as Aylo's in press and by helplines, not on a page of Aylo's we read.
    ("pornhub.com", Platform::Aylo),
    ("pornhub.org", Platform::Aylo),
    ("phncdn.com", Platform::Aylo), // Pornhub's image and video CDN
    ("youporn.com", Platform::Aylo),
    ("redtube.com", Platform::Aylo),
    ("tube8.com", Platform::Aylo),
    ("brazzers.com", Platform::Aylo),
];

/// A few large servers known to run Mastodon, recognised on any path. Exact hosts only:
/// `files.mastodon.social` is a media host, not a server one could report on.
const MASTODON_SERVERS: &[&str] = &[
    "mastodon.social",
    "mastodon.online",
    "mastodon.world",
    "mstdn.social",
    "mas.to",
    "fosstodon.org",
    "hachyderm.io",
    "infosec.exchange",
];

fn platform_of_host(host: &str) -> Option<Platform> {
    HOSTS.iter().find(|(domain, _)| is_within(host, domain)).map(|&(_, p)| p)
}

/// `host` is `domain` or one of its subdomains (a whole-label suffix, never a string suffix).
fn is_within(host: &str, domain: &str) -> bool {
    match host.strip_suffix(domain) {
        Some("") => true,
        Some(rest) => rest.ends_with('.'),
        None => false,
    }
}

/// Search engines count only on their result pages: a removal request there is about results.
fn search_engine(host: &str, path: &str) -> Option<Platform> {
    let path = path.strip_suffix('/').unwrap_or(path);
    if is_google_host(host) && path == "/search" {
        return Some(Platform::GoogleSearch);
    }
    if is_within(host, "bing.com") && matches!(path, "/search" | "/images/search" | "/videos/search") {
        return Some(Platform::Bing);
    }
    None
}

/// `google.com`, `google.<cc>`, `google.co.<cc>` or `google.com.<cc>`, with or without `www.`:
/// the shapes of Google's country domains. Not `google.evil.com` or `google.com.evil.net`.
fn is_google_host(host: &str) -> bool {
    let host = host.strip_prefix("www.").unwrap_or(host);
    let Some(tld) = host.strip_prefix("google.") else { return false };
    let is_country = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_lowercase());
    match tld.split('.').collect::<Vec<_>>()[..] {
        ["com"] => true,
        [cc] => is_country(cc),
        ["co" | "com", cc] => is_country(cc),
        _ => false,
    }
}

/// A Mastodon post URL: `/@user/123`, `/@user@other.server/123`, `/web/@user/123`,
/// `/web/statuses/123` or `/users/user/statuses/123`, the id all digits. A heuristic: any site can
/// use these paths, and Mastodon-compatible servers (which share the reporting API) match too.
fn is_mastodon_post_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_id = |s: &str| (1..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let is_account = |s: &str| s.len() > 1 && s.starts_with('@');
    match parts[..] {
        [account, id] => is_account(account) && is_id(id),
        ["web", "statuses", id] => is_id(id),
        ["web", account, id] => is_account(account) && is_id(id),
        ["users", user, "statuses", id] => !user.is_empty() && is_id(id),
        _ => false,
    }
}

/// A registered-looking domain name: at least two labels and a top-level label that is not a
/// number, so IP addresses and `localhost` are never taken for a Mastodon server.
fn is_domain_name(host: &str) -> bool {
    let mut labels = host.rsplit('.');
    let top = labels.next().unwrap_or("");
    labels.next().is_some() && !top.is_empty() && !top.bytes().all(|b| b.is_ascii_digit())
}

/// The host and path of an http(s) URL.
#[derive(Debug, PartialEq, Eq)]
struct ParsedUrl {
    host: String,
    path: String,
}

/// The host of an `http:` or `https:` URL: lowercase, without userinfo, port or trailing dot.
/// `None` for other schemes, IP-v6 literals, bad ports and hosts with characters no host has.
///
/// It follows browsers (the WHATWG URL standard) where a difference could be used to spoof:
/// tabs and newlines are dropped, `\` ends the host like `/`, the last `@` ends the userinfo,
/// percent-escapes in the host are decoded, and full-width letters and dots are folded to ASCII
/// as IDNA does. Other Unicode is lowercased but not IDNA-mapped (browsers hand us punycode).
pub fn host_of(url: &str) -> Option<String> {
    parse(url).map(|p| p.host)
}

fn parse(url: &str) -> Option<ParsedUrl> {
    let url: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let (scheme, rest) = url.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    // Browsers accept any run of slashes and backslashes after a special scheme.
    let rest = rest.trim_start_matches(['/', '\\']);
    let authority_end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let path = tail[..path_end].replace('\\', "/");
    let path = if path.is_empty() { "/".to_string() } else { path };

    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return None;
    }
    let host = match host_port.split_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        Some(_) => return None,
        None => host_port,
    };
    let host = normalise_host(host)?;
    Some(ParsedUrl { host, path })
}

/// Percent-decoding, full-width folding, lowercasing, one trailing dot dropped, then validation.
fn normalise_host(raw: &str) -> Option<String> {
    let decoded = String::from_utf8(percent_decode(raw)).ok()?;
    let folded: String = decoded
        .chars()
        .map(|c| match c {
            '\u{3002}' | '\u{FF0E}' | '\u{FF61}' => '.',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    let lower = folded.to_lowercase();
    let host = lower.strip_suffix('.').unwrap_or(&lower);
    let forbidden = |c: char| c.is_control() || c.is_whitespace() || " #%/:<>?@[\\]^|".contains(c);
    if host.is_empty() || host.contains(forbidden) || host.split('.').any(str::is_empty) {
        return None;
    }
    Some(host.to_string())
}

fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

// ---- The routes ----------------------------------------------------------------------------

const META_FORM_FB: &[AltLink] = &[AltLink {
    label: "Facebook's form for intimate images shared without consent (named by Chayn's tools; not \
            seen linked from a Meta page)",
    url: "https://www.facebook.com/help/contact/634636250523119",
    certainty: Certainty::Secondary,
}];

const META_NOTES: &str = "Meta's page covers Facebook, Instagram, Threads and Messenger; in the apps, \
    report the post itself. StopNCII.org (Meta is a partner) can block re-uploads from an on-device hash.";

/// The route for a platform. For Mastodon this is the general route; the one a person can use
/// is on the server, from [`mastodon_route`].
pub fn route(platform: Platform) -> Route {
    use Certainty::*;
    use Platform as P;
    match platform {
        P::X => Route {
            notes: "In the app: ⋯ > Private or Non-Consensual Content > Report content under the US \
                    Take It Down Act. X's worldwide non-consensual nudity policy: \
                    help.x.com/rules-and-policies/personal-information.",
            ..base(
                platform,
                "X (Twitter)",
                "https://help.x.com/forms/safety-and-sensitive-content/take-it-down",
                ReportPage::Form,
                Login::No,
                "https://help.x.com/en/rules-and-policies/us-tida",
                Verified,
            )
        },
        P::Facebook | P::Instagram | P::Threads => Route {
            alternatives: META_FORM_FB,
            notes: META_NOTES,
            ..base(
                platform,
                match platform {
                    P::Facebook => "Facebook",
                    P::Instagram => "Instagram",
                    _ => "Threads",
                },
                "https://about.meta.com/actions/safety/topics/bullying-harassment/ncii",
                ReportPage::Guide,
                Login::Unknown,
                "https://about.meta.com/actions/safety/topics/bullying-harassment/",
                Verified,
            )
        },
        P::Reddit => Route {
            api: Some(ReportApi {
                call: "POST /api/report",
                auth: "OAuth token of the person's Reddit account, scope `report`",
                ncii_reason: None,
                docs_url: "https://www.reddit.com/dev/api#POST_api_report",
                note: "thing_id is the post's fullname (t3_ + the id after /comments/ in the URL); \
                       which reason value reaches the NCII team is not documented.",
            }),
            notes: "On the form choose \"I want to report non-consensual intimate media\". Not confirmed \
                    on a Reddit help page in this check.",
            ..base(
                platform,
                "Reddit",
                "https://www.reddit.com/report",
                ReportPage::Form,
                Login::Unknown,
                "https://www.reddit.com/r/kpopnoir/wiki/index/how-to-report-ncim-subreddits",
                Secondary,
            )
        },
        P::TikTok => Route {
            alternatives: &[AltLink {
                label: "TikTok's privacy report form (named by Chayn's tools)",
                url: "https://www.tiktok.com/legal/report/privacy",
                certainty: Secondary,
            }],
            notes: "TikTok's page links a webform for sexual deepfakes and abuse of minors; for real \
                    images of adults TikTok points to in-app reporting: Report > Violence, abuse, and \
                    criminal exploitation > Sexual exploitation and abuse.",
            ..base(
                platform,
                "TikTok",
                "https://support.tiktok.com/en/safety-hc/report-a-problem/report-sexual-abuse",
                ReportPage::Guide,
                Login::Unknown,
                "https://support.tiktok.com/en/safety-hc/report-a-problem/report-sexual-abuse",
                Secondary,
            )
        },
        P::YouTube => Route {
            api: Some(ReportApi {
                call: "POST https://www.googleapis.com/youtube/v3/videos/reportAbuse",
                auth: "OAuth token of the person's Google account (YouTube scope)",
                ncii_reason: None,
                docs_url: "https://developers.google.com/youtube/v3/docs/videos/reportAbuse",
                note: "A Community Guidelines flag, not the privacy complaint; reason ids come from \
                       videoAbuseReportReasons.list.",
            }),
            notes: "YouTube's Privacy Complaint Process: the person (or their legal representative) must \
                    be identifiable and says where in the video they appear. AI-made likenesses have \
                    their own option on the same process.",
            ..base(
                platform,
                "YouTube",
                "https://support.google.com/youtube/answer/142443",
                ReportPage::Guide,
                Login::Unknown,
                "https://support.google.com/youtube/answer/2801895",
                Verified,
            )
        },
        P::Snapchat => Route {
            notes: "Snap's page links the Support Site's safety report form, which accepts anonymous \
                    reports; in the app, press and hold the Snap or Story > Report.",
            ..base(
                platform,
                "Snapchat",
                "https://values.snap.com/safety/safety-reporting",
                ReportPage::Guide,
                Login::No,
                "https://values.snap.com/safety/safety-reporting",
                Verified,
            )
        },
        P::Pinterest => Route {
            notes: "No NCII-specific Pinterest route was found; Pinterest's help lists reporting a Pin \
                    and \"a person's photo in a Pin\" from the Pin's menu.",
            ..base(
                platform,
                "Pinterest",
                "https://help.pinterest.com/en/article/report-something-on-pinterest",
                ReportPage::Guide,
                Login::Unknown,
                "https://help.pinterest.com/en/article/report-something-on-pinterest",
                Uncertain,
            )
        },
        P::Tumblr => Route {
            notes: "Tumblr's privacy abuse form; Tumblr also takes post links at abuse@tumblr.com \
                    (per Australia's eSafety Commissioner).",
            ..base(
                platform,
                "Tumblr",
                "https://www.tumblr.com/abuse/privacy",
                ReportPage::Form,
                Login::Unknown,
                "https://consentlawyers.com/diy-help/takedown-resources/tumblr-takedowns/",
                Secondary,
            )
        },
        P::Bluesky => Route {
            api: Some(ReportApi {
                call: "POST /xrpc/com.atproto.moderation.createReport",
                auth: "logged-in session of the person's Bluesky account",
                ncii_reason: Some("tools.ozone.report.defs#reasonSexualNCII"),
                docs_url: "https://docs.bsky.app/docs/api/com-atproto-moderation-create-report",
                note: "subject is the post's at-uri and cid (resolve the handle in the URL to a DID); \
                       deepfakes: tools.ozone.report.defs#reasonSexualDeepfake.",
            }),
            notes: "Bluesky's Take It Down Act form asks for the post or account URL; it covers real and \
                    AI-made imagery.",
            ..base(
                platform,
                "Bluesky",
                "https://support.bsky.social/about/support/tida-info",
                ReportPage::Guide,
                Login::Unknown,
                "https://support.bsky.social/about/support/tida-info",
                Verified,
            )
        },
        P::Mastodon => Route {
            notes: "Each Mastodon server moderates itself: report on the server that shows the post \
                    (see the route for that server).",
            ..mastodon_route_with("https://docs.joinmastodon.org/methods/reports/".into())
        },
        P::Discord => Route {
            notes: "One report per image or video. The form is Discord's Take It Down Act route and also \
                    open to people without a Discord account.",
            ..base(
                platform,
                "Discord",
                "https://discord.com/report",
                ReportPage::Form,
                Login::No,
                "https://support.discord.com/hc/articles/38675715591831",
                Verified,
            )
        },
        P::Twitch => Route {
            notes: "No NCII-specific Twitch route was found; Twitch's general user report (from the \
                    channel, clip or video) is the way in. The help article's address was not confirmed \
                    in this check.",
            ..base(
                platform,
                "Twitch",
                "https://help.twitch.tv/s/article/how-to-file-a-user-report",
                ReportPage::Guide,
                Login::Unknown,
                "https://help.twitch.tv/s/article/how-to-file-a-user-report",
                Uncertain,
            )
        },
        P::LinkedIn => Route {
            notes: "No NCII-specific LinkedIn route was found; LinkedIn's help describes reporting \
                    content from the post's menu.",
            ..base(
                platform,
                "LinkedIn",
                "https://www.linkedin.com/help/linkedin/answer/a1337576",
                ReportPage::Guide,
                Login::Unknown,
                "https://www.linkedin.com/help/linkedin/answer/a1337576",
                Uncertain,
            )
        },
        P::OnlyFans => Route {
            notes: "OnlyFans' own routes are in-app reports and copyright (DMCA) notices; content leaked \
                    from OnlyFans onto other sites is reported on those sites.",
            ..base(
                platform,
                "OnlyFans",
                "https://onlyfans.com/dmca",
                ReportPage::Form,
                Login::Unknown,
                "https://blog.onlyfans.com/reporting-on-onlyfans/",
                Secondary,
            )
        },
        P::Aylo => Route {
            alternatives: &[AltLink {
                label: "Aylo's central removal page (named by Chayn's tools)",
                url: "https://www.aylo.com/removal",
                certainty: Secondary,
            }],
            notes: "Every Aylo site links its own Content Removal Request in its footer; on YouPorn, \
                    RedTube, Tube8 or Brazzers use that link. Aylo must offer a case manager on request \
                    (FTC and Utah order, 2025). The Pornhub form's address is quoted from Pornhub's terms.",
            ..base(
                platform,
                "Pornhub / Aylo",
                "https://www.pornhub.com/content-removal",
                ReportPage::Form,
                Login::No,
                "https://support.brazzers.com/legal/anti-trafficking-statement",
                Secondary,
            )
        },
        P::GoogleSearch => Route {
            alternatives: &[AltLink {
                label: "Google: remove explicit fake (AI-made) imagery of you",
                url: "https://support.google.com/websearch/answer/9116649",
                certainty: Verified,
            }],
            notes: "Removes results from Google Search, not the page itself. In image results: ⋮ > \
                    Remove result > \"It shows a sexual image of me\".",
            ..base(
                platform,
                "Google Search",
                "https://support.google.com/websearch/answer/6302812",
                ReportPage::Guide,
                Login::Unknown,
                "https://support.google.com/websearch/answer/6302812",
                Verified,
            )
        },
        P::Bing => Route {
            notes: "Microsoft's Report a Concern form (Bing, OneDrive, Xbox): choose the non-consensual \
                    intimate imagery concern. Removes results from Bing, not the page itself.",
            ..base(
                platform,
                "Bing",
                "https://www.microsoft.com/en-us/concern/revengeporn",
                ReportPage::Form,
                Login::Unknown,
                "https://blogs.microsoft.com/on-the-issues/2016/07/22/microsofts-revenge-porn-approach-one-year-later",
                Secondary,
            )
        },
    }
}

/// The route on one Mastodon server (`host`, as recognised in the URL). The report is made there,
/// from an account on any server (reports about remote posts can be forwarded to the poster's
/// server); people without an account can write to the moderators listed on the server's about
/// page. Each server has its own rules and moderators, so nothing here is verified per server.
pub fn mastodon_route(host: &str) -> Route {
    Route {
        notes: "Report from the post's ⋯ menu while signed in; the server's about page shows its rules and \
                how to reach its moderators. With an account elsewhere, tick \"forward\" so the poster's \
                server sees it too.",
        ..mastodon_route_with(format!("https://{host}/about").into())
    }
}

fn mastodon_route_with(report_url: Cow<'static, str>) -> Route {
    Route {
        platform: Platform::Mastodon,
        name: "Mastodon",
        report_url,
        report_page: ReportPage::Guide,
        prefill: None,
        login: Login::Yes,
        api: Some(ReportApi {
            call: "POST /api/v1/reports",
            auth: "OAuth token with scope write:reports, from an account on this server",
            ncii_reason: None,
            docs_url: "https://docs.joinmastodon.org/methods/reports/",
            note: "account_id is required; status_ids can take the number at the end of the post URL \
                   (ids are per server); category violation with the server's rule_ids, or other; \
                   forward=true sends a copy to a remote poster's server.",
        }),
        source_url: Cow::Borrowed("https://docs.joinmastodon.org/methods/reports/"),
        checked: CHECKED,
        certainty: Certainty::Secondary,
        alternatives: &[],
        notes: "",
    }
}

/// A route with the required fields; the optional ones empty, to be set with `..base(…)`.
fn base(
    platform: Platform,
    name: &'static str,
    report_url: &'static str,
    report_page: ReportPage,
    login: Login,
    source_url: &'static str,
    certainty: Certainty,
) -> Route {
    Route {
        platform,
        name,
        report_url: Cow::Borrowed(report_url),
        report_page,
        prefill: None,
        login,
        api: None,
        source_url: Cow::Borrowed(source_url),
        checked: CHECKED,
        certainty,
        alternatives: &[],
        notes: "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform(page: &str) -> Option<Platform> {
        route_for(page, None).map(|m| m.platform)
    }

    /// Every URL maps to `expected` from the page alone.
    fn assert_pages(expected: Platform, pages: &[&str]) {
        for page in pages {
            let m = route_for(page, None).unwrap_or_else(|| panic!("{page} was not recognised"));
            assert_eq!(m.platform, expected, "{page}");
            assert_eq!(m.matched_by, MatchedBy::PageUrl, "{page}");
            assert_eq!(m.route.platform, expected, "{page}");
        }
    }

    /// Every image URL maps to `expected` when the page is unknown.
    fn assert_images(expected: Platform, images: &[&str]) {
        for image in images {
            let m = route_for("https://blog.example.org/2026/11/post", Some(image))
                .unwrap_or_else(|| panic!("{image} was not recognised"));
            assert_eq!(m.platform, expected, "{image}");
            assert_eq!(m.matched_by, MatchedBy::ImageUrl, "{image}");
        }
    }

    #[test]
    fn x() {
        assert_pages(
            Platform::X,
            &[
                "https://x.com/jack/status/20",
                "https://twitter.com/jack/status/20?s=20",
                "https://mobile.twitter.com/jack/status/20",
                "https://x.com/someone/status/1861234567890123456/photo/1",
                "https://pbs.twimg.com/media/GcXyZ12WkAAbCdE?format=jpg&name=large",
            ],
        );
        assert_images(
            Platform::X,
            &[
                "https://pbs.twimg.com/media/GcXyZ12WkAAbCdE.jpg",
                "https://video.twimg.com/ext_tw_video/1861234567890123456/pu/vid/720x1280/abc.mp4",
            ],
        );
    }

    #[test]
    fn t_co_is_not_x() {
        // A t.co link only redirects; the content is wherever it lands.
        assert_eq!(platform("https://t.co/AbCdEf1234"), None);
    }

    #[test]
    fn facebook() {
        assert_pages(
            Platform::Facebook,
            &[
                "https://www.facebook.com/photo/?fbid=10161234567890123&set=a.10150123456789012",
                "https://m.facebook.com/story.php?story_fbid=pfbid02abc&id=100012345678901",
                "https://www.facebook.com/watch/?v=1234567890123456",
                "https://fb.watch/pQ1rS2tU3v/",
            ],
        );
        assert_images(
            Platform::Facebook,
            &["https://scontent-lhr8-1.xx.fbcdn.net/v/t39.30808-6/123456789_n.jpg?_nc_cat=1&oh=00_ab&oe=6750"],
        );
    }

    #[test]
    fn instagram() {
        assert_pages(
            Platform::Instagram,
            &[
                "https://www.instagram.com/p/C1a2b3c4d5E/",
                "https://www.instagram.com/reel/C9zYxWvUtSr/?igsh=abc",
                "https://instagram.com/someone/",
            ],
        );
        assert_images(
            Platform::Instagram,
            &["https://scontent-lga3-2.cdninstagram.com/v/t51.29350-15/123456789_n.jpg?stp=dst-jpg&_nc_ht=x"],
        );
    }

    #[test]
    fn threads() {
        assert_pages(
            Platform::Threads,
            &["https://www.threads.net/@zuck/post/C1a2b3c4d5E", "https://www.threads.com/@someone/post/DA1b2C3d4E5"],
        );
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
    fn reddit() {
        assert_pages(
            Platform::Reddit,
            &[
                "https://www.reddit.com/r/pics/comments/1h2abcd/a_title_here/",
                "https://old.reddit.com/r/pics/comments/1h2abcd/a_title_here/",
                "https://new.reddit.com/r/pics/comments/1h2abcd/",
                "https://redd.it/1h2abcd",
                "https://i.redd.it/abcd1234efgh.jpeg",
            ],
        );
        assert_images(
            Platform::Reddit,
            &[
                "https://i.redd.it/abcd1234efgh.jpeg",
                "https://preview.redd.it/abcd1234efgh.jpg?width=640&crop=smart&auto=webp&s=0123abcd",
                "https://external-preview.redd.it/xYz.jpg?auto=webp&s=1",
            ],
        );
    }

    #[test]
    fn tiktok() {
        assert_pages(
            Platform::TikTok,
            &[
                "https://www.tiktok.com/@someone/video/7234567890123456789",
                "https://vm.tiktok.com/ZMabc123/",
                "https://www.tiktok.com/@someone/photo/7234567890123456789",
            ],
        );
        assert_images(
            Platform::TikTok,
            &["https://p16-sign-va.tiktokcdn.com/obj/tos-maliva-p-0068/abc~tplv-photomode-image.jpeg"],
        );
    }

    #[test]
    fn youtube() {
        assert_pages(
            Platform::YouTube,
            &[
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "https://youtu.be/dQw4w9WgXcQ?t=42",
                "https://m.youtube.com/shorts/AbCdEfGhIjK",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            ],
        );
        assert_images(Platform::YouTube, &["https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"]);
    }

    #[test]
    fn snapchat() {
        assert_pages(
            Platform::Snapchat,
            &[
                "https://www.snapchat.com/spotlight/W7_EDlXWTBiXAEEniNoMPwAAYbWFiZHd4dGdqAZNRGSTvAZNRGSTJAAAAAQ",
                "https://story.snapchat.com/p/0a1b2c3d-4e5f-6789-abcd-ef0123456789/1234567890",
                "https://www.snapchat.com/add/someone",
            ],
        );
    }

    #[test]
    fn pinterest() {
        assert_pages(
            Platform::Pinterest,
            &[
                "https://www.pinterest.com/pin/123456789012345678/",
                "https://www.pinterest.co.uk/pin/123456789012345678/",
                "https://pinterest.de/pin/123456789012345678/",
                "https://br.pinterest.com/pin/123456789012345678/",
                "https://pin.it/3AbCdEfGh",
            ],
        );
        assert_images(Platform::Pinterest, &["https://i.pinimg.com/originals/ab/cd/ef/abcdef0123456789.jpg"]);
    }

    #[test]
    fn tumblr() {
        assert_pages(
            Platform::Tumblr,
            &[
                "https://someblog.tumblr.com/post/123456789012/a-slug",
                "https://www.tumblr.com/someblog/123456789012/a-slug",
            ],
        );
        assert_images(Platform::Tumblr, &["https://64.media.tumblr.com/0a1b2c/3d4e5f-ab/s640x960/67890.jpg"]);
    }

    #[test]
    fn bluesky() {
        assert_pages(
            Platform::Bluesky,
            &[
                "https://bsky.app/profile/alice.bsky.social/post/3k2yihcrp6f2c",
                "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3k2yihcrp6f2c",
            ],
        );
        assert_images(
            Platform::Bluesky,
            &["https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:abc123/bafkreiabc123@jpeg"],
        );
        let api = route(Platform::Bluesky).api.expect("Bluesky documents createReport");
        assert_eq!(api.ncii_reason, Some("tools.ozone.report.defs#reasonSexualNCII"));
    }

    #[test]
    fn discord() {
        assert_pages(
            Platform::Discord,
            &[
                "https://discord.com/channels/123456789012345678/234567890123456789/345678901234567890",
                "https://discord.gg/abcdef",
            ],
        );
        assert_images(
            Platform::Discord,
            &[
                "https://cdn.discordapp.com/attachments/123456789012345678/234567890123456789/image.png?ex=1",
                "https://media.discordapp.net/attachments/123456789012345678/234567890123456789/image.png?width=400",
            ],
        );
    }

    #[test]
    fn twitch() {
        assert_pages(
            Platform::Twitch,
            &[
                "https://www.twitch.tv/somestreamer",
                "https://www.twitch.tv/videos/2212345678",
                "https://clips.twitch.tv/SomeClipSlug-AbCdEf",
            ],
        );
        assert_images(
            Platform::Twitch,
            &["https://static-cdn.jtvnw.net/jtv_user_pictures/abc-profile_image-300x300.png"],
        );
    }

    #[test]
    fn linkedin() {
        assert_pages(
            Platform::LinkedIn,
            &[
                "https://www.linkedin.com/posts/someone_activity-7123456789012345678-AbCd",
                "https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678/",
            ],
        );
        assert_images(
            Platform::LinkedIn,
            &["https://media.licdn.com/dms/image/v2/D4E22AQabc/feedshare-shrink_800/0/1700000000000?e=1&v=beta"],
        );
    }

    #[test]
    fn onlyfans() {
        assert_pages(Platform::OnlyFans, &["https://onlyfans.com/123456789/someone", "https://onlyfans.com/someone"]);
    }

    #[test]
    fn aylo_sites() {
        assert_pages(
            Platform::Aylo,
            &[
                "https://www.pornhub.com/view_video.php?viewkey=ph5f1234abcd5678",
                "https://de.pornhub.com/view_video.php?viewkey=ph5f1234abcd5678",
                "https://www.youporn.com/watch/12345678/a-title/",
                "https://www.redtube.com/12345678",
                "https://www.tube8.com/porn-video/12345678/",
                "https://www.brazzers.com/video/1234567/a-title",
            ],
        );
        assert_images(
            Platform::Aylo,
            &["https://ei.phncdn.com/videos/202401/01/123456789/original/(m=eaf8Ggaaaa)(mh=abc)1.jpg"],
        );
        assert_eq!(route(Platform::Aylo).name, "Pornhub / Aylo");
    }

    #[test]
    fn google_search_only_on_result_pages() {
        assert_pages(
            Platform::GoogleSearch,
            &[
                "https://www.google.com/search?q=name&tbm=isch",
                "https://www.google.co.uk/search?q=name&udm=2",
                "https://google.de/search?q=name",
                "https://www.google.com.au/search?q=name&sca_esv=1",
            ],
        );
        for page in [
            "https://www.google.com/",
            "https://www.google.com/maps/place/Somewhere",
            "https://mail.google.com/mail/u/0/#search/name",
            "https://www.google.com/imgres?imgurl=x",
            "https://google.evil.com/search?q=name",
            "https://google.com.evil.net/search?q=name",
            "https://notgoogle.com/search?q=name",
            "https://www.google.example/search?q=name",
        ] {
            assert_eq!(platform(page), None, "{page}");
        }
    }

    #[test]
    fn bing_result_pages() {
        assert_pages(
            Platform::Bing,
            &[
                "https://www.bing.com/images/search?view=detailV2&q=name&id=ABC",
                "https://www.bing.com/search?q=name&form=QBLH",
                "https://www.bing.com/videos/search?q=name",
            ],
        );
        assert_eq!(platform("https://www.bing.com/maps?q=somewhere"), None);
        assert_eq!(platform("https://bing.com.evil.net/search?q=name"), None);
    }

    #[test]
    fn mastodon_known_servers_and_post_shapes() {
        let m = route_for("https://mastodon.social/@Gargron/109318393765438766", None).unwrap();
        assert_eq!((m.platform, m.detection), (Platform::Mastodon, Detection::Host));
        assert_eq!(m.route.report_url, "https://mastodon.social/about");

        for page in [
            "https://social.example.org/@alice/111222333444555666",
            "https://social.example.org/@bob@remote.example/111222333444555666",
            "https://social.example.org/users/alice/statuses/111222333444555666",
            "https://social.example.org/web/@alice/1234",
            "https://social.example.org/web/statuses/111222333444555666",
        ] {
            let m = route_for(page, None).unwrap_or_else(|| panic!("{page}"));
            assert_eq!((m.platform, m.detection), (Platform::Mastodon, Detection::UrlShape), "{page}");
            assert_eq!(m.host, "social.example.org");
            assert_eq!(m.route.report_url, "https://social.example.org/about");
            assert_eq!(m.route.api.as_ref().map(|a| a.call), Some("POST /api/v1/reports"));
        }
    }

    #[test]
    fn mastodon_shape_is_not_claimed_for_other_shapes() {
        for page in [
            "https://social.example.org/@alice",
            "https://medium.com/@someone/a-post-title-1a2b3c4d5e6f",
            "https://social.example.org/@alice/a-slug",
            "https://social.example.org/@/12345",
            "http://192.168.1.5/@alice/12345",
            "http://localhost/@alice/12345",
        ] {
            assert_eq!(platform(page), None, "{page}");
        }
        // Known platforms that use `/@name/…` paths keep their own route.
        assert_eq!(platform("https://www.tiktok.com/@someone/video/7234567890123456789"), Some(Platform::TikTok));
        assert_eq!(platform("https://www.threads.net/@zuck/post/123"), Some(Platform::Threads));
        // The shape is read from pages only: an image URL says nothing about a server.
        assert_eq!(route_for("https://blog.example.org/", Some("https://social.example.org/@a/123")), None);
    }

    #[test]
    fn look_alike_hosts_match_nothing() {
        for page in [
            "https://evilx.com/jack/status/20",
            "https://x.com.evil.net/jack/status/20",
            "https://notreddit.com/r/pics",
            "https://reddit.com.evil.net/r/pics",
            "https://myreddit.com/r/pics",
            "https://instagram.com-login.net/p/abc",
            "https://fbcdn.net.evil.com/x.jpg",
            "https://twimg.com.evil.org/media/x.jpg",
            "https://pornhub.com.evil.io/view_video.php",
            "https://fakebsky.app/profile/a/post/b",
            "https://x.co/jack",
            "https://example.com/?u=https://x.com/jack",
            "https://example.com/x.com/jack",
            "https://example.com#https://x.com/",
        ] {
            assert_eq!(platform(page), None, "{page}");
        }
    }

    #[test]
    fn userinfo_and_backslash_tricks_follow_browsers() {
        // The host is what comes after the last `@`.
        assert_eq!(platform("https://x.com@evil.net/jack"), None);
        assert_eq!(platform("https://x.com:pass@evil.net/jack"), None);
        assert_eq!(platform("https://evil.net@x.com/jack"), Some(Platform::X));
        // A backslash ends the host in browsers: this page is on evil.net.
        assert_eq!(platform("https://evil.net\\@x.com/jack"), None);
        assert_eq!(host_of("https://evil.net\\@x.com/jack").as_deref(), Some("evil.net"));
        // Tabs and newlines inside a URL are dropped by browsers.
        assert_eq!(host_of("https://x.c\tom/jack").as_deref(), Some("x.com"));
    }

    #[test]
    fn host_extraction() {
        let host = |u: &str| host_of(u);
        assert_eq!(host("https://www.Reddit.COM/r/pics").as_deref(), Some("www.reddit.com"));
        assert_eq!(host("HTTPS://X.COM/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://x.com:443/jack").as_deref(), Some("x.com"));
        assert_eq!(host("http://x.com:/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://x.com./jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://user:pw@x.com:8443/").as_deref(), Some("x.com"));
        assert_eq!(host("https://x.com?q=1").as_deref(), Some("x.com"));
        assert_eq!(host("https://x.com#frag").as_deref(), Some("x.com"));
        assert_eq!(host("  https://x.com/jack\n").as_deref(), Some("x.com"));
        assert_eq!(host("https:x.com/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https:///x.com/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://x%2Ecom/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://ｘ.ｃｏｍ/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://x。com/jack").as_deref(), Some("x.com"));
        assert_eq!(host("https://BÜCHER.example/").as_deref(), Some("bücher.example"));
        assert_eq!(host("https://xn--bcher-kva.example/").as_deref(), Some("xn--bcher-kva.example"));

        for bad in [
            "x.com/jack",
            "//x.com/jack",
            "ftp://x.com/",
            "javascript:alert(1)//x.com",
            "data:text/html,x.com",
            "https://",
            "https://x.com:abc/",
            "https://[2001:db8::1]/",
            "https://x..com/",
            "https://.x.com/",
            "https://x.com../",
            "https://x%20.com/",
            "https://x%ff.com/",
            "https://x<y.com/",
            "",
        ] {
            assert_eq!(host(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn subdomain_prefixes_need_no_special_case() {
        for page in [
            "https://www.x.com/jack",
            "https://m.facebook.com/photo.php?fbid=1",
            "https://mobile.twitter.com/jack",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.m.facebook.com/photo.php?fbid=1",
        ] {
            assert!(platform(page).is_some(), "{page}");
        }
    }

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
        let m = mastodon_route("social.example.org");
        assert_eq!(m.report_url, "https://social.example.org/about");
        assert!(m.source_url.starts_with("https://"));
        assert_eq!(m.checked, CHECKED);
    }

    #[test]
    fn date_is_a_real_iso_date() {
        let parts: Vec<u32> = CHECKED.split('-').map(|p| p.parse().unwrap()).collect();
        assert!(matches!(parts[..], [2026, 1..=12, 1..=31]));
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
        assert_eq!(json["route"]["checked"], CHECKED);
        assert!(json["route"]["prefill"].is_null());
        assert!(json["route"]["api"].is_null());

        let bsky = serde_json::to_value(route(Platform::Bluesky)).unwrap();
        assert_eq!(bsky["api"]["nciiReason"], "tools.ozone.report.defs#reasonSexualNCII");
        assert_eq!(bsky["api"]["docsUrl"], "https://docs.bsky.app/docs/api/com-atproto-moderation-create-report");

        let prefill = serde_json::to_value(Prefill::QueryParameter { name: "url" }).unwrap();
        assert_eq!(prefill, serde_json::json!({ "kind": "queryParameter", "name": "url" }));

        let names: Vec<_> = Platform::ALL.iter().map(|p| serde_json::to_value(p).unwrap()).collect();
        assert!(names.contains(&"tiktok".into()) && names.contains(&"googlesearch".into()));
    }
}
