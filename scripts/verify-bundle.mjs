#!/usr/bin/env node
// Verifies a zapledger audit bundle (npm run audit -- export) offline, with nothing but Node (>= 20.12):
//   node scripts/verify-bundle.mjs <bundle.jsonl> [--public-key <base64>]
// Exit 0 and a summary when every event is intact and linked to an anchor signed by the key; exit 1 naming
// the first problem otherwise. Pass --public-key with the key the company published (npm run audit --
// public-key): without it, the bundle is only shown to be consistent with the key it names.
// It repeats the rules of src/domain/audit on purpose: a verifier must not trust the code it checks.
import { createPublicKey, hash, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export class BundleInvalidError extends Error {
  name = 'BundleInvalidError';
}

/** RFC 8785 canonical JSON, as src/domain/audit/canonical-json.ts writes it. */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}

const sha256 = (bytes) => hash('sha256', bytes, 'buffer');
const lowerHex = /^[0-9a-f]+$/;
const counting = /^(0|[1-9][0-9]*)$/;
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

function fail(line, problem) {
  throw new BundleInvalidError(line ? `line ${line}: ${problem}` : problem);
}

function expectKeys(record, keys, line) {
  const found = Object.keys(record).sort().join(',');
  if (found !== [...keys].sort().join(',')) fail(line, `expected the fields ${keys.join(', ')}`);
}

function expectHex(value, bytes, line, what) {
  if (typeof value !== 'string' || value.length !== bytes * 2 || !lowerHex.test(value))
    fail(line, `${what} must be ${bytes} bytes of lower-case hex`);
}

function eventHash(previous, event) {
  const content = sha256(
    Buffer.from(
      canonicalJson({
        data: event.data,
        id: event.id,
        metadata: event.metadata,
        stream: event.stream,
        type: event.type,
      }),
      'utf8',
    ),
  );
  const numbers = Buffer.alloc(16);
  numbers.writeBigInt64BE(BigInt(event.revision), 0);
  numbers.writeBigInt64BE(BigInt(event.recordedAtMicros), 8);
  return sha256(Buffer.concat([previous, content, numbers]));
}

function rootFromProof(proof) {
  const leaf = Buffer.from(canonicalJson([proof.stream, proof.revision, proof.hash]), 'utf8');
  let node = sha256(Buffer.concat([Buffer.from([0]), leaf]));
  for (const step of proof.path) {
    const sibling = Buffer.from(step.hash, 'hex');
    const pair = step.side === 'left' ? [sibling, node] : [node, sibling];
    node = sha256(Buffer.concat([Buffer.from([1]), ...pair]));
  }
  return node.toString('hex');
}

function checkAnchor(record, line, expectedPublicKey) {
  expectKeys(record, ['kind', 'payload', 'sequence', 'signature'], line);
  expectHex(record.signature, 64, line, 'signature');
  let payload;
  try {
    payload = JSON.parse(record.payload);
  } catch {
    fail(line, 'the anchor payload is not JSON');
  }
  if (payload.version !== 'zapledger-anchor-1' || payload.sequence !== record.sequence)
    fail(line, 'the anchor payload is not an anchor of this sequence');
  if (expectedPublicKey !== undefined && payload.publicKey !== expectedPublicKey)
    fail(line, `anchor ${record.sequence} is signed by ${payload.publicKey}, not by the expected key`);
  const key = createPublicKey({
    key: Buffer.concat([spkiPrefix, Buffer.from(String(payload.publicKey), 'base64')]),
    format: 'der',
    type: 'spki',
  });
  if (!verify(null, Buffer.from(record.payload, 'utf8'), key, Buffer.from(record.signature, 'hex')))
    fail(line, `the signature of anchor ${record.sequence} does not match`);
  return payload;
}

/**
 * Checks a bundle's text; answers what it proved or throws BundleInvalidError naming the first problem.
 * @param {string} text
 * @param {{ publicKey?: string }} [options]
 */
