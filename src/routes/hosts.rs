//! The hosts each platform owns, for its pages and its images alike. A host counts when it is
//! one of these domains or a subdomain of it (see [`super::url::is_within`]).

use super::platform::Platform;
use super::url::is_within;

/// Hosts (and every subdomain of them) that belong to one platform, page and image hosts alike:
/// an image opened in its own tab is still on the platform. A host counts only if it equals the
/// domain or ends in `.` + domain, so `m.`, `www.`, `mobile.`, `old.` and blog subdomains need no
/// special case and `evilx.com` or `x.com.evil.net` never match.
pub(crate) const HOSTS: &[(&str, Platform)] = &[
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
    // whatsapp.com/channel/… pages, pps./mmg.whatsapp.net pictures; wa.me chat links.
    ("whatsapp.com", Platform::WhatsApp),
    ("whatsapp.net", Platform::WhatsApp),
    ("wa.me", Platform::WhatsApp),
    ("t.me", Platform::Telegram), // public channel and post pages (t.me/s/… previews)
    ("telegram.me", Platform::Telegram),
    ("telegram.org", Platform::Telegram),
    ("telesco.pe", Platform::Telegram), // cdn1…cdn5.telesco.pe: images on t.me's web previews
    ("reddit.com", Platform::Reddit),
    ("redd.it", Platform::Reddit), // short links, i./preview./external-preview./v. media
    ("redditmedia.com", Platform::Reddit),
    ("tiktok.com", Platform::TikTok),
    ("tiktokcdn.com", Platform::TikTok),
    ("tiktokcdn-us.com", Platform::TikTok),
    ("youtube.com", Platform::YouTube),
    ("youtu.be", Platform::YouTube),
    ("youtube-nocookie.com", Platform::YouTube),
    ("ytimg.com", Platform::YouTube),  // i.ytimg.com thumbnails
    ("vimeo.com", Platform::Vimeo),    // and player.vimeo.com embeds
    ("vimeocdn.com", Platform::Vimeo), // i.vimeocdn.com thumbnails
    ("snapchat.com", Platform::Snapchat),
    ("sc-cdn.net", Platform::Snapchat), // cf-st., bolt-gcdn., s.sc-cdn.net: Snap's media CDN
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
    ("imgur.com", Platform::Imgur),      // and i.imgur.com images
    ("bsky.app", Platform::Bluesky),     // and cdn.bsky.app, video.bsky.app
    ("discord.com", Platform::Discord),
    ("discord.gg", Platform::Discord),
    ("discordapp.com", Platform::Discord), // cdn.discordapp.com attachments
    ("discordapp.net", Platform::Discord), // media.discordapp.net attachments
    ("twitch.tv", Platform::Twitch),
    ("jtvnw.net", Platform::Twitch), // static-cdn.jtvnw.net
    ("kick.com", Platform::Kick),    // and files.kick.com images, player.kick.com embeds
    ("linkedin.com", Platform::LinkedIn),
    ("lnkd.in", Platform::LinkedIn),
    ("licdn.com", Platform::LinkedIn), // media.licdn.com
    // OneDrive only: live.com as a whole is also Outlook's; *.files.1drv.com serves shared files.
    ("onedrive.live.com", Platform::OneDrive),
    ("1drv.ms", Platform::OneDrive),
    ("1drv.com", Platform::OneDrive),
    ("onlyfans.com", Platform::OnlyFans),
    // Aylo's own pages and the FTC's 2025 order name Pornhub, YouPorn, RedTube and Brazzers as
    // Aylo's; Tube8 is listed as Aylo's in press and by helplines, not on a page of Aylo's we read.
    ("pornhub.com", Platform::Aylo),
    ("pornhub.org", Platform::Aylo),
    ("phncdn.com", Platform::Aylo), // Pornhub's image and video CDN
    ("rdtcdn.com", Platform::Aylo), // RedTube's
    ("ypncdn.com", Platform::Aylo), // YouPorn's
    ("t8cdn.com", Platform::Aylo),  // Tube8's
    ("youporn.com", Platform::Aylo),
    ("redtube.com", Platform::Aylo),
    ("tube8.com", Platform::Aylo),
    ("brazzers.com", Platform::Aylo),
];

/// A few large servers known to run Mastodon, recognised on any path. Exact hosts only:
/// `files.mastodon.social` is a media host, not a server one could report on.
pub(crate) const MASTODON_SERVERS: &[&str] = &[
    "mastodon.social",
    "mastodon.online",
    "mastodon.world",
    "mstdn.social",
    "mas.to",
    "fosstodon.org",
    "hachyderm.io",
    "infosec.exchange",
];

/// The platform that owns `host` (or the domain it is a subdomain of).
pub(crate) fn platform_of_host(host: &str) -> Option<Platform> {
    HOSTS.iter().find(|(domain, _)| is_within(host, domain)).map(|&(_, p)| p)
}

