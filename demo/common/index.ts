/** The public API of demo/common (see README.md). */
export {
  buildDemoApp,
  startDemoApp,
  startDemoSystem,
  type DemoAppOptions,
  type DemoKit,
  type DemoSystemOptions,
  type RunningDemoApp,
  type RunningDemoSystem,
} from './app.js';
export { html, raw, escapeHtml, layout, SafeHtml, type NavLink, type DemoPage } from './html.js';
export { Trouble, resolveTrouble, defaultTrouble, noTrouble, type TroubleOptions } from './trouble.js';
export { seededRandom, type Random } from './prng.js';
export { luhnValid, luhnCheckDigit, formatSek, parseSek } from './swedish.js';