export function verifyBundle(text, options = {}) {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const anchors = new Map();
  const streams = new Set();
  let header;
  let current = null;
  let events = 0;
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    let record;
    try {
      record = JSON.parse(text);
    } catch {
      fail(line, 'not JSON');
    }
    if (canonicalJson(record) !== text) fail(line, 'not in canonical form: it was edited');
    if (index === 0) {
      expectKeys(record, ['kind', 'sessionId', 'version'], line);
      if (record.kind !== 'bundle' || record.version !== 'zapledger-bundle-1')
        fail(line, 'not a zapledger bundle');
      header = record;
      continue;
    }
    if (record.kind === 'anchor') {
      if (current || streams.size) fail(line, 'anchors come before the events');
      anchors.set(record.sequence, checkAnchor(record, line, options.publicKey));
    } else if (record.kind === 'event') {
      expectKeys(
        record,
        ['data', 'hash', 'id', 'kind', 'metadata', 'recordedAtMicros', 'revision', 'stream', 'type'],
        line,
      );
      if (!counting.test(record.revision) || !/^-?(0|[1-9][0-9]*)$/.test(record.recordedAtMicros))
        fail(line, 'revision and recordedAtMicros must be integers written as text');
      if (!/^[0-9a-f-]{36}$/.test(record.id)) fail(line, 'the event id must be a lower-case UUID');
      const ofSession =
        record.stream === `session-${header.sessionId}` ||
        record.stream.startsWith(`chat-${header.sessionId}_`);
      if (!ofSession) fail(line, `stream ${record.stream} is not one of session ${header.sessionId}`);
      if (current?.stream !== record.stream) {
        if (current) fail(line, `stream ${current.stream} has no proof`);
        if (streams.has(record.stream)) fail(line, `stream ${record.stream} appears twice`);
        current = { stream: record.stream, revision: -1n, previous: Buffer.alloc(32) };
      }
      if (BigInt(record.revision) !== current.revision + 1n)
        fail(line, `revision ${record.revision} of ${record.stream} does not follow ${current.revision}`);
      const computed = eventHash(current.previous, record);
      if (computed.toString('hex') !== record.hash)
        fail(line, `event ${record.id} (${record.stream} revision ${record.revision}) was changed`);
      current.previous = computed;
      current.revision += 1n;
      events += 1;
    } else if (record.kind === 'proof') {
      expectKeys(record, ['anchor', 'hash', 'kind', 'path', 'revision', 'stream'], line);
      if (!current || current.stream !== record.stream)
        fail(line, 'a proof must follow the events of its stream');
      if (record.revision !== current.revision.toString() || record.hash !== current.previous.toString('hex'))
        fail(line, `the proof of ${record.stream} is not for its last event`);
      if (!Array.isArray(record.path)) fail(line, 'path must be a list');
      for (const step of record.path) {
        expectKeys(step, ['hash', 'side'], line);
        expectHex(step.hash, 32, line, 'a path hash');
        if (step.side !== 'left' && step.side !== 'right') fail(line, 'a path side is left or right');
      }
      const anchor = anchors.get(record.anchor);
      if (!anchor) fail(line, `anchor ${record.anchor} is not in the bundle`);
      if (rootFromProof(record) !== anchor.headsRoot)
        fail(line, `${record.stream} is not under the root anchor ${record.anchor} signed`);
      streams.add(record.stream);
      current = null;
    } else fail(line, `unknown line kind ${String(record.kind)}`);
  }
  if (!header) fail(0, 'the bundle is empty');
  if (current) fail(lines.length, `stream ${current.stream} has no proof`);
  const publicKeys = [...new Set([...anchors.values()].map((anchor) => anchor.publicKey))];
  return { sessionId: header.sessionId, streams: streams.size, events, anchors: anchors.size, publicKeys };
}

function main(argv) {
  const [file, option, publicKey, ...rest] = argv;
  if (!file || (option !== undefined && (option !== '--public-key' || !publicKey)) || rest.length) {
    console.error('Usage: node scripts/verify-bundle.mjs <bundle.jsonl> [--public-key <base64>]');
    return 2;
  }
  try {
    const result = verifyBundle(readFileSync(file, 'utf8'), publicKey ? { publicKey } : {});
    console.log(
      `Verified: session ${result.sessionId}, ${result.events} events in ${result.streams} streams, ` +
        `under ${result.anchors} signed anchors (key ${result.publicKeys.join(', ')})` +
        (publicKey ? ', the expected key' : '; compare the key with the one the company published'),
    );
    return 0;
  } catch (error) {
    console.error(error instanceof BundleInvalidError ? `Invalid bundle: ${error.message}` : String(error));
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exitCode = main(process.argv.slice(2));
