//! Which platform a URL belongs to: its host (see [`super::hosts`]), for search engines also the
//! path, and for Mastodon servers Veil does not know by name, the shape of a post URL.

use super::hosts::{is_mastodon_server, platform_of_host};
use super::url::{is_domain_name, is_within, parse};
use serde::Serialize;

/// A platform (or family of sites) with its own reporting route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    X,
    Facebook,
    Instagram,
    Threads,
    /// WhatsApp's Channels (the web page of a channel, its images); chats are end-to-end encrypted.
    WhatsApp,
    Telegram,
    Reddit,
    TikTok,
    YouTube,
    Vimeo,
    Snapchat,
    Pinterest,
    Tumblr,
    Imgur,
    Bluesky,
    /// Any Mastodon server: the route belongs to the server (see [`super::mastodon_route`]).
    Mastodon,
    Discord,
    Twitch,
    Kick,
    LinkedIn,
    /// Microsoft's OneDrive shares (`onedrive.live.com`, `1drv.ms`); the form is Bing's too.
    OneDrive,
    OnlyFans,
    /// Pornhub and the other sites of its owner, Aylo.
    Aylo,
    /// Google's result pages only (`google.<tld>/search`): removal from results, not from the web.
    GoogleSearch,
    /// Bing's result pages only: removal from results, not from the web.
    Bing,
}

impl Platform {
    pub const ALL: [Platform; 25] = [
        Platform::X,
        Platform::Facebook,
        Platform::Instagram,
        Platform::Threads,
        Platform::WhatsApp,
        Platform::Telegram,
        Platform::Reddit,
        Platform::TikTok,
        Platform::YouTube,
        Platform::Vimeo,
        Platform::Snapchat,
        Platform::Pinterest,
        Platform::Tumblr,
        Platform::Imgur,
        Platform::Bluesky,
        Platform::Mastodon,
        Platform::Discord,
        Platform::Twitch,
        Platform::Kick,
        Platform::LinkedIn,
        Platform::OneDrive,
        Platform::OnlyFans,
        Platform::Aylo,
        Platform::GoogleSearch,
        Platform::Bing,
    ];
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

/// A platform named by one URL, and the host that named it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Recognised {
    pub platform: Platform,
    /// Lowercase, exactly as in the URL otherwise.
    pub host: String,
    pub detection: Detection,
}

