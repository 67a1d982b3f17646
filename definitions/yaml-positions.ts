/**
 * Maps a path in a parsed YAML document (['steps', 0, 'timeout']) to a line:column in its source,
 * so every problem can be reported as `file:line:col: message`.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';

export type Path = readonly (string | number)[];
export interface Position {
  line: number;
  col: number;
}

export class YamlSource {
  readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();

  constructor(readonly text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, keepSourceTokens: true, uniqueKeys: true });
  }

  at(offset: number): Position {
    return this.lines.linePos(offset);
  }

  /** The value at `path`, or where it would be: falls back to the nearest existing ancestor. */
  positionOf(path: Path): Position {
    const found = this.walk(path);
    return this.at(found.offset);
  }

  /** The key of `key` inside the mapping at `path` (for unknown fields). */
  keyPosition(path: Path, key: string): Position {
    const map = this.node(path);
    if (isMap(map)) {
      const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      const range = pair && (pair.key as Node | null)?.range;
      if (range) return this.at(range[0]);
    }
    return this.positionOf(path);
  }

  /**
   * Where character `index` of the string at `path` sits in the source, when that string is a
   * single-line plain or quoted scalar whose text maps one to one onto the source; otherwise the
   * start of the node (escapes and folded block scalars make exact columns guesswork).
   */
  positionInString(path: Path, index: number): Position {
    const node = this.node(path);
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return this.positionOf(path);
    const [start, end] = node.range;
    const raw = this.text.slice(start, end);
    if (raw.includes('\n')) return this.at(start);
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    const inner = quoted ? raw.slice(1, -1) : raw;
    if (inner !== node.value) return this.at(start);
    const clamped = Math.max(0, Math.min(index, inner.length));
    return this.at(start + (quoted ? 1 : 0) + clamped);
  }

  node(path: Path): unknown {
    return this.doc.getIn(path as (string | number)[], true);
  }

  private walk(path: Path): { offset: number } {
    let current: unknown = this.doc.contents;
    let offset = (this.doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const key of path) {
      let next: unknown;
      let keyOffset: number | undefined;
      if (isMap(current)) {
        const pair = current.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
        keyOffset = (pair?.key as Node | undefined)?.range?.[0];
        next = pair?.value;
      } else if (isSeq(current) && typeof key === 'number') {
        next = current.items[key];
      }
      const range = (next as Node | null | undefined)?.range;
      if (!next || !range) return { offset: keyOffset ?? offset };
      // An empty value (`title:` with nothing after it) has no text of its own: point at its key.
      if (isScalar(next) && next.value === null && range[0] === range[1] && keyOffset !== undefined)
        return { offset: keyOffset };
      current = next;
      offset = range[0];
    }
    return { offset };
  }
}
