import * as z from 'zod';
import type { ModelOptions } from '../model/fit.js';

const tfidfOverrides = z
  .object({
    lowercase: z.boolean(),
    stripAccents: z.enum(['none', 'ascii', 'unicode']),
    stopWords: z.enum(['none', 'english']),
    ngramRange: z.tuple([z.number().int().min(1).max(5), z.number().int().min(1).max(5)]),
    stripHtml: z.boolean(),
    tokenPattern: z.enum(['default', 'single-character']),
    binary: z.boolean(),
    useIdf: z.boolean(),
    smoothIdf: z.boolean(),
    sublinearTf: z.boolean(),
    norm: z.enum(['l2', 'l1', 'none']),
    minDf: z.number().nonnegative(),
    maxDf: z.number().positive().nullable(),
    maxFeatures: z.number().int().positive().nullable(),
  })
  .strict()
  .partial();

/** What a JSON config file or the command line may change in a preset. */
export const overridesSchema = z
  .object({
    tfidf: tfidfOverrides,
    logisticRegression: z
      .object({
        C: z.number().positive(),
        tol: z.number().positive(),
        maxIter: z.number().int().positive(),
        fitIntercept: z.boolean(),
      })
      .strict()
      .partial(),
    naiveBayesAlpha: z.number().positive().nullable(),
    sentenceWeight: z.number().positive().nullable(),
    naiveBayesBlend: z
      .object({ share: z.number().gt(0).lt(1), C: z.number().positive(), alpha: z.number().positive() })
      .strict()
      .nullable(),
    sentencePrior: z.boolean(),
  })
  .strict()
  .partial();
export type Overrides = z.infer<typeof overridesSchema>;

/** A preset with overrides applied, later ones winning. */
export function applyOverrides(base: ModelOptions, ...overrides: Overrides[]): ModelOptions {
  let out = base;
  for (const o of overrides) {
    out = {
      tfidf: { ...out.tfidf, ...o.tfidf },
      logisticRegression: { ...out.logisticRegression, ...o.logisticRegression },
      naiveBayesAlpha: o.naiveBayesAlpha === undefined ? out.naiveBayesAlpha : o.naiveBayesAlpha,
      sentenceWeight: o.sentenceWeight === undefined ? (out.sentenceWeight ?? null) : o.sentenceWeight,
      naiveBayesBlend: o.naiveBayesBlend === undefined ? (out.naiveBayesBlend ?? null) : o.naiveBayesBlend,
      sentencePrior: o.sentencePrior ?? out.sentencePrior ?? false,
    };
  }
  return out;
}
