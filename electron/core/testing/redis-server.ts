// A real redis-server for tests: on 127.0.0.1 at a free port, nothing persisted (--save '' --appendonly no), stopped
// by the test. Debian's package installs it at /usr/bin/redis-server.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (b) => (socket.destroy(), resolve(b.toString().startsWith('+PONG'))));
    socket.once('error', () => resolve(false));
  });
}

export async function startTestRedis(binary = process.env.REDIS_SERVER ?? '/usr/bin/redis-server'): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let failed: Error | null = null;
  child.once('error', (err) => (failed = err));
  for (let i = 0; i < 100 && !(await answersPing(port)); i++) {
    if (failed || child.exitCode !== null) throw new Error(`redis-server did not start (${binary}): ${(failed as Error | null)?.message ?? `exit code ${child.exitCode}`}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
