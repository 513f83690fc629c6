import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fact, FactSpool } from '../../app/fact-spool.js';

/** Command fields that hold times: JSON keeps them as text, and the deciders expect dates back. */
const reviveDates = (key: string, value: unknown): unknown =>
  typeof value === 'string' && /At$/.test(key) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)
    ? new Date(value)
    : value;

/**
 * A fact spool in a folder of the local disk: one file per fact, named in arrival order, written and flushed
 * to disk before `add` answers. Holds at most `maxFacts`.
 *
 * @example
 * const spool = await openFileFactSpool(join(config.DATA_DIR, 'spool'), { maxFacts: 100_000 });
 */
export async function openFileFactSpool(dir: string, options: { maxFacts: number }): Promise<FactSpool> {
  await mkdir(dir, { recursive: true });
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  let count = names.length;
  let sequence = names.length ? Number(names.at(-1)!.split('-')[0]) + 1 : 0;
  const prefix = `${process.pid}`;

  return {
    async add(fact) {
      if (count >= options.maxFacts) return undefined;
      const id = `${String(sequence++).padStart(12, '0')}-${prefix}.json`;
      count++;
      const file = await open(join(dir, id), 'wx');
      try {
        await file.writeFile(JSON.stringify(fact));
        await file.sync();
      } finally {
        await file.close();
      }
      return id;
    },
    async remove(id) {
      await rm(join(dir, id), { force: true });
      count = Math.max(0, count - 1);
    },
    async pending() {
      const current = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
      return Promise.all(
        current.map(async (id) => ({
          id,
          fact: JSON.parse(await readFile(join(dir, id), 'utf8'), reviveDates) as Fact,
        })),
      );
    },
    size: () => count,
  };
}
