/**
 * The .tgz form of an automation package, as `npm pack` writes one: a gzipped ustar archive whose
 * entries all sit under `package/`, so a city can also publish it to an npm registry. Written and
 * read here (node:zlib and a few lines of ustar) rather than with a dependency; only plain files
 * and folders are read back, and no entry may leave the package's folder.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

const block = 512;
/** npm pack's fixed time (1985-10-26), so the same files give the same archive. */
const fixedMtime = 499162500;

/** `files`: path inside the package ("bots/a.js") → content. */
export function writeTgz(files: ReadonlyMap<string, Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const [path, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    parts.push(header(`package/${path}`, content.length));
    parts.push(content, Buffer.alloc((block - (content.length % block)) % block));
  }
  parts.push(Buffer.alloc(block * 2));
  return gzipSync(Buffer.concat(parts));
}

/** The package's files (path without the leading `package/` → content). */
export function readTgz(archive: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(archive);
  const files = new Map<string, Buffer>();
  for (let at = 0; at + block <= tar.length;) {
    const head = tar.subarray(at, at + block);
    if (head.every((b) => b === 0)) break;
    const name = text(head, 345, 155) ? `${text(head, 345, 155)}/${text(head, 0, 100)}` : text(head, 0, 100);
    const size = Number.parseInt(text(head, 124, 12) || '0', 8);
    const type = String.fromCharCode(head[156] || 0x30);
    at += block;
    if (type === '0') files.set(insidePackage(name), Buffer.from(tar.subarray(at, at + size)));
    else if (type !== '5' && type !== 'x' && type !== 'g')
      throw new Error(`the archive holds "${name}", which is not a plain file or folder`);
    at += Math.ceil(size / block) * block;
  }
  return files;
}

function insidePackage(name: string): string {
  const path = name.replace(/^[^/]+\//, '');
  if (path.startsWith('/') || path.split('/').some((part) => part === '..' || part === ''))
    throw new Error(`the archive holds "${name}", a path outside the package`);
  return path;
}

function header(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 255) throw new Error(`a path in the package is too long for the archive: ${name}`);
  const head = Buffer.alloc(block);
  const cut = Buffer.byteLength(name) > 100 ? name.lastIndexOf('/', 155) : -1;
  head.write(cut > 0 ? name.slice(cut + 1) : name, 0, 100);
  if (cut > 0) head.write(name.slice(0, cut), 345, 155);
  head.write(octal(0o644, 8), 100);
  head.write(octal(0, 8), 108);
  head.write(octal(0, 8), 116);
  head.write(octal(size, 12), 124);
  head.write(octal(fixedMtime, 12), 136);
  head.write('        ', 148); // the checksum counts its own field as spaces
  head.write('0', 156);
  head.write('ustar\u000000', 257);
  const sum = head.reduce((total, b) => total + b, 0);
  head.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148);
  return head;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\u0000`;
}

function text(head: Buffer, offset: number, length: number): string {
  const field = head.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end < 0 ? length : end).trim();
}
