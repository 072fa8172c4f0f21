// The first page after install: what Veil does and does not do, in plain words, then the first step.
import { localize } from '../shared/i18n.js';

localize();
document.body.dataset.ready = 'true';
