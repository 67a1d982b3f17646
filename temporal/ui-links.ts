/** Links into the Temporal Web UI that the terminal prints (the demo, `avlasta dev`). */
import type { AvlastaConfig } from '../config.js';

/** Every Avlasta run, newest first. */
export function temporalRunsLink(config: Pick<AvlastaConfig, 'temporal'>): string {
  const { uiUrl, namespace } = config.temporal;
  return `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent("AvlastaKind='run'")}`;
}
