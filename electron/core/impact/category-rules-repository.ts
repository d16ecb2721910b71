// Per-project category rules (path glob → category) a person sets in ModelCommons; checked before the defaults on
// every analysis. They apply at aggregation, so changing them reads nothing from git again.
import type { Db } from '../store/database.js';
import { globToRegExp, unknownCategory, type Category, type CategoryRule } from './categories.js';

export class CategoryRulesRepository {
  constructor(private readonly db: Db) {}

  get(projectId: string): CategoryRule[] {
    const json = this.db.prepare(`SELECT rules FROM impact_category_rules WHERE project_id = ?`).pluck().get(projectId) as string | undefined;
    return json === undefined ? [] : (JSON.parse(json) as CategoryRule[]);
  }

  /** Replaces the project's rules (an empty list removes them). Throws RangeError naming a bad rule. */
  set(projectId: string, rules: readonly CategoryRule[]): CategoryRule[] {
    const clean = rules.map((r, i) => {
      const pattern = r.pattern.trim();
      if (!pattern) throw new RangeError(`Rule ${i + 1} has no path pattern`);
      const unknown = unknownCategory(i, pattern, r.category);
      if (unknown) throw new RangeError(unknown);
      globToRegExp(pattern); // a pattern that cannot compile fails here, not during an analysis
      return { pattern, category: r.category as Category };
    });
    if (!clean.length) {
      this.db.prepare(`DELETE FROM impact_category_rules WHERE project_id = ?`).run(projectId);
      return [];
    }
    this.db
      .prepare(`INSERT OR REPLACE INTO impact_category_rules (project_id, rules, updated_at) VALUES (?, ?, ?)`)
      .run(projectId, JSON.stringify(clean), new Date().toISOString());
    return clean;
  }
}
