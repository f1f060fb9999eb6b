import * as z from 'zod';
import { DEFAULT_MIN_COVERAGE } from '../model/prediction.js';
import type { ApiConfig } from './config.js';
import { ERROR_STATUS } from './errors.js';

/** Largest `top` (n-grams per side in an explanation). */
export const MAX_TOP = 50;

/** The API's contract, once: requests are validated with these and the OpenAPI document is made from them. */
export function apiSchemas(config: Pick<ApiConfig, 'maxReviewChars' | 'maxBatchSize' | 'maxRequestChars'>) {
  const reviewText = z
    .string()
    .min(1)
    .max(config.maxReviewChars)
    .regex(/\S/)
    .meta({ description: 'Review text: not blank' });
  const options = {
    explain: z
      .boolean()
      .optional()
      .meta({ description: 'Add the n-grams that decided (also ?explain=true)' }),
    top: z
      .number()
      .int()
      .min(1)
      .max(MAX_TOP)
      .default(5)
      .meta({ description: 'How many n-grams per side an explanation lists' }),
  };
  const budget = `At most ${config.maxRequestChars} characters of review text per request in all (413 request_too_large).`;
  const SingleRequest = z.object({ review: reviewText, ...options }).meta({ description: budget });
  const BatchRequest = z
    .object({
      reviews: z.array(reviewText).min(1).max(config.maxBatchSize).meta({
        description: 'Each item is judged on its own: a bad item is reported in errors, not the whole batch',
      }),
      ...options,
    })
    .meta({ description: budget });

  const Contribution = z.object({
    ngram: z.string(),
    contribution: z.number().meta({ description: 'weight × feature value, in log-odds of positive' }),
  });
  const Prediction = z
    .object({
      sentiment: z.enum(['positive', 'negative', 'unknown']).meta({
        description:
          '"unknown" only when the service runs with ABSTAIN=true and the prediction abstained; otherwise positive or negative',
      }),
      confidence: z.number().min(0.5).max(1).meta({
        description: 'Probability of the predicted class (calibrated when the model carries a calibration)',
      }),
      probabilityPositive: z.number().min(0).max(1),
      priorOnly: z
        .boolean()
        .meta({ description: 'No known n-gram: the answer is the intercept prior alone' }),
      coverage: z
        .number()
        .min(0)
        .max(1)
        .meta({ description: "Share of the text's n-grams (with repeats) that the model knows" }),
      abstained: z.boolean().meta({
        description: `True when nothing is known or coverage is below MIN_COVERAGE (default ${DEFAULT_MIN_COVERAGE}): the model cannot tell`,
      }),
      modelVersion: z.string().optional().meta({ description: 'On single-review answers only' }),
      explanation: z
        .object({
          intercept: z.number().meta({ description: 'The push before any n-gram is seen' }),
          positive: z.array(Contribution),
          negative: z.array(Contribution),
        })
        .optional()
        .meta({ description: 'Pushes on the log-odds of positive; pushes under 0.01 are left out' }),
    })
    .meta({
      description:
        'One prediction. The same fields come from the API, the CLI and batch files. Model version and timing are per response, not per item.',
    });
  const ItemError = z.object({
    index: z.number().int().min(0),
    code: z.enum(['empty_review', 'review_too_long', 'invalid_review']),
    message: z.string(),
  });
  const BatchAnswer = z
    .object({
      predictions: z.array(Prediction.nullable()),
      errors: z.array(ItemError),
      modelVersion: z.string(),
    })
    .meta({ description: 'predictions[i] answers reviews[i], or is null when item i is in errors' });
  const errorCodes = Object.keys(ERROR_STATUS) as [
    keyof typeof ERROR_STATUS,
    ...(keyof typeof ERROR_STATUS)[],
  ];
  const ErrorBody = z.object({ error: z.object({ code: z.enum(errorCodes), message: z.string() }) });
  const ModelSummary = z.object({
    preset: z.string().nullable(),
    trainingReviews: z.number().int().nullable(),
    testAccuracy: z.number().nullable(),
    sample: z
      .boolean()
      .meta({ description: 'Trained on a small sample (under 20,000 reviews), not the full data' }),
    summary: z.string(),
  });
  const Health = z.object({
    status: z.literal('ok'),
    modelLoaded: z.literal(true),
    modelVersion: z.string(),
    model: ModelSummary,
  });
  const Unavailable = z.object({
    status: z.literal('unavailable'),
    modelLoaded: z.literal(false),
    modelVersion: z.null(),
  });
  const ModelDescription = z.object({
    version: z.string().meta({ description: 'SHA-256 of the artifact' }),
    bytes: z.number().int(),
    preset: z.string().nullable(),
    createdAt: z.string().nullable(),
    packageVersion: z.string().nullable(),
    vocabularySize: z.number().int(),
    ngramRange: z.tuple([z.number().int(), z.number().int()]),
    metrics: z.record(z.string(), z.unknown()).nullable(),
    training: z.record(z.string(), z.unknown()).nullable(),
    source: z.record(z.string(), z.unknown()).nullable(),
    calibration: z.record(z.string(), z.unknown()).nullable(),
  });
  return {
    SingleRequest,
    BatchRequest,
    Prediction,
    Contribution,
    ItemError,
    BatchAnswer,
    Error: ErrorBody,
    Health,
    Unavailable,
    ModelDescription,
  };
}

export type ApiSchemas = ReturnType<typeof apiSchemas>;
