// A project's last model-impact analysis and the last bisect on it (migration 14), so the Results & credit view
// shows them after a reload and the score's model term M can be read without training anything. A stored report
// of an older shape (one this version cannot parse) reads as none.
import { ModelBisectResult, ModelImpact, StoredModelImpact } from '../../../shared/impact.js';
import type { Db } from './database.js';

interface Row {
  report_json: string;
  analysed_at: string;
  bisect_json: string | null;
}

export class ModelImpactReportsRepository {
  constructor(private readonly db: Db) {}

  /** The project's last analysis, or null when none is stored (or it no longer parses). */
  get(projectId: string): StoredModelImpact | null {
    const row = this.db.prepare<[string], Row>('SELECT report_json, analysed_at, bisect_json FROM model_impact_reports WHERE project_id = ?').get(projectId);
    if (!row) return null;
    const parsed = StoredModelImpact.safeParse({
      report: safeJson(row.report_json),
      analysedAt: row.analysed_at,
      bisect: row.bisect_json === null ? null : safeJson(row.bisect_json),
    });
    return parsed.success ? parsed.data : null;
  }

  /** Keeps this analysis as the project's last one; the bisect stored with the one before is dropped. */
  saveReport(projectId: string, report: ModelImpact, analysedAt = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO model_impact_reports (project_id, report_json, analysed_at, bisect_json) VALUES (?, ?, ?, NULL)
         ON CONFLICT (project_id) DO UPDATE SET report_json = excluded.report_json, analysed_at = excluded.analysed_at, bisect_json = NULL`,
      )
      .run(projectId, JSON.stringify(ModelImpact.parse(report)), analysedAt);
  }

  /** Keeps a bisect beside the last analysis; without a stored analysis there is nothing to keep it with. */
  saveBisect(projectId: string, bisect: ModelBisectResult): void {
    this.db.prepare('UPDATE model_impact_reports SET bisect_json = ? WHERE project_id = ?').run(JSON.stringify(ModelBisectResult.parse(bisect)), projectId);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
