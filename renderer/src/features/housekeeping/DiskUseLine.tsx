// How much disk a project takes: its clone folder (when the app made it) and its runs' saved models.
import { formatBytes } from '../../../../shared/format-bytes';
import { useEvent, useQuery } from '../../api/hooks';

export function DiskUseLine({ projectId }: { projectId: string }) {
  const disk = useQuery('projects:diskUse', { projectId });
  // A finished run has written its model: the runs' share grew.
  useEvent('training:finished', (run) => run.projectId === projectId && disk.reload());
  if (!disk.data) return null;
  const { cloneBytes, runsBytes, ownFolder } = disk.data;
  return (
    <p className="muted" data-testid="disk-use">
      Disk: clone {ownFolder ? formatBytes(cloneBytes) : 'in your own folder (not counted, never deleted)'} · runs&apos; models {formatBytes(runsBytes)}
    </p>
  );
}
