import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readDataset } from '../data/read.js';
import { applyOverrides, type Overrides, overridesSchema } from '../training/config.js';
import { type CountingThreads, countingThreadsFor } from '../training/parallel-count.js';
import { isPresetName, PRESETS } from '../training/presets.js';
import { runTraining } from '../training/train.js';
import {
  creationTime,
  labelMapOption,
  numberOption,
  parseOrExplain,
  rangeOption,
  readJsonFile,
} from './args.js';
import { UsageError } from './errors.js';
import { progressReporter } from './progress.js';

export const TRAIN_HELP = `sentiment train --data <path> [options]

Trains a model and writes model.sntm, metrics.json, report.html and model-card.md to --out.

  --data <path>             training data: CSV (.csv/.csv.gz), JSON Lines (.jsonl), an aclImdb
                            folder or aclImdb_v1.tar.gz (its train split); repeat it to train on
                            several sources together (IMDb plus your own reviews)
  --weight <w>              weight of each --data source's rows in the loss, in the same order
                            (default 1 each): "--data imdb.csv --data mine.csv --weight 1 --weight 3"
  --positive-labels <list>  label values that count as positive, e.g. 4,5 for star ratings
  --negative-labels <list>  label values that count as negative, e.g. 1,2; rows with other values
                            (3 stars) are left out and counted (both flags go together)
  --test <path>             test data, only to report (an aclImdb source reads its test split)
  --eval <path>             an extra labelled set to report the same way (repeatable): another
                            domain such as short snippets or product reviews
  --out <dir>               output folder (default: models/<preset>)
  --preset <name>           seed | default | accurate (default: default)
  --config <file.json>      overrides: {"tfidf": {...}, "logisticRegression": {...}, "naiveBayesAlpha": ...}
  --validation-split <f>    fraction of the training data held out for validation (default 0.1; 0 = none)
  --search                  choose C and the n-gram range on the validation split
  --seed <n>                seed of the split (default 42)
  --text-column <name>      CSV column with the review (detected by default)
  --label-column <name>     CSV column with the label (detected by default)
  --skip-invalid            skip malformed rows and report how many
  --threads <n>             threads counting n-grams and solving (default: all cores); the model is the same
  Overrides: --C <n>, --ngram-range <min,max>, --min-df <n>, --max-df <n>, --max-features <n>,
  --sublinear-tf, --binary, --stop-words english, --strip-accents unicode|ascii, --strip-html,
  --nb-alpha <n>, --sentence-weight <w> (0 = off), --max-iter <n>, --tol <n>`;

