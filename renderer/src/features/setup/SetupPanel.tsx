// "Set up training" for a repository without a modelcommons.json: the data and model files found, the proposed task,
// label, features and model with a preview of the first rows, and Save (kept in the data folder; into the repo on request).
import { useEffect, useState } from 'react';
import type { Project } from '../../../../shared/contract';
import type { SetupAnswers, SetupProposal } from '../../../../shared/setup';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';

export function SetupPanel({ project, onSaved }: { project: Project; onSaved: () => void }) {
  const [answers, setAnswers] = useState<SetupAnswers>({});
  const detected = useQuery('setup:detect', { projectId: project.id, answers });
  const [features, setFeatures] = useState<string[]>([]);
  const [intoRepository, setIntoRepository] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const p = detected.data;
  useEffect(() => setFeatures(p?.features ?? []), [p]);

  const answer = (patch: SetupAnswers) => {
    setSaved(null);
    setAnswers((a) => {
      const next: SetupAnswers = { ...a, ...patch };
      // A new data file has other columns: its label and task are proposed afresh.
      if (patch.data !== undefined && patch.data !== a.data) {
        delete next.label;
        delete next.task;
      }
      return next;
    });
  };

  async function save() {
    if (!p?.manifest) return;
    setSaving(true);
    setError(null);
    try {
      const manifest = p.data?.kind === 'table' ? { ...p.manifest, data: { ...p.manifest.data, features } } : p.manifest;
      const written = await api.invoke('setup:write', { projectId: project.id, manifest, intoRepository });
      setSaved(written.repositoryPath ? `Saved. Also wrote ${written.repositoryPath} — commit it when you are ready.` : `Saved in the data folder (${written.path}); the repository is unchanged.`);
      onSaved();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="setup" aria-labelledby="setup-title">
      <h3 id="setup-title">Set up training</h3>
      <p className="muted">
        This repository has no modelcommons.json. Choose its data and model; the manifest is kept in ModelCommons&apos; data folder, so
        the repository itself is not changed.
      </p>
      {detected.error && <p role="alert" className="error">{detected.error}</p>}
      {!p && !detected.error && <p className="muted">Looking through the repository…</p>}
      {p && <SetupForm proposal={p} answers={answers} answer={answer} features={features} setFeatures={setFeatures} />}
      {p?.question && <p role="alert" className="warn">{p.question}</p>}
      {p && (
        <div className="row" style={{ alignItems: 'center', gap: 12, marginTop: 8 }}>
          <button className="primary" onClick={() => void save()} disabled={!p.manifest || saving || (p.data?.kind === 'table' && !features.length)}>
            Save
          </button>
          <label>
            <input type="checkbox" checked={intoRepository} onChange={(e) => setIntoRepository(e.target.checked)} /> Also write modelcommons.json into
            the repository (you commit it)
          </label>
        </div>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {saved && <p role="status">{saved}</p>}
    </section>
  );
}

function SetupForm(props: {
  proposal: SetupProposal;
  answers: SetupAnswers;
  answer: (patch: SetupAnswers) => void;
  features: string[];
  setFeatures: (f: string[]) => void;
}) {
  const { proposal: p, answer, features, setFeatures } = props;
  const dataChoices = [...p.dataFiles, ...p.imageFolders.map((f) => f.path)];
  const chosenData = p.data?.kind === 'table' ? p.data.file : p.data?.kind === 'images' ? p.data.folder.path : '';
  const columns = p.data?.kind === 'table' ? p.data.columns : [];
  return (
    <div className="setup-form">
      <div className="train-bar">
        <label>
          Data{' '}
          <select aria-label="Data" value={chosenData} onChange={(e) => answer({ data: e.target.value })} disabled={!dataChoices.length}>
            {!dataChoices.length && <option value="">none found</option>}
            {dataChoices.map((d) => (
              <option key={d} value={d}>
                {p.imageFolders.some((f) => f.path === d) ? `${d}/ (image folder)` : d}
              </option>
            ))}
          </select>
        </label>
        {p.data?.kind === 'table' && (
          <label>
            Label{' '}
            <select aria-label="Label" value={p.label ?? ''} onChange={(e) => answer({ label: e.target.value })}>
              {!p.label && <option value="">choose…</option>}
              {columns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Task{' '}
          <select aria-label="Task" value={p.task ?? ''} onChange={(e) => answer({ task: e.target.value as 'classification' | 'regression' })} disabled={!p.task}>
            {!p.task && <option value="">—</option>}
            <option value="classification">classification</option>
            {p.data?.kind !== 'images' && <option value="regression">regression</option>}
          </select>
        </label>
        <label>
          Model{' '}
          <select aria-label="Model" value={p.model?.kind === 'file' ? (p.model.file ?? '') : 'template'} onChange={(e) => answer({ model: e.target.value })}>
            <option value="template">a small template network</option>
            {p.modelFiles.map((f) => (
              <option key={f.path} value={f.path}>
                {f.path} ({f.kind})
              </option>
            ))}
          </select>
        </label>
      </div>
      {p.model && <p className="muted small">Model: {p.model.summary}</p>}
      {p.data?.kind === 'table' && (
        <fieldset className="setup-features">
          <legend>Features</legend>
          {columns
            .filter((c) => c.name !== p.label)
            .map((c) => {
              const why = p.leftOut.find((l) => l.column === c.name)?.reason;
              return (
                <label key={c.name} title={why} style={{ marginRight: 12 }}>
                  <input
                    type="checkbox"
                    checked={features.includes(c.name)}
                    onChange={(e) => setFeatures(e.target.checked ? columns.map((x) => x.name).filter((n) => n === c.name || features.includes(n)) : features.filter((f) => f !== c.name))}
                  />{' '}
                  {c.name} <span className="muted small">({c.type}{why ? `; left out: ${why}` : ''})</span>
                </label>
              );
            })}
        </fieldset>
      )}
      {p.data?.kind === 'table' && (
        <table className="data-table" aria-label="Preview">
          <caption>
            First rows of {p.data.file} ({p.data.rows.toLocaleString()} read)
          </caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.name} scope="col" className={c.type === 'number' ? 'num' : undefined}>
                  {c.name}
                  {c.name === p.label ? ' (label)' : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.data.preview.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j} className={columns[j]?.type === 'number' ? 'num' : undefined}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.data?.kind === 'images' && (
        <p>
          {p.data.folder.images} images in {p.data.folder.classes.length} classes ({p.data.folder.classes.slice(0, 8).join(', ')}
          {p.data.folder.classes.length > 8 ? ', …' : ''}){p.data.folder.size ? `, ${p.data.folder.size[0]}×${p.data.folder.size[1]}` : ''}
        </p>
      )}
      {p.notes.length > 0 && (
        <ul className="muted small">
          {p.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
