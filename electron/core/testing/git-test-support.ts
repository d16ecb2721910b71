// Helpers the git tests share: served fixture repositories and a look at which git processes are alive.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';

/** Live (not zombie) git processes whose command line or environment mentions one of `needles`. */
export function gitProcessesMentioning(needles: readonly string[]): string[] {
  if (!fs.existsSync('/proc/self/environ')) {
    const ps = execFileSync('ps', ['-Ao', 'pid=,stat=,command='], { encoding: 'utf8' });
    return ps
      .split('\n')
      .filter((l) => /\bgit/.test(l) && !/^\s*\d+\s+Z/.test(l) && needles.some((n) => l.includes(n)));
  }
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') continue;
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!/\bgit/.test(cmd)) continue;
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (needles.some((n) => cmd.includes(n) || env.includes(n))) found.push(`${pid} ${cmd}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** A loopback port nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Deterministic bytes that do not compress, so a pack of them is as big as they are. */
export function noise(bytes: number, seed: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; i * 32 < bytes; i++) blocks.push(crypto.createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(blocks).subarray(0, bytes);
}
