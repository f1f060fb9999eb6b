import type { Context } from 'aws-lambda';
import { readConfig } from './api/config.js';
import { createService } from './api/service.js';
import { Telemetry } from './api/telemetry.js';
import { type DistributedMapBatch, type ScoredItem, scoreItems } from './batch/items.js';
import { ANSWER_MARGIN_MS, INIT_LOAD_DEADLINE_MS } from './lambda-timing.js';
import type { PredictionResult } from './model/prediction.js';

// The same settings, model loading and telemetry as the API's Lambda; only the entry differs.
const config = readConfig();
const telemetry = new Telemetry({ metrics: true, serviceName: 'sentiment-batch' });
const { models } = createService(config, telemetry, undefined, { refresh: 'inline' });
await models.get(AbortSignal.timeout(INIT_LOAD_DEADLINE_MS)).catch(() => {});
telemetry.flush();

/**
 * The Distributed Map's child: scores one batch of items and returns one row per item (the Map's
 * ResultWriter flattens the rows into JSON Lines under `batch/out/`). A model that cannot be loaded
 * fails the batch, which Step Functions retries and then counts against the tolerated failures.
 */
export async function handler(event: DistributedMapBatch, context: Context): Promise<ScoredItem[]> {
  telemetry.logger.addContext(context);
  const coldStart = telemetry.takeColdStart();
  const started = performance.now();
  try {
    const remaining = context.getRemainingTimeInMillis?.();
    const signal =
      typeof remaining === 'number'
        ? AbortSignal.timeout(Math.max(1, remaining - ANSWER_MARGIN_MS))
        : undefined;
    const { model, version } = await models.get(signal);
    const predictStarted = performance.now();
    const rows = scoreItems(model, event, config.abstention, config.maxReviewChars);
    const answered = rows.filter((r) => r.error === null);
    telemetry.predictions(
      answered as Array<Pick<PredictionResult, 'sentiment' | 'confidence' | 'abstained'>>,
      config.lowConfidenceThreshold,
      performance.now() - predictStarted,
    );
    telemetry.logger.info('batch', {
      items: rows.length,
      errors: rows.length - answered.length,
      modelVersion: version.slice(0, 12),
      latencyMs: Math.round(performance.now() - started),
      coldStart,
    });
    return rows;
  } finally {
    telemetry.flush();
  }
}
