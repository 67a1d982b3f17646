/** The package archive (share/tgz.ts): what npm and tar read, and what a hostile archive cannot do. */
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readTgz, writeTgz } from '../../share/tgz.js';

const longPath = `bots/${'a-rather-long-folder-name/'.repeat(5)}bot.js`;
const files = new Map([
  ['package.json', Buffer.from('{"name":"x","version":"1.0.0"}\n')],
  [longPath, Buffer.from('export const x = 1;\n')],
  ['README.md', Buffer.from('# Å ä ö\n')],
]);

it('reads back what it wrote, long paths included, and tar lists it under package/', () => {
  const archive = writeTgz(files);
  expect(readTgz(archive)).toEqual(files);
  const dir = mkdtempSync(join(tmpdir(), 'avlasta-tgz-'));
  try {
    writeFileSync(join(dir, 'p.tgz'), archive);
    const listed = execFileSync('tar', ['-tzf', join(dir, 'p.tgz')], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(listed.sort()).toEqual([...files.keys()].map((f) => `package/${f}`).sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(writeTgz(files)).toEqual(archive); // the same files give the same bytes
});

/** A one-entry ustar archive, hand-made so it can hold what writeTgz never writes. */
function archiveWith(name: string, type = '0'): Buffer {
  const head = Buffer.alloc(512);
  head.write(name, 0);
  head.write('0000644\u0000', 100);
  head.write('00000000001\u0000', 124);
  head.write(type, 156);
  head.write('ustar\u000000', 257);
  head.write('        ', 148);
  head.write(
    `${head
      .reduce((t, b) => t + b, 0)
      .toString(8)
      .padStart(6, '0')}\u0000 `,
    148,
  );
  const body = Buffer.alloc(512);
  body.write('x');
  return gzipSync(Buffer.concat([head, body, Buffer.alloc(1024)]));
}

it('refuses an entry that leaves the package folder, and links', () => {
  expect(() => readTgz(archiveWith('package/../../evil.js'))).toThrow(/outside the package/);
  expect(() => readTgz(archiveWith('/etc/evil'))).toThrow(/outside the package/);
  expect(() => readTgz(archiveWith('package/bots/link.js', '2'))).toThrow(/not a plain file or folder/);
  expect(readTgz(archiveWith('package/ok.js'))).toEqual(new Map([['ok.js', Buffer.from('x')]]));
});
