import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';

/** The model a command uses without --model: MODEL_URI, else the one `npm start` trains. */
export function defaultModel(given: string | undefined): string {
  return given ?? process.env.MODEL_URI ?? 'models/default/model.sntm';
}

/** Runs an argument parser, turning its errors into usage errors that name the command. */
export function parseOrExplain<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}

export function numberOption(
  name: string,
  value: string | undefined,
  check: (n: number) => boolean = Number.isFinite,
  /** What a valid value is, for the message ("a fraction in [0, 1)"). */
  expected?: string,
) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !check(n))
    throw new UsageError(`--${name}: "${value}" is not ${expected ?? 'a valid value'}`);
  return n;
}

export function rangeOption(name: string, value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)(?:[-,:](\d+))?$/.exec(value);
  if (!match) throw new UsageError(`--${name}: expected "min,max" such as 1,2, got "${value}"`);
  const low = Number(match[1]);
  const high = Number(match[2] ?? match[1]);
  if (low < 1 || high < low || high > 5)
    throw new UsageError(`--${name}: need 1 <= min <= max <= 5, got "${value}"`);
  return [low, high];
}

/** Reads and parses a JSON file named on the command line; `where` prefixes the usage errors. */
export async function readJsonFile(file: string, where: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new UsageError(`${where}: cannot read ${file} (${error.message})`);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where}: ${file} is not valid JSON (${(error as Error).message})`);
  }
}
