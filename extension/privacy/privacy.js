// Veil's privacy policy, in the person's language (PRIVACY.md in the repository says the same).
import { localize } from '../shared/i18n.js';

localize();
document.body.dataset.ready = 'true';
