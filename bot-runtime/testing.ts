/**
 * What a bot's own test imports: `import { serveFixture, tryBot } from 'avlasta/testing'` (package.json
 * "exports" maps it to this file's compiled form in dist/, as `avlasta/bot`). The tests `avlasta new
 * bot` writes use both.
 */
export { tryBot, type TryBotOptions, type TryBotResult } from './try-bot.js';
export { serveFixture, type FixtureSite } from './fixture-site.js';
