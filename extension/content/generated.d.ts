// Names the build writes for the content scripts (scripts/build-extension.mjs): hide.css as a
// string, and protocol.js as a classic script.
type Protocol = typeof import('../protocol.js');
declare const HIDE_CSS: string;
declare const FRAME_PORT: Protocol['FRAME_PORT'];
declare const FROM_FRAME: Protocol['FROM_FRAME'];
declare const TO_FRAME: Protocol['TO_FRAME'];
declare const VERDICT: Protocol['VERDICT'];
declare const REASON: Protocol['REASON'];
declare const PANEL_STRINGS: Protocol['PANEL_STRINGS'];
declare const STATUS: Protocol['STATUS'];
