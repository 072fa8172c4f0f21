// The options page's notice of where Veil cannot check images (shared/access.js): shown only when
// something is missing, at the top of the page, drawn again when the person changes access.

import { onAccessChange, renderAccessNotices } from '../shared/access.js';
import { lockState } from '../shared/store.js';

const section = document.getElementById('access-section');

async function render() {
  // A locked Veil shows only its unlock form.
  if ((await lockState()) === 'locked') return;
  section.hidden = (await renderAccessNotices(document.getElementById('access-notices'), { full: true })) === 0;
  section.dataset.ready = 'true';
}

onAccessChange(render);
await render();
