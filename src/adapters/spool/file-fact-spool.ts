import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fact, FactSpool } from '../../app/fact-spool.js';
import { openSpoolFile, sealSpoolFile, spoolKey } from './spool-sealing.js';

/** Command fields that hold times: JSON keeps them as text, and the deciders expect dates back. */
const reviveDates = (key: string, value: unknown): unknown =>
  typeof value === 'string' && /At$/.test(key) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)
    ? new Date(value)
    : value;

/** Spool files: sealed ones, and clear ones (written without DATA_KEY, or before the spool was sealed). */
const isFactFile = (name: string) => name.endsWith('.json') || name.endsWith('.sealed');
/** A fact being written: renamed to its name once whole on disk, so that a crash never leaves half a fact. */
const partial = '.partial';
/** A fact is written in milliseconds: a `.partial` file older than this was left by a crash. */
const leftPartialAfterMs = 60_000;
/** An empty fact file, which a crash while it was written left before writes went through `.partial`. */
const torn = '.torn';

export interface FileFactSpoolOptions {
  maxFacts: number;
  /** DATA_KEY: each file is then sealed (AES-256-GCM, under a key derived from it); unset, files are clear. */
  dataKey?: Buffer | undefined;
}

/**
 * A fact spool in a folder of the local disk: one file per fact, named in arrival order, written aside and
 * flushed, then renamed (and the rename flushed) before `add` answers, so that a crash never leaves half a fact
 * under a fact's name; at open, what was half written is removed and an empty fact file (left by a crash before
 * writes went aside) is set aside as `.torn`. Holds at most `maxFacts`. Facts hold messages' text: with a DATA_KEY each file
 * is sealed (`.sealed`); clear files (`.json`) left from before are still read. A sealed file that does not open
 * makes `pending` refuse (SpoolFileUnreadableError), and stays on disk.
 *
 * @example
 * const spool = await openFileFactSpool(join(config.DATA_DIR, 'spool'), { maxFacts: 100_000, dataKey });
 */
export async function openFileFactSpool(dir: string, options: FileFactSpoolOptions): Promise<FactSpool> {
  await mkdir(dir, { recursive: true });
  // What a crash left half written was never kept (its `add` had not answered): gone. Only once old, since
  // another process sharing the folder may be writing one right now.
  for (const name of await readdir(dir)) {
    if (!name.endsWith(partial)) continue;
    const written = await stat(join(dir, name)).catch(() => undefined);
    if (written && Date.now() - written.mtimeMs > leftPartialAfterMs)
      await rm(join(dir, name), { force: true });
  }
  for (const name of (await readdir(dir)).filter(isFactFile))
    if ((await stat(join(dir, name))).size === 0) await rename(join(dir, name), join(dir, name + torn));
  const key = options.dataKey ? spoolKey(options.dataKey) : undefined;
  const extension = key ? 'sealed' : 'json';
  const names = (await readdir(dir)).filter(isFactFile).sort();
  let count = names.length;
  let sequence = names.length ? Number(names.at(-1)!.split('-')[0]) + 1 : 0;
  const prefix = `${process.pid}`;

  return {
    async add(fact) {
      if (count >= options.maxFacts) return undefined;
      const id = `${String(sequence++).padStart(12, '0')}-${prefix}.${extension}`;
      count++;
      const file = await open(join(dir, id + partial), 'wx');
      try {
        await file.writeFile(sealSpoolFile(key, JSON.stringify(fact)));
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(join(dir, id + partial), join(dir, id));
      await syncFolder(dir);
      return id;
    },
    async remove(id) {
      await rm(join(dir, id), { force: true });
      count = Math.max(0, count - 1);
    },
    async pending() {
      const current = (await readdir(dir)).filter(isFactFile).sort();
      return Promise.all(
        current.map(async (id) => {
          const json = openSpoolFile(key, id, await readFile(join(dir, id)));
          return { id, fact: JSON.parse(json, reviveDates) as Fact };
        }),
      );
    },
    size: () => count,
  };
}

/** Makes a rename in the folder durable. */
async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
