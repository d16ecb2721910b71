// Decides whether each feature column is numeric or categorical, honestly: a column of numbers with a stray word
// in it is a numeric column with a bad cell (an error naming file, line and column), not a column of categories.
import { AppError } from '../../app-error.js';
import type { MaybeCell, RawTable } from './read-table.js';

export type ColumnKind = 'numeric' | 'categorical';

/** A column is numeric when at least this share of its non-empty cells (over every file of the data) are numbers. */
export const NUMERIC_SHARE = 0.9;

export interface ColumnDecision {
  readonly kinds: ColumnKind[];
  /** Each table's feature values, in the order given; a non-numeric cell of an imputed numeric column is now null. */
  readonly values: MaybeCell[][][];
}

/**
 * Classifies every feature column over all `tables` (train, validation and test files: the type of a column is
 * a property of the data set, not something fitted). A column whose non-empty cells are at least 90 % numbers is
 * numeric, and its first non-numeric cell is an error — unless `imputable` covers the column, when such cells
 * count as missing and are filled like empty ones. Any other column is categorical (its numbers read as text).
 */
export function decideColumns(
  features: readonly string[],
  tables: readonly RawTable[],
  imputable: 'all' | ReadonlySet<string> | undefined,
): ColumnDecision {
  const values = tables.map((t) => t.featureValues.slice());
  const kinds = features.map((name, column): ColumnKind => {
    let numbers = 0;
    let texts = 0;
    for (const table of tables) {
      for (const cell of table.featureValues[column]!) {
        if (typeof cell === 'number') numbers++;
        else if (typeof cell === 'string') texts++;
      }
    }
    if (texts === 0) return 'numeric';
    if (numbers < NUMERIC_SHARE * (numbers + texts)) return 'categorical';
    if (imputable === 'all' || imputable?.has(name)) {
      tables.forEach((table, t) => {
        values[t]![column] = table.featureValues[column]!.map((cell) => (typeof cell === 'string' ? null : cell));
      });
      return 'numeric';
    }
    throw strayText(tables, column, name, numbers, numbers + texts);
  });
  return { kinds, values };
}

function strayText(tables: readonly RawTable[], column: number, name: string, numbers: number, total: number): AppError {
  for (const table of tables) {
    const cells = table.featureValues[column]!;
    const row = cells.findIndex((cell) => typeof cell === 'string');
    if (row < 0) continue;
    const share = Math.floor((1000 * numbers) / total) / 10;
    return new AppError(
      'training',
      `${table.file} line ${table.lines[row]}, column "${name}": "${cells[row]}" is not a number, but ${numbers} of the column's ${total} values (${share} %) are, so it is a numeric column; correct the cell, or let data.impute fill such cells`,
    );
  }
  return new AppError('training', `column "${name}": a non-numeric value in a numeric column`);
}
