// Whether a process id still answers: the store's records of a clone, a run or a job name the process that owned
// them, and one whose process is gone was interrupted (EPERM: alive, but another user's).
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
