import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from './config.js';

/** README.md's configuration table, as written: variable name → default cell (`` `value` `` or `—`). */
interface TableRow {
  variable: string;
  defaultCell: string;
  line: number;
}

const noDefault = '—';

function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

/** Reads the table whose header is `| variable | default | meaning |` (however Prettier pads it). */
function readConfigurationTable(markdown: string): TableRow[] {
  const lines = markdown.split('\n');
  const headers = lines.flatMap((line, index) =>
    line.trimStart().startsWith('|') && cellsOf(line).join('|') === 'variable|default|meaning' ? [index] : [],
  );
  if (headers.length !== 1) {
    throw new Error(
      `README.md: expected one "| variable | default | meaning |" table, found ${headers.length}`,
    );
  }
  const header = headers[0]!;
  if (!/^\|(\s*:?-+:?\s*\|){3}$/.test(lines[header + 1]?.trim() ?? '')) {
    throw new Error(`README.md line ${header + 2}: expected the table's separator row`);
  }
  const rows: TableRow[] = [];
  for (let index = header + 2; index < lines.length && lines[index]!.trimStart().startsWith('|'); index++) {
    const cells = cellsOf(lines[index]!);
    const line = index + 1;
    if (cells.length !== 3)
      throw new Error(`README.md line ${line}: expected 3 cells, found ${cells.length}`);
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0]!);
    if (!name)
      throw new Error(`README.md line ${line}: the variable must be written as \`NAME\`: ${cells[0]}`);
    rows.push({ variable: name[1]!, defaultCell: cells[1]!, line });
  }
  return rows;
}

/** What the table must say for a default: `` `String(value)` ``, or `—` when there is none. */
function expectedCell(value: string | number | boolean | undefined): string {
  return value === undefined ? noDefault : `\`${String(value)}\``;
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const rows = readConfigurationTable(readme);
const schemaVariables = Object.keys(configSchema.shape).sort();
// Every setting is a string, a number or a boolean; this fails to compile if one ever is not.
const defaults: Partial<Record<string, string | number | boolean>> = loadConfig({});

describe("README.md's configuration table", () => {
  it('has at least one row and no variable twice', () => {
    expect(rows.length).toBeGreaterThan(0);
    const names = rows.map((row) => row.variable);
    const twice = names.filter((name, index) => names.indexOf(name) !== index);
    expect(twice, 'variables listed more than once').toEqual([]);
  });

  it('lists exactly the variables of src/config.ts', () => {
    const listed = new Set(rows.map((row) => row.variable));
    const missing = schemaVariables.filter((name) => !listed.has(name));
    const extra = [...listed].filter((name) => !schemaVariables.includes(name)).sort();
    expect(
      { missingFromReadme: missing, notInConfigTs: extra },
      `README.md lacks ${missing.join(', ') || 'nothing'}; lists unknown ${extra.join(', ') || 'nothing'}`,
    ).toEqual({ missingFromReadme: [], notInConfigTs: [] });
  });

  it("gives each variable the schema's default (`String(default)` in backticks, — for none)", () => {
    const wrong = rows
      .filter((row) => schemaVariables.includes(row.variable))
      .filter((row) => row.defaultCell !== expectedCell(defaults[row.variable]))
      .map(
        (row) =>
          `${row.variable} (README.md line ${row.line}): ${row.defaultCell}, expected ${expectedCell(defaults[row.variable])}`,
      );
    expect(wrong).toEqual([]);
  });

  it('reads defaults that loadConfig really applies', () => {
    // Guards the comparison above: an empty environment must parse, and give the well-known defaults.
    expect(defaults).toMatchObject({ DATA_DIR: './data', PORT: 3000, EVENT_STORE: 'postgres' });
    expect(defaults.DATABASE_URL).toBeUndefined();
  });
});
