// A sortable contributor table that stays fast with thousands of rows: only the visible rows are in the DOM.
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { formatBytes } from '../../../../shared/format-bytes';
import { signed } from '../results/format';
import type { ScoredContributor } from './scored-contributor';

const lines = (c: ScoredContributor, k: keyof ScoredContributor['categories']) => c.categories[k].linesAdded + c.categories[k].linesDeleted;

const columns: ColumnDef<ScoredContributor>[] = [
  { id: 'name', header: 'Name', accessorFn: (c) => c.name, cell: ({ row }) => <NameCell c={row.original} /> },
  { id: 'share', header: 'Share', accessorFn: (c) => c.share, cell: ({ getValue }) => `${((getValue() as number) * 100).toFixed(1)}%` },
  { id: 'commits', header: 'Commits', accessorFn: (c) => c.commits },
  { id: 'lines', header: 'Lines +/−', accessorFn: (c) => c.linesAdded + c.linesDeleted, cell: ({ row }) => `+${row.original.linesAdded} / −${row.original.linesDeleted}` },
  { id: 'surviving', header: 'Surviving', accessorFn: (c) => c.survivingLines ?? -1, cell: ({ row }) => row.original.survivingLines ?? '—' },
  // Each category its own column, in its own units: lines (rows, for data tables) and binary files with their bytes.
  ...(['code', 'docs', 'data', 'tests', 'config'] as const).map(
    (k): ColumnDef<ScoredContributor> => ({
      id: k,
      header: k === 'data' ? 'Data rows / files' : k[0]!.toUpperCase() + k.slice(1),
      accessorFn: (c) => lines(c, k) + c.categories[k].files,
      cell: ({ row }) => {
        const { files, bytes } = row.original.categories[k];
        return files > 0 ? `${lines(row.original, k)} / ${files} files (${formatBytes(bytes)})` : lines(row.original, k);
      },
    }),
  ),
  { id: 'issues', header: 'Issues', accessorFn: (c) => c.interaction.issuesOpened },
  { id: 'answers', header: 'Answers', accessorFn: (c) => c.interaction.answers },
  { id: 'reviews', header: 'Reviews', accessorFn: (c) => c.interaction.reviews + c.reviewed },
  { id: 'coAuthored', header: 'Co-authored', accessorFn: (c) => c.coAuthored },
  { id: 'activeDays', header: 'Active days', accessorFn: (c) => c.activeDays },
  // The signed Shapley value from the last model analysis (the score's M counts only its positive part).
  {
    id: 'model',
    header: 'Model (Shapley)',
    accessorFn: (c) => c.modelShapley ?? Number.NEGATIVE_INFINITY,
    cell: ({ row }) => (row.original.modelShapley === undefined ? '—' : signed(row.original.modelShapley)),
  },
];

function NameCell({ c }: { c: ScoredContributor }) {
  return (
    <span className="name-cell">
      {c.name}
      {c.bot && <span className="badge">bot</span>}
      <span className="muted mono">{c.logins.length > 0 && c.commits === 0 ? c.logins.map((l) => `@${l}`).join(', ') : c.email}</span>
    </span>
  );
}

const ROW_HEIGHT = 44;

export function ImpactTable({ rows, selected, onSelect }: { rows: ScoredContributor[]; selected: string | null; onSelect: (email: string) => void }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'share', desc: true }]);
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const scroller = useRef<HTMLDivElement>(null);
  const all = table.getRowModel().rows;
  const virtual = useVirtualizer({ count: all.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div ref={scroller} className="table-scroller">
      <table className="data-table impact-table" aria-label="Contributor impact" aria-rowcount={all.length + 1}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((h) => {
                const sorted = h.column.getIsSorted();
                return (
                  <th key={h.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'} className={h.id === 'name' ? '' : 'num'}>
                    <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                      {flexRender(h.column.columnDef.header, h.getContext())}
                      {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {top > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columns.length} style={{ height: top, padding: 0, border: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const row = all[item.index]!;
            return (
              <tr
                key={row.id}
                aria-rowindex={item.index + 2}
                className={row.original.email === selected ? 'selected clickable' : 'clickable'}
                style={{ height: ROW_HEIGHT }}
                tabIndex={0}
                onClick={() => onSelect(row.original.email)}
                onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onSelect(row.original.email))}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={cell.column.id === 'name' ? '' : 'num'}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={columns.length} style={{ height: bottom, padding: 0, border: 0 }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
