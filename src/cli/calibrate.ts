import { parseArgs } from 'node:util';
import { readDataset } from '../data/read.js';
import { encodeModel, modelVersion, precisionOf } from '../model/artifact.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { loadModel } from '../store/load-model.js';
import { calibrateModel } from '../training/calibrate.js';
import { creationTime, defaultModel, labelMapOption, parseOrExplain } from './args.js';
import { UsageError } from './errors.js';

export const CALIBRATE_HELP = `sentiment calibrate [--model <path|s3-uri>] --data <labelled file> --out <file.sntm>

Fits the model's probabilities and decision threshold to your own domain (tweets, product reviews,
...) from a small labelled sample (50 rows at least; a few hundred is better), without retraining:
Platt scaling, a monotone map from the model's score to a probability. The weights are untouched;
the calibration is stored in the new file, and from then on "confidence" and "probabilityPositive"
are the calibrated probabilities everywhere (CLI, server, Lambda). Judge it with
"sentiment evaluate" on labelled rows that were not in the sample.
  --text-column, --label-column, --skip-invalid, --positive-labels, --negative-labels   as for train`;

export async function calibrateCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseOrExplain('calibrate', () =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        model: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
        'text-column': { type: 'string' },
        'label-column': { type: 'string' },
        'skip-invalid': { type: 'boolean', default: false },
        'positive-labels': { type: 'string' },
        'negative-labels': { type: 'string' },
      },
    }),
  );
  if (!values.data || !values.out) throw new UsageError('calibrate: --data and --out are required');
  const labelMap = labelMapOption('calibrate', values['positive-labels'], values['negative-labels']);
  const loaded = await loadModel(defaultModel(values.model));
  const sample = await readDataset(values.data, {
    split: 'test',
    textColumn: values['text-column'],
    labelColumn: values['label-column'],
    skipInvalid: values['skip-invalid'],
    labelMap,
  });
  const { model, summary } = calibrateModel(loaded.model, sample, loaded.version, creationTime());
  // The precision it was loaded in: an imported scikit-learn model keeps its float64 weights.
  const bytes = encodeModel(model, { precision: precisionOf(loaded.model) });
  await writeFileAtomic(values.out, bytes);
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  log(`calibrated on ${sample.texts.length} rows of ${sample.source}`);
  log(
    `Platt scaling: slope ${summary.slope.toFixed(4)}, intercept ${summary.intercept.toFixed(4)} (positive above raw score ${summary.threshold.toFixed(4)})`,
  );
  log(
    `on the sample (in-sample): accuracy ${pct(summary.before.accuracy)} -> ${pct(summary.after.accuracy)}, log loss ${summary.before.logLoss.toFixed(4)} -> ${summary.after.logLoss.toFixed(4)}, predicted positive ${pct(summary.before.positiveRate)} -> ${pct(summary.after.positiveRate)}`,
  );
  log(
    `wrote ${values.out} (version ${modelVersion(bytes).slice(0, 12)}, from ${loaded.version.slice(0, 12)})`,
  );
}
