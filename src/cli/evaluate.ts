import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readDataset } from '../data/read.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { loadModel } from '../store/load-model.js';
import { type DomainResult, domainTable, evaluateDomain } from '../training/domains.js';
import { renderDomainReport } from '../training/report.js';
import { summarize } from '../training/train.js';
import { abstentionOption, defaultModel, parseOrExplain } from './args.js';
import { UsageError } from './errors.js';

export const EVALUATE_HELP = `sentiment evaluate [--model <path|s3-uri>] --data <path> [--data <path> ...] [--json] [--report <file.html>]

Scores labelled datasets (any format train reads; an aclImdb source reads its test split) and
prints one row per set: accuracy, ROC AUC, log loss, calibration error (ECE), the share predicted
positive against the share that is, abstentions (coverage below --min-coverage) and the accuracy on
the rest. Several --data show how the model holds up away from its training domain. --model
defaults to MODEL_URI, else models/default/model.sntm.
  --json                    one JSON object: {"model", "modelVersion", "sets": [...]}
  --report <file.html>      also write the table as a self-contained HTML page
  --min-coverage <f>        abstain below this share of known n-grams (default: MIN_COVERAGE or 0.4)
  --text-column, --label-column, --skip-invalid   as for train`;

export async function evaluateCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseOrExplain('evaluate', () =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        model: { type: 'string' },
        data: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        report: { type: 'string' },
        'min-coverage': { type: 'string' },
        'text-column': { type: 'string' },
        'label-column': { type: 'string' },
        'skip-invalid': { type: 'boolean', default: false },
      },
    }),
  );
  if (!values.data?.length) throw new UsageError('evaluate: at least one --data is required');
  const policy = await abstentionOption(values['min-coverage']);
  const loaded = await loadModel(defaultModel(values.model));
  const results: Array<DomainResult & { source: string; skipped: number; trainingData: boolean }> = [];
  const trainedOn = trainingFingerprints(loaded.model.metadata);
  const started = performance.now();
  for (const path of values.data) {
    const dataset = await readDataset(path, {
      split: 'test',
      textColumn: values['text-column'],
      labelColumn: values['label-column'],
      skipInvalid: values['skip-invalid'],
    });
    results.push({
      ...evaluateDomain(loaded.model, dataset, basename(path), policy),
      source: dataset.source,
      skipped: dataset.skipped,
      trainingData: trainedOn.has(summarize(dataset).fingerprint),
    });
  }
  const seconds = (performance.now() - started) / 1000;
  if (values.report) {
    await writeFileAtomic(
      values.report,
      renderDomainReport({
        model: loaded.uri,
        modelVersion: loaded.version,
        results,
        minCoverage: policy.minCoverage,
      }),
    );
  }
  if (values.json) {
    print(
      JSON.stringify({
        model: loaded.uri,
        modelVersion: loaded.version,
        minCoverage: policy.minCoverage,
        sets: results,
      }),
    );
    return;
  }
  const reviews = results.reduce((sum, r) => sum + r.count, 0);
  print(
    `model ${loaded.uri} (${loaded.version.slice(0, 12)}); abstaining below ${policy.minCoverage} coverage`,
  );
  print('');
  print(domainTable(results));
  print('');
  for (const r of results) if (r.skipped) print(`${r.name}: ${r.skipped} invalid rows skipped`);
  for (const r of results)
    if (r.trainingData)
      print(
        `warning: ${r.name} is the data this model was trained on; its accuracy there says nothing about new reviews (evaluate on held-out data such as a test split)`,
      );
  print(`${reviews} reviews in ${seconds.toFixed(2)} s (${Math.round(reviews / seconds)} reviews/s)`);
  if (values.report) print(`wrote ${values.report}`);
}

/** The fingerprints of the data a model was trained on, from its metadata (each source, and all together). */
function trainingFingerprints(metadata: Record<string, unknown>): Set<string> {
  const training = metadata.training as
    | { train?: { fingerprint?: string }; sources?: Array<{ fingerprint?: string }> }
    | undefined;
  const all = [training?.train?.fingerprint, ...(training?.sources ?? []).map((s) => s.fingerprint)];
  return new Set(all.filter((f): f is string => typeof f === 'string'));
}