/// One of the large Mastodon servers known by name (exact host).
pub(crate) fn is_mastodon_server(host: &str) -> bool {
    MASTODON_SERVERS.contains(&host)
}

#[cfg(test)]
mod tests {
    use super::super::platform::tests::{image, page};
    use super::*;

    /// Every URL names `expected` as a page.
    fn pages(expected: Platform, urls: &[&str]) {
        for url in urls {
            assert_eq!(page(url), Some(expected), "{url}");
        }
    }

    /// Every URL names `expected` as an image (on a page that names nothing).
    fn images(expected: Platform, urls: &[&str]) {
        for url in urls {
            assert_eq!(image(url), Some(expected), "{url}");
        }
    }

    #[test]
    fn x() {
        pages(
            Platform::X,
            &[
                "https://x.com/jack/status/20",
                "https://twitter.com/jack/status/20?s=20",
                "https://mobile.twitter.com/jack/status/20",
                "https://x.com/someone/status/1861234567890123456/photo/1",
                "https://pbs.twimg.com/media/GcXyZ12WkAAbCdE?format=jpg&name=large",
            ],
        );
        images(
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
        assert_eq!(page("https://t.co/AbCdEf1234"), None);
    }

    #[test]
    fn facebook() {
        pages(
            Platform::Facebook,
            &[
                "https://www.facebook.com/photo/?fbid=10161234567890123&set=a.10150123456789012",
                "https://m.facebook.com/story.php?story_fbid=pfbid02abc&id=100012345678901",
                "https://www.facebook.com/watch/?v=1234567890123456",
                "https://fb.watch/pQ1rS2tU3v/",
            ],
        );
        images(
            Platform::Facebook,
            &["https://scontent-lhr8-1.xx.fbcdn.net/v/t39.30808-6/123456789_n.jpg?_nc_cat=1&oh=00_ab&oe=6750"],
        );
    }

    #[test]
    fn instagram() {
        pages(
            Platform::Instagram,
            &[
                "https://www.instagram.com/p/C1a2b3c4d5E/",
                "https://www.instagram.com/reel/C9zYxWvUtSr/?igsh=abc",
                "https://instagram.com/someone/",
            ],
        );
        images(
            Platform::Instagram,
            &["https://scontent-lga3-2.cdninstagram.com/v/t51.29350-15/123456789_n.jpg?stp=dst-jpg&_nc_ht=x"],
        );
    }

    #[test]
    fn threads() {
        pages(
            Platform::Threads,
            &["https://www.threads.net/@zuck/post/C1a2b3c4d5E", "https://www.threads.com/@someone/post/DA1b2C3d4E5"],
        );
    }

    #[test]
    fn reddit() {
        pages(
            Platform::Reddit,
            &[
                "https://www.reddit.com/r/pics/comments/1h2abcd/a_title_here/",
                "https://old.reddit.com/r/pics/comments/1h2abcd/a_title_here/",
                "https://new.reddit.com/r/pics/comments/1h2abcd/",
                "https://redd.it/1h2abcd",
                "https://i.redd.it/abcd1234efgh.jpeg",
            ],
        );
        images(
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
        pages(
            Platform::TikTok,
            &[
                "https://www.tiktok.com/@someone/video/7234567890123456789",
                "https://vm.tiktok.com/ZMabc123/",
                "https://www.tiktok.com/@someone/photo/7234567890123456789",
            ],
        );
        images(
            Platform::TikTok,
            &["https://p16-sign-va.tiktokcdn.com/obj/tos-maliva-p-0068/abc~tplv-photomode-image.jpeg"],
        );
    }

    #[test]
    fn youtube() {
        pages(
            Platform::YouTube,
            &[
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "https://youtu.be/dQw4w9WgXcQ?t=42",
                "https://m.youtube.com/shorts/AbCdEfGhIjK",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            ],
        );
        images(Platform::YouTube, &["https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"]);
    }

    #[test]
    fn snapchat() {
        pages(
            Platform::Snapchat,
            &[
                "https://www.snapchat.com/spotlight/W7_EDlXWTBiXAEEniNoMPwAAYbWFiZHd4dGdqAZNRGSTvAZNRGSTJAAAAAQ",
                "https://story.snapchat.com/p/0a1b2c3d-4e5f-6789-abcd-ef0123456789/1234567890",
                "https://www.snapchat.com/add/someone",
            ],
        );
        images(
            Platform::Snapchat,
            &[
                "https://cf-st.sc-cdn.net/d/NFAEXiJo1vxPlpG6T7m0o?bo=EhQaABoAMgIEfUgCUAhaBAj0hwFgAQ%3D%3D&uc=8",
                "https://bolt-gcdn.sc-cdn.net/3/YqK30ABPM0hYYuT74QXr0?bo=EhgaABoAMgF9OgEEQgYIjr3y8AVIAlASYAE%3D&uc=18",
                "https://s.sc-cdn.net/1d/lnc1krt0fOrGzVqJmUuvl5-i49nosIa0T07gWO-JlDI=/default/embedded.mp4",
            ],
        );
    }

    #[test]
    fn pinterest() {
        pages(
            Platform::Pinterest,
            &[
                "https://www.pinterest.com/pin/123456789012345678/",
                "https://www.pinterest.co.uk/pin/123456789012345678/",
                "https://pinterest.de/pin/123456789012345678/",
                "https://br.pinterest.com/pin/123456789012345678/",
                "https://pin.it/3AbCdEfGh",
            ],
        );
        images(Platform::Pinterest, &["https://i.pinimg.com/originals/ab/cd/ef/abcdef0123456789.jpg"]);
    }

    #[test]
    fn tumblr() {
        pages(
            Platform::Tumblr,
            &[
                "https://someblog.tumblr.com/post/123456789012/a-slug",
                "https://www.tumblr.com/someblog/123456789012/a-slug",
            ],
        );
        images(Platform::Tumblr, &["https://64.media.tumblr.com/0a1b2c/3d4e5f-ab/s640x960/67890.jpg"]);
    }

    #[test]
    fn bluesky() {
        pages(
            Platform::Bluesky,
            &[
                "https://bsky.app/profile/alice.bsky.social/post/3k2yihcrp6f2c",
                "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3k2yihcrp6f2c",
            ],
        );
        images(Platform::Bluesky, &["https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:abc123/bafkreiabc123@jpeg"]);
    }

    #[test]
    fn discord() {
        pages(
            Platform::Discord,
            &[
                "https://discord.com/channels/123456789012345678/234567890123456789/345678901234567890",
                "https://discord.gg/abcdef",
            ],
        );
        images(
            Platform::Discord,
            &[
                "https://cdn.discordapp.com/attachments/123456789012345678/234567890123456789/image.png?ex=1",
                "https://media.discordapp.net/attachments/123456789012345678/234567890123456789/image.png?width=400",
            ],
        );
    }

    #[test]
    fn twitch() {
        pages(
            Platform::Twitch,
            &[
                "https://www.twitch.tv/somestreamer",
                "https://www.twitch.tv/videos/2212345678",
                "https://clips.twitch.tv/SomeClipSlug-AbCdEf",
            ],
        );
        images(Platform::Twitch, &["https://static-cdn.jtvnw.net/jtv_user_pictures/abc-profile_image-300x300.png"]);
    }

    #[test]
    fn linkedin() {
        pages(
            Platform::LinkedIn,
            &[
                "https://www.linkedin.com/posts/someone_activity-7123456789012345678-AbCd",
                "https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678/",
            ],
        );
        images(
            Platform::LinkedIn,
            &["https://media.licdn.com/dms/image/v2/D4E22AQabc/feedshare-shrink_800/0/1700000000000?e=1&v=beta"],
        );
    }

    #[test]
    fn onlyfans() {
        pages(Platform::OnlyFans, &["https://onlyfans.com/123456789/someone", "https://onlyfans.com/someone"]);
    }

    #[test]
    fn aylo_sites() {
        pages(
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
        images(
            Platform::Aylo,
            &[
                "https://ei.phncdn.com/videos/202401/01/123456789/original/(m=eaf8Ggaaaa)(mh=abc)1.jpg",
                // RedTube's, YouPorn's and Tube8's image CDNs, two shapes each.
                "https://ei.rdtcdn.com/m=e0YH8f/media/videos/201701/05/1917991/original/15.jpg",
                "https://ei-ph.rdtcdn.com/videos/202408/02/455995071/original/(m=eag28f)(mh=OhdcMB2K11KRFCBG)0.jpg",
                "https://fi1.ypncdn.com/m=eaSaaTbWx/202011/23/16290308/original/3.jpg",
                "https://fi1-ph.ypncdn.com/videos/202505/02/468061265/original/(m=eaSaaTbWx)(mh=ZYcC24OaVFTpvG-v)3.jpg",
                "https://pix-cdn77.t8cdn.com/c6371/videos/202609/03/61178365/original_61178365.mov/plain/rs:fit:1280:720/vts:15",
                "https://ev-ph.t8cdn.com/videos/202402/20/448441931/1080P_4000K_448441931.mp4",
            ],
        );
    }

    #[test]
    fn whatsapp_channels() {
        pages(
            Platform::WhatsApp,
            &[
                "https://whatsapp.com/channel/0029VaWaUrD1XquPeK01cf2c",
                "https://www.whatsapp.com/channel/0029Vaan9TF9Bb62l8wpoD47",
            ],
        );
        images(
            Platform::WhatsApp,
            &[
                "https://pps.whatsapp.net/v/t61.24694-24/227295214_112447507729487_4643695328050510566_n.jpg",
                "https://pps.whatsapp.net/v/t61.24694-24/296806065_978412156273842_88459715687810673_n.jpg?ccb=11-4&oh=01_AVy",
            ],
        );
    }

    #[test]
    fn telegram() {
        pages(
            Platform::Telegram,
            &["https://t.me/somechannel/1234", "https://t.me/s/somechannel", "https://telegram.me/somechannel"],
        );
        images(
            Platform::Telegram,
            &[
                "https://cdn4.telesco.pe/file/Dw1AilgJ_FRxENPIlB6tVWroH28sAouOItMFS3iYOqXJvQy63Nz04bxQLTw6.jpg",
                "https://cdn5.telesco.pe/file/3332.jpg",
            ],
        );
    }

    #[test]
    fn vimeo() {
        pages(Platform::Vimeo, &["https://vimeo.com/349951722", "https://player.vimeo.com/video/349951722?h=abc123"]);
        images(
            Platform::Vimeo,
            &[
                "https://i.vimeocdn.com/video/1769442665-d3bc4225f68bd3b79c64f786003564b4a4ba508d625d1b35fc1fea19f51cbee9-d_640",
                "https://i.vimeocdn.com/video/506047324_295x166.jpg",
            ],
        );
    }

    #[test]
    fn imgur() {
        pages(Platform::Imgur, &["https://imgur.com/gallery/a-title-AbCdEfG", "https://imgur.com/a/AbCdEfG"]);
        images(Platform::Imgur, &["https://i.imgur.com/AbCdEfG.jpeg", "https://i.imgur.com/AbCdEfGh.png"]);
    }

    #[test]
    fn kick() {
        pages(
            Platform::Kick,
            &[
                "https://kick.com/slickpicklenick",
                "https://kick.com/e2eframe/videos/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
                "https://player.kick.com/slickpicklenick",
            ],
        );
        images(
            Platform::Kick,
            &[
                "https://files.kick.com/images/user/1704959/profile_image/conversion/1e3e2b85-0a64-49dc-937c-b138e691d27c-fullsize.webp",
                "https://files.kick.com/images/user/3299289/profile_image/conversion/0ad1c855-b1e8-4a44-b081-d2697dd34364-fullsize.webp",
            ],
        );
    }

    #[test]
    fn onedrive_not_the_rest_of_live_com() {
        pages(
            Platform::OneDrive,
            &[
                "https://onedrive.live.com/?cid=ABCDEF1234567890&id=ABCDEF1234567890%21105&authkey=%21AbC",
                "https://1drv.ms/i/s!AjB_ydErTxUyhIYCfpayKEochJYKGg?e=MdjAgQ",
                "https://1drv.ms/i/c/ac01abdcf0387f53/IQTDfhsFAQDOQ5Zeh9Df4-vAbMANaw6yEm8EdW4q4NpN4w?width=1280&height=1280",
            ],
        );
        images(
            Platform::OneDrive,
            &[
                "https://public.bl.files.1drv.com/y4mBw8nFWzAF0S72V0GgenpuqOGOGTtvJT93PjT0eRW1uGYFNd9B0hmXtkCM2vy",
                "https://rxa2pq.bn.files.1drv.com/y4mXYyPcWsPsKTeK9s53ESwdd21lkzCswMNOmFodAlUuEVDt4mQ0aZG00h7YUhc",
            ],
        );
        assert_eq!(page("https://outlook.live.com/mail/0/"), None);
        assert_eq!(page("https://login.live.com/"), None);
    }

    #[test]
    fn look_alike_hosts_match_nothing() {
        for url in [
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
            "https://wpcdn.shift8cdn.com/wp-content/a.png",
            "https://notimgur.com/a/AbCdEfG",
            "https://kick.com.evil.net/someone",
            "https://evilt.me/somechannel",
            "https://whatsapp.com.evil.io/channel/0029",
            "https://x.co/jack",
            "https://example.com/?u=https://x.com/jack",
            "https://example.com/x.com/jack",
            "https://example.com#https://x.com/",
        ] {
            assert_eq!(page(url), None, "{url}");
        }
    }

    #[test]
    fn every_platform_but_the_search_engines_and_mastodon_has_a_host() {
        for p in Platform::ALL {
            let owns_a_host = HOSTS.iter().any(|&(_, q)| q == p);
            let by_path_or_shape = matches!(p, Platform::GoogleSearch | Platform::Bing | Platform::Mastodon);
            assert!(owns_a_host != by_path_or_shape, "{p:?}");
        }
    }
}
