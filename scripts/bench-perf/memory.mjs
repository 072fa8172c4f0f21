// What the extension costs in memory: the proportional set size of its processes (what the
// operating system charges it: scripts, wasm, decoders) and, in Chromium, the JS heap of each of
// its contexts (service worker, offscreen document, workers) over CDP.
import { readFileSync, readdirSync } from 'node:fs';

function processes() {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((pid) => {
    try {
      // Child processes rewrite their command line into one string: search it whole.
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      return [{ pid: Number(pid), parent, args }];
    } catch {
      return []; // gone meanwhile
    }
  });
}

function pssMb(pids) {
  const kb = pids.map((pid) => {
    try {
      return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))[1]);
    } catch {
      return 0;
    }
  });
  return kb.reduce((a, b) => a + b, 0) / 1024;
}

/** The browser whose command line contains `marker` (its profile) and all its descendants. */
function family(marker, isBrowser) {
  const all = processes();
  const root = all.find((p) => p.args.includes(marker) && isBrowser(p));
  if (!root) return [];
  const members = new Set([root.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) if (members.has(p.parent) && !members.has(p.pid)) grew = members.add(p.pid);
  }
  return all.filter((p) => members.has(p.pid));
}

/** PSS (MB) of Chromium's extension renderer(s) under the browser using `profile`. */
export function chromiumExtensionMb(profile) {
  const mine = family(`--user-data-dir=${profile}`, (p) => !p.args.includes('--type='));
  return pssMb(mine.filter((p) => p.args.includes('--extension-process')).map((p) => p.pid));
}

/** PSS (MB) of Firefox's extension process (it names itself WebExtensions) under the browser `pid`. */
export function firefoxExtensionMb(pid) {
  const mine = family(`--profile`, (p) => p.pid === pid);
  const named = (p) => {
    try {
      return readFileSync(`/proc/${p.pid}/comm`, 'utf8').trim() === 'WebExtensions';
    } catch {
      return false;
    }
  };
  return pssMb(mine.filter(named).map((p) => p.pid));
}

/** JS heap (MB used) of each of the extension's contexts, by kind and page: CDP Runtime.getHeapUsage. */
export async function chromiumContextHeaps(context, extensionId) {
  const cdp = await context.browser().newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const mine = targetInfos.filter((t) => t.url.startsWith(`chrome-extension://${extensionId}/`));
    const heaps = [];
    let id = 0;
    for (const target of mine) {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
      const messageId = ++id;
      const answer = new Promise((resolve) => {
        const listen = (event) => {
          const message = JSON.parse(event.message);
          if (event.sessionId !== sessionId || message.id !== messageId) return;
          cdp.off('Target.receivedMessageFromTarget', listen);
          resolve(message.result);
        };
        cdp.on('Target.receivedMessageFromTarget', listen);
      });
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: messageId, method: 'Runtime.getHeapUsage' }) });
      const result = await Promise.race([answer, new Promise((resolve) => setTimeout(resolve, 5000))]);
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
      if (result) heaps.push({ kind: target.type, page: new URL(target.url).pathname, usedMb: result.usedSize / 2 ** 20, totalMb: result.totalSize / 2 ** 20 });
    }
    return heaps;
  } finally {
    await cdp.detach();
  }
}