export async function trainCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseOrExplain('train', () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string', multiple: true },
        weight: { type: 'string', multiple: true },
        'positive-labels': { type: 'string' },
        'negative-labels': { type: 'string' },
        test: { type: 'string' },
        eval: { type: 'string', multiple: true },
        out: { type: 'string' },
        preset: { type: 'string', default: 'default' },
        config: { type: 'string' },
        'validation-split': { type: 'string', default: '0.1' },
        search: { type: 'boolean', default: false },
        seed: { type: 'string', default: '42' },
        'text-column': { type: 'string' },
        'label-column': { type: 'string' },
        'skip-invalid': { type: 'boolean', default: false },
        threads: { type: 'string' },
        C: { type: 'string' },
        'ngram-range': { type: 'string' },
        'min-df': { type: 'string' },
        'max-df': { type: 'string' },
        'max-features': { type: 'string' },
        'sublinear-tf': { type: 'boolean' },
        binary: { type: 'boolean' },
        'stop-words': { type: 'string' },
        'strip-accents': { type: 'string' },
        'strip-html': { type: 'boolean' },
        'nb-alpha': { type: 'string' },
        'sentence-weight': { type: 'string' },
        'max-iter': { type: 'string' },
        tol: { type: 'string' },
      },
    }),
  );
  const paths = values.data ?? [];
  if (paths.length === 0) throw new UsageError('train: --data <path> is required');
  const weights = (values.weight ?? []).map(
    (w) => numberOption('weight', w, (n) => Number.isFinite(n) && n > 0)!,
  );
  if (weights.length > 0 && weights.length !== paths.length)
    throw new UsageError(
      `train: ${weights.length} --weight for ${paths.length} --data; give one weight per source, in order`,
    );
  const labelMap = labelMapOption('train', values['positive-labels'], values['negative-labels']);
  if (!isPresetName(values.preset))
    throw new UsageError(`train: unknown preset "${values.preset}" (seed, default, accurate)`);
  const validationSplit = numberOption(
    'validation-split',
    values['validation-split'],
    (n) => n >= 0 && n < 1,
    'a fraction from 0 (no validation) up to but not including 1, such as 0.1',
  )!;
  const seed = numberOption('seed', values.seed, Number.isInteger)!;

  let fileOverrides: Overrides = {};
  if (values.config) {
    const parsed = overridesSchema.safeParse(await readJsonFile(values.config, '--config'));
    if (!parsed.success) throw new UsageError(`--config ${values.config}: ${parsed.error.message}`);
    fileOverrides = parsed.data;
  }
  const positive = (n: number) => Number.isFinite(n) && n > 0;
  const flags: Overrides = {
    tfidf: definedOnly({
      ngramRange: rangeOption('ngram-range', values['ngram-range']),
      minDf: numberOption('min-df', values['min-df'], (n) => n >= 0),
      maxDf: numberOption('max-df', values['max-df'], positive),
      maxFeatures: numberOption('max-features', values['max-features'], (n) => Number.isInteger(n) && n > 0),
      sublinearTf: values['sublinear-tf'],
      binary: values.binary,
      stripHtml: values['strip-html'],
      stopWords: enumOption('stop-words', values['stop-words'], ['none', 'english'] as const),
      stripAccents: enumOption('strip-accents', values['strip-accents'], [
        'none',
        'ascii',
        'unicode',
      ] as const),
    }),
    logisticRegression: definedOnly({
      C: numberOption('C', values.C, positive),
      maxIter: numberOption('max-iter', values['max-iter'], (n) => Number.isInteger(n) && n > 0),
      tol: numberOption('tol', values.tol, positive),
    }),
    ...(values['nb-alpha'] === undefined
      ? {}
      : { naiveBayesAlpha: numberOption('nb-alpha', values['nb-alpha'], positive) }),
    ...(values['sentence-weight'] === undefined
      ? {}
      : {
          sentenceWeight:
            numberOption('sentence-weight', values['sentence-weight'], (n) => Number.isFinite(n) && n >= 0) ||
            null,
        }),
  };
  const options = applyOverrides(PRESETS[values.preset], fileOverrides, flags);

  const readOptions = {
    textColumn: values['text-column'],
    labelColumn: values['label-column'],
    skipInvalid: values['skip-invalid'],
    labelMap,
  };
  const threads = numberOption(
    'threads',
    values.threads,
    (n) => Number.isInteger(n) && n >= 1 && n <= 256,
    'a whole number of threads from 1',
  );
  const countingThreads = await countingThreadsAhead(paths, threads);
  try {
    const readStarted = performance.now();
    const sources = [];
    for (const [i, path] of paths.entries()) {
      const dataset = await readDataset(path, { ...readOptions, split: 'train' });
      const weight = weights[i] ?? 1;
      log(
        `read ${dataset.texts.length} training reviews from ${dataset.source}${weight === 1 ? '' : ` (weight ${weight})`}${dataset.skipped ? ` (skipped ${dataset.skipped} invalid rows)` : ''}${dataset.otherLabels ? ` (left out ${dataset.otherLabels} rows with other labels)` : ''}`,
      );
      sources.push({ dataset, weight });
    }
    const test = values.test ? await readDataset(values.test, { ...readOptions, split: 'test' }) : undefined;
    if (test)
      log(
        `read ${test.texts.length} test reviews from ${test.source}${test.skipped ? ` (skipped ${test.skipped})` : ''}`,
      );
    const evals = [];
    for (const path of values.eval ?? []) {
      const dataset = await readDataset(path, { ...readOptions, split: 'test' });
      log(`read ${dataset.texts.length} reviews to report on from ${dataset.source}`);
      evals.push(dataset);
    }
    log(`read in ${((performance.now() - readStarted) / 1000).toFixed(1)} s; preset ${values.preset}`);

    // A redrawn bar on a terminal; on a pipe or in CI, the log lines alone.
    const bar = process.stderr.isTTY ? progressReporter('vectorizing') : null;
    const progress = bar
      ? {
          vectorizing: (done: number, total: number) => {
            bar.update(done, total, 'reviews');
            if (done === total) bar.done();
          },
          solving: (iteration: number, relative: number) =>
            process.stderr.write(
              `\rNewton iteration ${iteration}: relative gradient norm ${relative.toExponential(2)}   `,
            ),
        }
      : undefined;
    const createdAt = creationTime();
    await runTraining({
      sources,
      test,
      evals,
      preset: values.preset,
      options,
      validationSplit,
      search: values.search,
      seed,
      outDir: values.out ?? `models/${values.preset}`,
      createdAt,
      log: (line) => log(bar ? `\r\x1b[K${line}` : line),
      progress,
      threads,
      countingThreads,
    });
  } finally {
    countingThreads?.close();
  }
}

/** Below this many bytes of training files, the data is read too fast to hide a thread's start. */
export const START_AHEAD_BYTES = 4 << 20;

/**
 * Counting threads for training files that take a while to read (`START_AHEAD_BYTES` in all): they
 * start now and load their modules while the files are read. None for smaller files, whose counts
 * start their threads when they need them (or count in place).
 */
export async function countingThreadsAhead(
  paths: readonly string[],
  threads?: number,
): Promise<CountingThreads | undefined> {
  return (await totalBytes(paths)) >= START_AHEAD_BYTES ? countingThreadsFor(threads) : undefined;
}

/** The size of the files at `paths` (0 for what is not a file). */
async function totalBytes(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const path of paths) {
    const found = await stat(path).catch(() => null);
    if (found?.isFile()) total += found.size;
  }
  return total;
}

function enumOption<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name}: one of ${allowed.join(', ')}`);
  return value as T;
}

function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Partial<T>;
}
