// Variables and secrets for the next run. Secret values are never shown and stay in this session only.

import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/context.js';

export function VariablesEditor() {
  const variables = useApp(useShallow((s) => s.variables));
  const secretKeys = useApp(useShallow((s) => Object.keys(s.secrets)));
  const setVariable = useApp((s) => s.setVariable);
  const saveSecrets = useApp((s) => s.saveSecrets);
  const saved = useApp((s) => s.secretsSaved);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [secret, setSecret] = useState(false);
  const validKey = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);

  return (
    <section className="panel variables" aria-label="Variables">
      <h2>Variables for the next run</h2>
      <ul>
        {Object.entries(variables).map(([k, v]) => (
          <li key={`v-${k}`}>
            <code>{k}</code> = <code>{v}</code>
            <button type="button" className="link" onClick={() => setVariable('variables', k, undefined)} aria-label={`Remove ${k}`}>
              remove
            </button>
          </li>
        ))}
        {secretKeys.map((k) => (
          <li key={`s-${k}`}>
            <code>{k}</code> = <code>[MASKED]</code> <span className="muted">secret, this session only</span>
            <button type="button" className="link" onClick={() => setVariable('secrets', k, undefined)} aria-label={`Remove ${k}`}>
              remove
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!validKey) return;
          setVariable(secret ? 'secrets' : 'variables', key, value);
          setKey('');
          setValue('');
        }}
      >
        <input aria-label="Variable name" placeholder="NAME" value={key} onChange={(e) => setKey(e.target.value)} />
        <input aria-label="Variable value" placeholder="value" type={secret ? 'password' : 'text'} value={value} onChange={(e) => setValue(e.target.value)} />
        <label>
          <input type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} /> secret (masked)
        </label>
        <button type="submit" disabled={!validKey}>
          Add
        </button>
      </form>
      {secretKeys.length > 0 && (
        <p>
          <button type="button" onClick={() => void saveSecrets()}>
            Save secrets to .jobsim/secrets.env
          </button>{' '}
          <span className="muted">
            {saved?.file ? `saved to ${saved.file} (git-ignored; jobsim run reads it)` : saved?.error ? '' : 'otherwise they are forgotten when you close jobsim'}
          </span>
          {saved?.error && <span className="error"> {saved.error}</span>}
        </p>
      )}
    </section>
  );
}
