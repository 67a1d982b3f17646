/**
 * Watches the configured bot folders (packages are not watched: they change by an install) and
 * reports changed module files, a burst of saves at once (an editor writes a file in steps).
 */
import { watch, type FSWatcher } from 'node:fs';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';

const DEBOUNCE_MS = 300;
const moduleFile = /\.(ts|mts|js|mjs)$/;
const skipped = /(\.d\.m?ts|\.(test|spec)\.m?[tj]s)$|(^|\/)(node_modules|\.)/;

export function watchBotFolders(entries: string[], onChange: (files: string[]) => void): { close(): void } {
  const watchers: FSWatcher[] = [];
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  for (const entry of entries) {
    if (!isAbsolute(entry) || !existsSync(entry) || !statSync(entry).isDirectory()) continue;
    watchers.push(
      watch(entry, { recursive: true }, (_event, file) => {
        if (!file || !moduleFile.test(file) || skipped.test(file)) return;
        pending.add(file);
        clearTimeout(timer);
        timer = setTimeout(() => {
          const files = [...pending];
          pending = new Set();
          onChange(files);
        }, DEBOUNCE_MS);
      }),
    );
  }
  return {
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
