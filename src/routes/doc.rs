//! `docs/routes.md`, written from the table, the host list and the support page's list of services
//! (`extension/support/services.json`) so that it cannot drift from them. The test below fails when
//! the file differs; `UPDATE_DOCS=1 cargo test --release --locked routes::doc` writes it.

use super::hosts::{HOSTS, MASTODON_SERVERS};
use super::platform::Platform;
use super::route::{Certainty, Login, ReportPage, Route};
use super::table::{all, mastodon_route};
use std::fmt::Write;

const INTRO: &str = "\
<!-- Generated from src/routes/ (the route table and the host list) and extension/support/services.json
by the test routes::doc; do not edit
by hand: `UPDATE_DOCS=1 cargo test --release --locked routes::doc` rewrites it, and the test fails while
it differs. -->

# Reporting routes

When Veil hides an image that matches the person's protected list, it offers one click to the hosting
platform's own route for reporting non-consensual intimate imagery (NCII). `src/routes/` maps a page URL
(or, when the page is unknown, the image URL) to the route: `routes::route_for(page_url, image_url)`.
What the person reads about a route comes from `extension/_locales` (the English text is quoted here), so
it reaches them in their language.

Certainty:

- **verified**: read on the platform's own help or policy page (in a stored copy; no live web was used);
- **secondary**: from a third party (helpline, lawyer's guide, open-source tool, press, an archive of the
  platform's text), not seen on the platform's own page;
- **uncertain**: the best general route found; no NCII-specific route was confirmed.

*Opens*: **form** is the form itself; **guide** is the platform's page that explains the route and links
its form; **in the app** means the report can only be made in the app, and the URL is the page that says
how. No platform documents a URL parameter that fills its NCII form (`Prefill` is empty everywhere), so
Veil copies a ready report text instead.
";

const RECOGNITION: &str = "\
## How pages are recognised

- A host belongs to a platform only if it equals one of the platform's domains below or is a subdomain of
  it (`m.`, `www.`, `mobile.`, `old.`, blog and CDN subdomains). `evilx.com`, `x.com.evil.net`,
  `notreddit.com` and `google.com.evil.net` match nothing.
- The host is read like a browser reads it: the last `@` ends the userinfo (`https://x.com@evil.net/` is
  on evil.net), `\\` ends the host, tabs and newlines are dropped, the port and one trailing dot are
  removed, percent-escapes are decoded and full-width letters folded. Only `http` and `https` URLs are read.
- Image hosts count when the page itself is unknown (an embedded post, a hotlink); the page always wins.
- Google Search counts only on `google.<tld>/search` result pages, Bing only on `/search`,
  `/images/search` and `/videos/search`: a removal there is about results, not the page.
- `t.co` is not mapped to X: it only redirects, and the content is usually elsewhere. `live.com` as a whole
  is not OneDrive (it is also Outlook's): only `onedrive.live.com`.
- **Mastodon is a heuristic.** The servers listed below are known by name; any other server is recognised
  only by the shape of a post URL on a page: `/@user/123…`, `/@user@other.server/123…`, `/web/@user/123…`,
  `/web/statuses/123…` or `/users/user/statuses/123…`, on a domain name (never an IP address). The route
  is then that server's: its about page, and the reporting API on that server.
";

fn certainty(c: Certainty) -> &'static str {
    match c {
        Certainty::Verified => "verified",
        Certainty::Secondary => "secondary",
        Certainty::Uncertain => "uncertain",
    }
}

fn opens(page: ReportPage) -> &'static str {
    match page {
        ReportPage::Form => "form",
        ReportPage::Guide => "guide",
        ReportPage::InApp => "in the app",
    }
}

fn login(l: Login) -> &'static str {
    match l {
        Login::Yes => "yes",
        Login::No => "no",
        Login::Unknown => "unknown",
    }
}

