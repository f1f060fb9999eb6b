import * as z from 'zod';
import { SentimentError } from '../errors.js';
import type { AnalyzerOptions } from '../text/analyzer.js';
import { TermTable } from '../text/term-table.js';
import { object, parseAnalyzer, parseWeighting, ShapeError } from './header.js';
import { SentimentModel } from './sentiment-model.js';
import type { WeightingOptions } from './vectorizer.js';

/** What tools/export-sklearn.py writes: a fitted scikit-learn pipeline as plain data. */
export const sklearnExportSchema = z.object({
  kind: z.literal('serverless-sentiment/sklearn-export'),
  sklearnVersion: z.string(),
  source: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  pipeline: z.string(),
  classes: z.array(z.string()).length(2),
  positiveClass: z.string(),
  // Checked below by the model file's own rules (the same settings mean the same in both).
  analyzer: z.unknown(),
  weighting: z.unknown(),
  training: z.record(z.string(), z.unknown()),
  vocabulary: z.array(z.string()).min(1),
  idf: z.array(z.number()).nullable(),
  weights: z.array(z.number()),
  intercept: z.number(),
});
export type SklearnExport = z.infer<typeof sklearnExportSchema>;

export class SklearnImportError extends SentimentError {
  override readonly name = 'SklearnImportError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('sklearn_export_invalid', message, {
      hint: 'write the export with tools/export-sklearn.py from the pickled pipeline',
      ...options,
    });
  }
}

/** Builds a model that predicts exactly what the exported scikit-learn pipeline does. */
export function importSklearn(data: unknown): SentimentModel {
  const parsed = sklearnExportSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const lines = issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
    throw new SklearnImportError(`not a scikit-learn export: ${lines.join('; ')}${more}`);
  }
  const x = parsed.data;
  let analyzer: AnalyzerOptions;
  let weighting: WeightingOptions;
  try {
    // scikit-learn has no HTML stripping; a missing token pattern is scikit-learn's default.
    const given = object(x.analyzer, 'analyzer');
    analyzer = parseAnalyzer({ ...given, stripHtml: given.stripHtml ?? false }, 'analyzer');
    if (analyzer.stripHtml) throw new ShapeError('analyzer.stripHtml: scikit-learn has no HTML stripping');
    analyzer.tokenPattern ??= 'default';
    weighting = parseWeighting(x.weighting, 'weighting');
  } catch (error) {
    throw new SklearnImportError(`not a scikit-learn export: ${(error as Error).message}`, { cause: error });
  }
  const n = x.vocabulary.length;
  if (x.weights.length !== n) throw new SklearnImportError(`${x.weights.length} weights for ${n} terms`);
  if (weighting.useIdf !== (x.idf !== null) || (x.idf !== null && x.idf.length !== n)) {
    throw new SklearnImportError('idf must have one value per term exactly when useIdf is set');
  }
  let vocabulary: TermTable;
  try {
    vocabulary = TermTable.fromTerms(x.vocabulary);
  } catch (error) {
    throw new SklearnImportError(`bad vocabulary: ${(error as Error).message}`, { cause: error });
  }
  if (vocabulary.size !== n) throw new SklearnImportError('the vocabulary has duplicate terms');
  return new SentimentModel(
    {
      analyzer,
      weighting,
      vocabulary,
      idf: x.idf === null ? null : Float64Array.from(x.idf),
      weights: Float64Array.from(x.weights),
      intercept: x.intercept,
    },
    {
      preset: 'imported-sklearn',
      source: {
        kind: 'scikit-learn',
        sklearnVersion: x.sklearnVersion,
        file: x.source.file,
        sha256: x.source.sha256,
        pipeline: x.pipeline,
        classes: x.classes,
        positiveClass: x.positiveClass,
      },
      training: x.training,
    },
  );
}
