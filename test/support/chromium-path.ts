/** The Chromium the tests drive: what set-up found (AVLASTA_CHROMIUM), else what the bots would pick. */
import { resolveChromiumPath } from '../../bot-runtime/chromium-path.js';

export const chromiumPath = resolveChromiumPath(process.env.AVLASTA_CHROMIUM || undefined);
