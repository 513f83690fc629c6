import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import type { BenchResult } from './support/bench-result.js';
import { auditVerifyBench } from './audit-verify.bench.js';
import { decisionBench } from './decision.bench.js';
import { fanoutBench } from './fanout.bench.js';
import { ingestBench } from './ingest.bench.js';
import { mediaBench } from './media.bench.js';
import { ingestSealingBench } from './ingest-sealing.bench.js';
import { memoryBench } from './memory.bench.js';
import { readBench } from './read.bench.js';
import { sendBench } from './send.bench.js';
import { rebuildBench } from './rebuild.bench.js';
import { webhooksBench } from './webhooks.bench.js';

const benches: Record<string, () => Promise<BenchResult>> = {
  ingest: () => ingestBench(),
  rebuild: () => rebuildBench(),
  fanout: () => fanoutBench(),
  memory: () => memoryBench(),
  read: () => readBench(),
  send: () => sendBench(),
  decision: () => decisionBench(),
  webhooks: () => webhooksBench(),
  'audit-verify': () => auditVerifyBench(),
  media: () => mediaBench(),
  'ingest-sealing': () => ingestSealingBench(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}

const results: BenchResult[] = [];
for (const name of wanted.length ? wanted : Object.keys(benches)) {
  console.log(`${name}…`);
  const result = await benches[name]!();
  console.log(
    `  ${Object.entries(result)
      .filter(([key]) => key !== 'name')
      .map(([key, value]) => `${key}=${value}`)
      .join('  ')}`,
  );
  results.push(result);
}

const file = new URL('./results/latest.json', import.meta.url);
const previous = await readFile(file, 'utf8').then(
  (text) => JSON.parse(text) as { results: BenchResult[] },
  () => ({ results: [] }),
);
const merged = [...previous.results.filter((r) => !results.some((n) => n.name === r.name)), ...results];
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(
  file,
  `${JSON.stringify({ ranAt: new Date().toISOString(), machine, results: merged }, null, 2)}\n`,
);
process.exit(0);
