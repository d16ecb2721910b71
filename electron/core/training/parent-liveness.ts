// Tells a training process, synchronously and cheaply, whether the host that started it is still alive: the
// batch loop never yields, so neither the IPC `disconnect` event nor a timer can say so while it trains.
import fs from 'node:fs';

/** Read once at start: Node's `process.ppid` is a value fixed then, not a fresh getppid(). */
export function parentWatch(parentPid = process.ppid): () => boolean {
  if (process.platform === 'linux') {
    // When the parent dies the kernel re-parents us (to init or a subreaper) at once: our ppid changes.
    return () => currentLinuxPpid() !== parentPid;
  }
  // Elsewhere: the parent's pid no longer answers signal 0 (a zombie still would, until its own parent reaps it).
  return () => {
    try {
      process.kill(parentPid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  };
}

function currentLinuxPpid(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  // The command name (field 2) may hold spaces and parentheses: the fields after it start past the last ')'.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
