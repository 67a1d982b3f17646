/** Reading what a person types: standard input for scripts, and a password prompt that does not echo. */
import { createInterface } from 'node:readline/promises';
import { CliError } from './cli-error.js';

/** All of standard input, without its final newline (`--password-stdin`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** A line typed at the terminal (the prompt goes to stderr, so stdout stays clean for scripts). */
export async function promptLine(question: string): Promise<string> {
  requireTerminal(question);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** A password typed at the terminal, not shown. */
export async function promptHidden(question: string): Promise<string> {
  requireTerminal(question);
  process.stderr.write(question);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            process.stdin.off('data', onData);
            return resolve(typed);
          }
          if (ch === '\u0003') {
            process.stdin.off('data', onData);
            return reject(new CliError('cancelled'));
          }
          typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
        }
      };
      process.stdin.on('data', onData);
    });
  } finally {
    process.stdin.setRawMode(false);
    process.stdin.pause();
    process.stderr.write('\n');
  }
}

function requireTerminal(question: string): void {
  if (!process.stdin.isTTY)
    throw new CliError(`${question.replace(/[:\s]+$/, '')}: not at a terminal (use --user and --password-stdin)`);
}
