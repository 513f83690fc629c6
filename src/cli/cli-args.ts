import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses `--name value` options, turning a mistake into a UsageError that says how to call the command. */
export function cliArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  options: T,
  usage: string,
  args: string[] = process.argv.slice(2),
) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\nUsage: ${usage}`);
  }
}
