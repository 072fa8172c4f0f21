// The bench's two origins: the feeds' pages and local images on 127.0.0.1, and a second site on
// 127.0.0.2 that holds every image response DELAY_MS before it answers, as a CDN across a network
// does. Both send Timing-Allow-Origin, so the page's Resource and Element Timing see every image.
// The server notes who asked for each image, by Sec-Fetch-Dest: `image` for the page's own loads,
// `empty` for the extension's fetches.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startSite } from '../../tests/e2e/harness.mjs';

export const DELAY_MS = 60;
export const SECOND_HOST = '127.0.0.2';

export async function startOrigins() {
  const routes = {
    '/bench/feed-probe.js': { type: 'text/javascript', body: readFileSync(join(ROOT, 'bench/feed-probe.js')) },
  };
  const local = await startSite(routes);
  const second = await startSite(routes, { host: SECOND_HOST });
  const bytes = { page: 0, veil: 0, other: 0 };
  /** url -> {page, veil, veilSent}: when (epoch ms) each side's request arrived, and Veil's was sent. */
  const requests = new Map();
  return {
    local,
    second,
    bytes,
    requests,
    /** Serves `body` at `path` on both origins; `delayed` images wait DELAY_MS first. */
    serveImage(path, type, body, { delayed = false } = {}) {
      routes[path] = (req, res) => {
        const asked = Date.now();
        const dest = req.headers['sec-fetch-dest'];
        const who = dest === 'image' ? 'page' : dest === 'empty' ? 'veil' : 'other';
        const origin = `http://${req.headers.host}`;
        const seen = requests.get(origin + req.url) ?? {};
        requests.set(origin + req.url, seen);
        seen[who] ??= asked;
        const answer = () => {
          bytes[who] += body.length;
          res.writeHead(200, {
            'content-type': type,
            'content-length': body.length,
            'cache-control': 'public, max-age=3600',
            'timing-allow-origin': '*',
            'access-control-allow-origin': '*',
          });
          res.end(body);
          if (who === 'veil') res.on('finish', () => (seen.veilSent ??= Date.now()));
        };
        if (delayed) setTimeout(answer, DELAY_MS);
        else answer();
      };
    },
    servePage(path, html) {
      routes[path] = { type: 'text/html; charset=utf-8', body: html };
    },
    close: () => Promise.all([local.close(), second.close()]),
  };
}
