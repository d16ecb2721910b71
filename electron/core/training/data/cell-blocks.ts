// A table's feature cells as they are read, row-major in Float64Array blocks (numbers unboxed, the rare text or
// missing cell kept on the side), turned into one array per column at the end: pushing tens of millions of cells
// into per-column JS arrays costs several times more than writing them here and copying each column once.
import type { MaybeCell } from './read-table.js';

/** Rows per block: blocks are never copied as the table grows. */
const BLOCK_ROWS = 1024;

export class CellBlocks {
  private readonly blocks: Float64Array[] = [];
  /** Per column: the cells that are not numbers (text, or null for an imputable missing value), by row. */
  private readonly others: (Map<number, MaybeCell> | null)[];

  constructor(private readonly columns: number) {
    this.others = Array.from({ length: columns }, () => null);
  }

  set(row: number, column: number, value: MaybeCell): void {
    const block = this.block(row); // also for a row without numbers: every row below `rows` has its block
    if (typeof value === 'number') block[this.offset(row) + column] = value;
    else (this.others[column] ??= new Map()).set(row, value);
  }

  /** The block holding `row` (its cells start at `offset(row)`), for a reader that writes numbers directly. */
  block(row: number): Float64Array {
    const index = row >> 10;
    while (this.blocks.length <= index) this.blocks.push(new Float64Array(BLOCK_ROWS * this.columns));
    return this.blocks[index]!;
  }

  offset(row: number): number {
    return (row & (BLOCK_ROWS - 1)) * this.columns;
  }

  /** One array per column, `rows` long. */
  toColumns(rows: number): MaybeCell[][] {
    const out: MaybeCell[][] = [];
    // Eight columns at a time: eight neighbouring doubles share a cache line, so each line is loaded once, not eight times.
    for (let first = 0; first < this.columns; first += 8) {
      const group: MaybeCell[][] = [];
      for (let column = first; column < Math.min(first + 8, this.columns); column++) group.push(new Array<MaybeCell>(rows));
      for (let row = 0; row < rows; row++) {
        const block = this.blocks[row >> 10]!;
        const at = (row & (BLOCK_ROWS - 1)) * this.columns + first;
        for (let k = 0; k < group.length; k++) group[k]![row] = block[at + k]!;
      }
      group.forEach((values, k) => {
        for (const [row, value] of this.others[first + k] ?? []) values[row] = value;
        out.push(values);
      });
    }
    return out;
  }
}
