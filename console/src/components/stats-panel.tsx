import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import { useTexts } from '../i18n-context.js';
import type { Stats } from '../types.js';

/** The company's session counts; read again whenever `version` changes (a status frame, a list refresh). */
export function StatsPanel({ api, version }: { api: ApiClient; version: number }) {
  const t = useTexts();
  const [stats, setStats] = useState<Stats | null>(null);
  useEffect(() => {
    let current = true;
    api
      .stats()
      .then((read) => current && setStats(read))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [api, version]);
  if (!stats) return null;
  return (
    <section class="stats" aria-labelledby="stats-title">
      <h2 id="stats-title" class="visually-hidden">
        {t.stats}
      </h2>
      <dl>
        <div>
          <dt>{t.total}</dt>
          <dd>{stats.total}</dd>
        </div>
        <div>
          <dt>{t.connected}</dt>
          <dd>{stats.connected}</dd>
        </div>
        <div>
          <dt>{t.disconnectedCount}</dt>
          <dd>{stats.disconnected}</dd>
        </div>
      </dl>
    </section>
  );
}