/// The routes Meta's and Microsoft's platforms share are written once, under all their names.
fn grouped() -> Vec<(String, &'static Route)> {
    let mut groups: Vec<(String, &'static Route)> = vec![];
    for r in all() {
        match groups.iter_mut().find(|(_, first)| first.report_url == r.report_url && first.note_key == r.note_key) {
            Some((names, _)) => *names = format!("{names}, {}", r.name),
            None => groups.push((r.name.to_string(), r)),
        }
    }
    groups
}

fn details(out: &mut String, names: &str, r: &Route, note: &dyn Fn(&str) -> String) {
    let _ = writeln!(out, "### {names}\n");
    let _ = writeln!(out, "- Report: <{}> ({}); login: {}", r.report_url, opens(r.report_page), login(r.login));
    let _ = writeln!(out, "- Source: <{}>, checked {}, **{}**", r.source_url, r.checked, certainty(r.certainty));
    let _ = writeln!(out, "- The person reads (`{}`): {}", r.note_key, note(r.note_key));
    for alt in r.alternatives {
        let _ = writeln!(out, "- Also: {} <{}> ({})", alt.label, alt.url, certainty(alt.certainty));
    }
    if let Some(api) = &r.api {
        let reason = api.ncii_reason.map(|n| format!(", reason `{n}`")).unwrap_or_default();
        let _ = writeln!(out, "- API: `{}` ({}{reason}), <{}>: {}", api.call, api.auth, api.docs_url, api.note);
    }
    if !r.caveat.is_empty() {
        let _ = writeln!(out, "- Not confirmed: {}", r.caveat);
    }
    out.push('\n');
}

/// "Mon–Fri 10:00–16:00; chat: Wed 15:00–18:00" from the support list's `hours`.
fn hours(service: &serde_json::Value) -> String {
    const DAYS: [&str; 8] = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let slot = |h: &serde_json::Value| {
        let day = |i: usize| DAYS[h["days"][i].as_u64().unwrap_or(0) as usize];
        let days = if day(0) == day(1) { day(0).to_string() } else { format!("{}–{}", day(0), day(1)) };
        let by = h["by"].as_str().map(|b| format!("{b}: ")).unwrap_or_default();
        format!("{by}{days} {}–{}", h["from"].as_str().unwrap_or("?"), h["to"].as_str().unwrap_or("?"))
    };
    match &service["hours"] {
        serde_json::Value::String(always) if always == "always" => "around the clock".to_string(),
        serde_json::Value::Array(slots) => {
            let closed = if service["closedOnHolidays"] == true { " (closed on public holidays)" } else { "" };
            format!("{}{closed}", slots.iter().map(slot).collect::<Vec<_>>().join("; "))
        }
        _ => String::new(),
    }
}

/// The support page's services, by country, with how each was confirmed.
fn support(out: &mut String, list: &serde_json::Value, note: &dyn Fn(&str) -> String) {
    out.push_str(
        "\n## Help by country (the support page)\n\nFrom `extension/support/services.json`, the page's one list: the \
         country comes from the browser's language and can be changed; `*` is for anyone anywhere. Hours are \
         local to the service's country; a country with no service of its own is listed with the services open to \
         anyone.\n\n| Countries | Service | For | Phone | Hours | Certainty | Checked | Source |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for s in list["services"].as_array().into_iter().flatten() {
        let text = |key: &str| s[key].as_str().unwrap_or_default().to_string();
        let countries: Vec<&str> = s["countries"].as_array().into_iter().flatten().filter_map(|c| c.as_str()).collect();
        let name = match s["url"].as_str() {
            Some(url) => format!("[{}]({url})", text("name")),
            None => text("name"),
        };
        let who = format!("{} {}", note(&text("who")), note(&text("images")));
        let source = format!("[source]({})", text("source"));
        let row =
            [countries.join(", "), name, who, text("phone"), hours(s), text("certainty"), text("checked"), source];
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    let serves = |c: &serde_json::Value| {
        list["services"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|s| s["countries"].as_array().is_some_and(|cs| cs.contains(c)))
    };
    let without: Vec<&str> =
        list["countries"].as_array().into_iter().flatten().filter(|c| !serves(c)).filter_map(|c| c.as_str()).collect();
    let _ = writeln!(out, "\nNo service of their own could be confirmed (the page says so): {}.", without.join(", "));
}

/// The whole of `docs/routes.md`; `note` gives a message key's English text, `services` is the
/// support page's list.
pub(crate) fn markdown(note: &dyn Fn(&str) -> String, services: &serde_json::Value) -> String {
    let mut out = format!(
        "{INTRO}\n## The routes\n\n| Platform | Opens | Login | Certainty | Checked |\n|---|---|---|---|---|\n"
    );
    let groups = grouped();
    for (names, r) in &groups {
        let row = [opens(r.report_page), login(r.login), certainty(r.certainty), r.checked];
        let _ = writeln!(out, "| [{names}]({}) | {} |", r.report_url, row.join(" | "));
    }
    out.push('\n');
    for (names, r) in &groups {
        details(&mut out, names, r, note);
    }
    let server = mastodon_route("SERVER");
    let _ = writeln!(
        out,
        "### Mastodon, on the post's own server\n\n- Report: <{}> (the server's rules and moderators)\n- The person reads (`{}`): {}\n",
        server.report_url,
        server.note_key,
        note(server.note_key)
    );
    out.push_str(RECOGNITION);
    out.push_str("\n## Hosts\n\n| Platform | Hosts (and their subdomains) |\n|---|---|\n");
    for p in Platform::ALL {
        let hosts: Vec<String> = HOSTS.iter().filter(|&&(_, q)| q == p).map(|(h, _)| format!("`{h}`")).collect();
        let hosts = match p {
            Platform::GoogleSearch => {
                "`google.com`, `google.<cc>`, `google.co.<cc>`, `google.com.<cc>` (`/search` only)".to_string()
            }
            Platform::Bing => "`bing.com` (result pages only)".to_string(),
            Platform::Mastodon => {
                let known: Vec<String> = MASTODON_SERVERS.iter().map(|h| format!("`{h}`")).collect();
                format!("{} (exact hosts), or any server by the shape of a post URL", known.join(", "))
            }
            _ => hosts.join(", "),
        };
        let _ = writeln!(out, "| {} | {hosts} |", super::route(p).name);
    }
    support(&mut out, services, note);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read_json(path: &str) -> serde_json::Value {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn docs_routes_md_is_generated_from_the_table() {
        let en = read_json("extension/_locales/en/messages.json");
        let note = |key: &str| -> String {
            en[key]["message"].as_str().unwrap_or_else(|| panic!("{key} is not in the English messages")).to_string()
        };
        let want = markdown(&note, &read_json("extension/support/services.json"));
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/routes.md");
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/routes.md differs from the route table: run `UPDATE_DOCS=1 cargo test --release --locked routes::doc` and commit it"
        );
    }

    #[test]
    fn every_route_is_listed_with_its_hosts() {
        let text = markdown(&|key: &str| key.to_string(), &read_json("extension/support/services.json"));
        for p in Platform::ALL {
            assert!(text.contains(&format!("| {} | ", super::super::route(p).name)), "{p:?}");
        }
        assert!(text.contains("`onedrive.live.com`") && text.contains("`sc-cdn.net`"));
        assert!(text.contains("| [Facebook, Instagram, Threads]("), "Meta's shared route is written once");
        assert!(text.contains("| GB | [Revenge Porn Helpline](https://revengepornhelpline.org.uk/) | supportWhoAdults"));
        assert!(text.contains("Mon–Fri 10:00–16:00 (closed on public holidays)"));
    }
}
