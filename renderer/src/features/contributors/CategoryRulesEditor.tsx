// This project's own category rules ("notebooks/** = docs"), checked before the documented defaults.
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useQuery } from '../../api/hooks';

export function CategoryRulesEditor({ projectId, onSaved }: { projectId: string; onSaved: () => void }) {
  const current = useQuery('impact:categoryRules', { projectId });
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data) setText(current.data.rules.map((r) => `${r.pattern} = ${r.category}`).join('\n'));
  }, [current.data]);

  async function save() {
    setError(null);
    setSaved(false);
    const rules = [];
    for (const [i, line] of text.split('\n').entries()) {
      if (!line.trim()) continue;
      const at = line.lastIndexOf('=');
      if (at <= 0) return setError(`Line ${i + 1}: write "pattern = category"`);
      rules.push({ pattern: line.slice(0, at).trim(), category: line.slice(at + 1).trim() as 'code' });
    }
    try {
      await api.invoke('impact:setCategoryRules', { projectId, rules });
      setSaved(true);
      current.reload();
      onSaved();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <details className="category-rules">
      <summary>Category rules</summary>
      <p className="muted small">
        One rule a line, <span className="mono">glob = category</span> (code, docs, data, config, tests); they are checked before the defaults,
        first match wins.
      </p>
      <textarea
        aria-label="Category rules for this project"
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="notebooks/** = docs"
        className="mono"
      />
      <div className="row">
        <button type="button" onClick={save}>
          Save rules
        </button>
        {saved && <span role="status">Saved</span>}
        {error && <span role="alert" className="error">{error}</span>}
      </div>
      {current.data && (
        <details>
          <summary className="muted small">The defaults ({current.data.defaults.length} rules)</summary>
          <ul className="mono small">
            {current.data.defaults.map((r) => (
              <li key={`${r.pattern}:${r.category}`}>
                {r.pattern} = {r.category}
              </li>
            ))}
          </ul>
        </details>
      )}
    </details>
  );
}
