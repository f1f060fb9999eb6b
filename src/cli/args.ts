import { readFile } from 'node:fs/promises';
import type { LabelMap } from '../data/labels.js';
import { type AbstentionPolicy, DEFAULT_MIN_COVERAGE } from '../model/prediction.js';
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

/** What the CLI abstains on: MIN_COVERAGE and ABSTAIN from the environment, overridden by flags. */
export async function abstentionOption(
  minCoverage: string | undefined,
  abstain?: boolean,
): Promise<AbstentionPolicy> {
  // The service's settings module (and its validation library) loads only when a variable is set:
  // a cold `predict` does not pay for it.
  const env = process.env;
  const fromEnv =
    env.MIN_COVERAGE === undefined && env.ABSTAIN === undefined
      ? { minCoverage: DEFAULT_MIN_COVERAGE, abstain: false }
      : (await import('../api/config.js')).readAbstention(env);
  return {
    minCoverage: numberOption('min-coverage', minCoverage, (n) => n >= 0 && n <= 1) ?? fromEnv.minCoverage,
    abstain: abstain ?? fromEnv.abstain,
  };
}

/** When a model counts as made: SOURCE_DATE_EPOCH's time (reproducible files), else now. */
export function creationTime(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch)
    ? new Date(Number(epoch) * 1000).toISOString()
    : new Date().toISOString();
}

/** --positive-labels and --negative-labels, as a label map (star ratings), for `command`. */
export function labelMapOption(
  command: string,
  positive: string | undefined,
  negative: string | undefined,
): LabelMap | undefined {
  if (positive === undefined && negative === undefined) return undefined;
  if (positive === undefined || negative === undefined)
    throw new UsageError(`${command}: --positive-labels and --negative-labels go together`);
  const list = (name: string, value: string) => {
    const items = value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (items.length === 0) throw new UsageError(`--${name}: expected a list such as 4,5, got "${value}"`);
    return items;
  };
  const map = { positive: list('positive-labels', positive), negative: list('negative-labels', negative) };
  const both = map.positive.filter((v) => map.negative.includes(v));
  if (both.length > 0) throw new UsageError(`${command}: ${both.join(', ')} is in both label lists`);
  return map;
}
