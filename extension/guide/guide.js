// A one-page guide for support workers setting Veil up with someone: print it or save it as PDF.
import { localize } from '../shared/i18n.js';

localize();
document.getElementById('print').addEventListener('click', () => window.print());
document.body.dataset.ready = 'true';
