import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { type AbstentionPolicy, toResult } from '../model/prediction.js';
import type { SentimentModel } from '../model/sentiment-model.js';
import { loadModel } from '../store/load-model.js';
import { abstentionOption, defaultModel, numberOption, parseOrExplain } from './args.js';
import { UsageError } from './errors.js';
import { progressReporter, rateAndEta } from './progress.js';

export const PREDICT_HELP = `sentiment predict [--model <path|s3-uri>] [--explain] [--top <k>] [text ...]
sentiment predict [--model <path|s3-uri>] --data <reviews.csv|.jsonl[.gz]> --out <predictions.csv|.jsonl> [--keep id,...] [--workers n]

Predicts each text argument, or each line of standard input when there is none, printing one JSON
object per line in input order: sentiment, confidence, probabilityPositive, priorOnly, coverage,
abstained (the fields of the API). Blank input lines are skipped with a warning. --model defaults
to MODEL_URI, else models/default/model.sntm (the model npm start trains).
  --explain                 add the intercept and the n-grams that pushed hardest each way
  --top <k>                 how many n-grams per side (default 5)
  --min-coverage <f>        abstain below this share of known n-grams (default: MIN_COVERAGE or 0.4)
  --abstain                 say "unknown" when abstaining (default: ABSTAIN=true in the environment)

With --data, scores a whole file instead, streaming (constant memory for any size), into --out in
input order: the --keep columns, then sentiment, confidence, probabilityPositive, coverage,
abstained, priorOnly, and error for a row with no text. The text column is detected as train
detects it (or --text-column); with a label column, the accuracy is printed.
  --workers <n>             scoring threads (default: all cores)
  --text-column, --label-column   as for train`;

function answer(
  model: SentimentModel,
  text: string,
  policy: AbstentionPolicy,
  explain: boolean,
  top: number,
): string {
  if (!explain) return JSON.stringify(toResult(model.predict(text), policy));
  const { prediction, intercept, positive, negative } = model.explain(text, top);
  return JSON.stringify({ ...toResult(prediction, policy), explanation: { intercept, positive, negative } });
}

export async function predictCommand(
  argv: string[],
  print: (line: string) => void,
  stdin: NodeJS.ReadableStream = process.stdin,
  warn: (line: string) => void = (line) => console.error(line),
): Promise<void> {
  const { values, positionals } = parseOrExplain('predict', () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        explain: { type: 'boolean', default: false },
        top: { type: 'string', default: '5' },
        'min-coverage': { type: 'string' },
        abstain: { type: 'boolean' },
        data: { type: 'string' },
        out: { type: 'string' },
        keep: { type: 'string' },
        workers: { type: 'string' },
        'text-column': { type: 'string' },
        'label-column': { type: 'string' },
      },
    }),
  );
  const top = numberOption('top', values.top, (n) => Number.isInteger(n) && n > 0 && n <= 100)!;
  const policy = await abstentionOption(values['min-coverage'], values.abstain);
  const started = performance.now();
  if ((values.data === undefined) !== (values.out === undefined))
    throw new UsageError('predict: --data and --out go together');
  // Lazy: a process that answers a few reviews and exits spends nothing on the vocabulary's hash
  // index; one that answers many builds it once lookups would have paid for it (worker threads, which
  // score --data, build their own while loading).
  const { model, artifact } = await loadModel(defaultModel(values.model), undefined, undefined, undefined, {
    vocabularyIndex: 'lazy',
  });
  if (values.data !== undefined && values.out !== undefined) {
    const workers =
      numberOption(
        'workers',
        values.workers,
        (n) => Number.isInteger(n) && n >= 1 && n <= 256,
        'a whole number of threads from 1',
      ) ?? availableParallelism();
    const bar = process.stderr.isTTY ? progressReporter('scoring') : null;
    // The file scorer (readers, gzip, worker threads) loads only for --data: a one-review cold start
    // does not pay for it.
    const { scoreFile } = await import('../batch/score-file.js');
    const summary = await scoreFile({
      model,
      modelBytes: artifact,
      input: values.data,
      output: values.out,
      keep: values.keep
        ?.split(',')
        .map((c) => c.trim())
        .filter((c) => c !== ''),
      textColumn: values['text-column'],
      labelColumn: values['label-column'],
      policy,
      workers,
      // On a terminal: the share of the file read, the rate, and the time left at that rate.
      onProgress: bar
        ? (rows, fraction) =>
            bar.update(
              Math.round(fraction * 100),
              100,
              '%',
              rateAndEta(rows, fraction, (performance.now() - started) / 1000),
            )
        : undefined,
    });
    bar?.done();
    warn(
      `scored ${summary.scored} of ${summary.rows} rows into ${values.out} in ${summary.seconds.toFixed(2)} s (${Math.round(summary.rows / summary.seconds)} reviews/s, ${summary.workers} thread${summary.workers === 1 ? '' : 's'})${summary.errors ? `; ${summary.errors} rows had no text` : ''}`,
    );
    if (summary.accuracy !== null)
      warn(`accuracy ${(summary.accuracy * 100).toFixed(2)}% on ${summary.labelled} labelled rows`);
    return;
  }
  if (positionals.length > 0) {
    for (const text of positionals) print(answer(model, text, policy, values.explain, top));
    return;
  }
  let lineNumber = 0;
  let blank = 0;
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber++;
    if (line.trim() === '') {
      blank++;
      warn(`predict: skipped blank line ${lineNumber}`);
      continue;
    }
    print(answer(model, line, policy, values.explain, top));
  }
  if (blank > 1) warn(`predict: skipped ${blank} blank lines in all`);
}
