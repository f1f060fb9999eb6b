import { parseArgs } from 'node:util';
import { readDataset } from '../data/read.js';
import { loadModel } from '../store/load-model.js';
import { evaluateModel } from '../training/evaluate.js';
import { parseOrExplain } from './args.js';
import { UsageError } from './errors.js';

export const EVALUATE_HELP = `sentiment evaluate --model <path|s3-uri> --data <path> [--json]

Scores a labelled dataset (any format train reads; an aclImdb source reads its test split).
  --json                    one JSON object, accuracy at top level
  --text-column, --label-column, --skip-invalid   as for train`;

export async function evaluateCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseOrExplain('evaluate', () =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        model: { type: 'string' },
        data: { type: 'string' },
        json: { type: 'boolean', default: false },
        'text-column': { type: 'string' },
        'label-column': { type: 'string' },
        'skip-invalid': { type: 'boolean', default: false },
      },
    }),
  );
  if (!values.model || !values.data) throw new UsageError('evaluate: --model and --data are required');
  const loaded = await loadModel(values.model);
  const dataset = await readDataset(values.data, {
    split: 'test',
    textColumn: values['text-column'],
    labelColumn: values['label-column'],
    skipInvalid: values['skip-invalid'],
  });
  const started = performance.now();
  const { metrics } = evaluateModel(loaded.model, dataset);
  const seconds = (performance.now() - started) / 1000;
  if (values.json) {
    print(
      JSON.stringify({
        ...metrics,
        model: loaded.uri,
        modelVersion: loaded.version,
        data: dataset.source,
        skipped: dataset.skipped,
      }),
    );
    return;
  }
  const cm = metrics.confusionMatrix;
  print(`model      ${loaded.uri} (${loaded.version.slice(0, 12)})`);
  print(
    `data       ${dataset.source}: ${metrics.count} reviews${dataset.skipped ? `, ${dataset.skipped} skipped` : ''}`,
  );
  print(`accuracy   ${(metrics.accuracy * 100).toFixed(2)}%`);
  print(
    `precision  ${metrics.precision.toFixed(4)}   recall ${metrics.recall.toFixed(4)}   F1 ${metrics.f1.toFixed(4)}`,
  );
  print(
    `ROC AUC    ${metrics.rocAuc.toFixed(4)}   log loss ${metrics.logLoss.toFixed(4)}   ECE ${metrics.expectedCalibrationError.toFixed(4)}`,
  );
  print(
    `confusion  TN ${cm.trueNegative}  FP ${cm.falsePositive}  FN ${cm.falseNegative}  TP ${cm.truePositive}`,
  );
  print(`time       ${seconds.toFixed(2)} s (${Math.round(metrics.count / seconds)} reviews/s)`);
}