/// What names a platform in one URL: its host (plus the path for search engines), or for
/// Mastodon, on pages only, the shape of a post URL. An image URL says nothing about a server.
pub(crate) fn recognise(url: &str, is_page: bool) -> Option<Recognised> {
    let parsed = parse(url)?;
    let found = |platform, detection| Some(Recognised { platform, host: parsed.host.clone(), detection });
    if let Some(p) = platform_of_host(&parsed.host).or_else(|| search_engine(&parsed.host, &parsed.path)) {
        return found(p, Detection::Host);
    }
    if is_mastodon_server(&parsed.host) {
        return found(Platform::Mastodon, Detection::Host);
    }
    if is_page && is_domain_name(&parsed.host) && is_mastodon_post_path(&parsed.path) {
        return found(Platform::Mastodon, Detection::UrlShape);
    }
    None
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The platform a page URL names, if any.
    pub(crate) fn page(url: &str) -> Option<Platform> {
        recognise(url, true).map(|r| r.platform)
    }

    /// The platform an image URL names, if any.
    pub(crate) fn image(url: &str) -> Option<Platform> {
        recognise(url, false).map(|r| r.platform)
    }

    #[test]
    fn google_search_only_on_result_pages() {
        for url in [
            "https://www.google.com/search?q=name&tbm=isch",
            "https://www.google.co.uk/search?q=name&udm=2",
            "https://google.de/search?q=name",
            "https://www.google.com.au/search?q=name&sca_esv=1",
        ] {
            assert_eq!(page(url), Some(Platform::GoogleSearch), "{url}");
        }
        for url in [
            "https://www.google.com/",
            "https://www.google.com/maps/place/Somewhere",
            "https://mail.google.com/mail/u/0/#search/name",
            "https://www.google.com/imgres?imgurl=x",
            "https://google.evil.com/search?q=name",
            "https://google.com.evil.net/search?q=name",
            "https://notgoogle.com/search?q=name",
            "https://www.google.example/search?q=name",
        ] {
            assert_eq!(page(url), None, "{url}");
        }
    }

    #[test]
    fn bing_result_pages() {
        for url in [
            "https://www.bing.com/images/search?view=detailV2&q=name&id=ABC",
            "https://www.bing.com/search?q=name&form=QBLH",
            "https://www.bing.com/videos/search?q=name",
        ] {
            assert_eq!(page(url), Some(Platform::Bing), "{url}");
        }
        assert_eq!(page("https://www.bing.com/maps?q=somewhere"), None);
        assert_eq!(page("https://bing.com.evil.net/search?q=name"), None);
    }

    #[test]
    fn mastodon_known_servers_and_post_shapes() {
        let known = recognise("https://mastodon.social/@Gargron/109318393765438766", true).unwrap();
        assert_eq!((known.platform, known.detection), (Platform::Mastodon, Detection::Host));
        for url in [
            "https://social.example.org/@alice/111222333444555666",
            "https://social.example.org/@bob@remote.example/111222333444555666",
            "https://social.example.org/users/alice/statuses/111222333444555666",
            "https://social.example.org/web/@alice/1234",
            "https://social.example.org/web/statuses/111222333444555666",
        ] {
            let r = recognise(url, true).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(
                (r.platform, r.detection, r.host.as_str()),
                (Platform::Mastodon, Detection::UrlShape, "social.example.org")
            );
        }
    }

    #[test]
    fn mastodon_shape_is_not_claimed_for_other_shapes() {
        for url in [
            "https://social.example.org/@alice",
            "https://medium.com/@someone/a-post-title-1a2b3c4d5e6f",
            "https://social.example.org/@alice/a-slug",
            "https://social.example.org/@/12345",
            "http://192.168.1.5/@alice/12345",
            "http://localhost/@alice/12345",
        ] {
            assert_eq!(page(url), None, "{url}");
        }
        // Known platforms that use `/@name/…` paths keep their own route.
        assert_eq!(page("https://www.tiktok.com/@someone/video/7234567890123456789"), Some(Platform::TikTok));
        assert_eq!(page("https://www.threads.net/@zuck/post/123"), Some(Platform::Threads));
        // The shape is read from pages only: an image URL says nothing about a server.
        assert_eq!(image("https://social.example.org/@a/123"), None);
    }

    #[test]
    fn userinfo_and_backslash_tricks_follow_browsers() {
        assert_eq!(page("https://x.com@evil.net/jack"), None);
        assert_eq!(page("https://x.com:pass@evil.net/jack"), None);
        assert_eq!(page("https://evil.net@x.com/jack"), Some(Platform::X));
        assert_eq!(page("https://evil.net\\@x.com/jack"), None);
    }

    #[test]
    fn subdomain_prefixes_need_no_special_case() {
        for url in [
            "https://www.x.com/jack",
            "https://m.facebook.com/photo.php?fbid=1",
            "https://mobile.twitter.com/jack",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.m.facebook.com/photo.php?fbid=1",
        ] {
            assert!(page(url).is_some(), "{url}");
        }
    }

    #[test]
    fn names_serialise_in_lowercase_for_javascript() {
        let names: Vec<_> = Platform::ALL.iter().map(|p| serde_json::to_value(p).unwrap()).collect();
        assert!(names.contains(&"tiktok".into()) && names.contains(&"googlesearch".into()));
        assert_eq!(serde_json::to_value(Detection::UrlShape).unwrap(), "urlShape");
    }
}
