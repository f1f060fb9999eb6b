import type { Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { readConfig } from './api/config.js';
import { createService } from './api/service.js';
import { Telemetry } from './api/telemetry.js';
import { handler as wrap } from './lambda-handler.js';
import { ANSWER_MARGIN_MS, INIT_LOAD_DEADLINE_MS } from './lambda-timing.js';

// Bad configuration is an init error: Lambda reports it and retries init on the next event.
const config = readConfig();
const telemetry = new Telemetry({ metrics: true });
const { app, models } = createService(config, telemetry, undefined, {
  // Lambda freezes the process between invocations: refresh inside a request, never in the background.
  refresh: 'inline',
  // An event carries its whole body.
  bodiesInMemory: true,
  // The hash index over the vocabulary is built once lookups would pay for it (a few hundred reviews),
  // not during init: most environments of a quiet API answer a handful of requests and are reclaimed,
  // and every cold start's first response waits for init.
  vocabularyIndex: 'lazy',
  deadline: (env) => {
    const context = (env as { lambdaContext?: Context } | undefined)?.lambdaContext;
    const remaining = context?.getRemainingTimeInMillis?.();
    return typeof remaining === 'number'
      ? AbortSignal.timeout(Math.max(1, remaining - ANSWER_MARGIN_MS))
      : undefined;
  },
});

// Load during init, at init's full CPU, before the first event. A model that cannot be loaded is not
// an init error: init finishes, /predict answers 503 and /health 503 until a later load succeeds.
await models.get(AbortSignal.timeout(INIT_LOAD_DEADLINE_MS)).catch(() => {});
telemetry.flush();

/**
 * The Lambda entry: API Gateway REST (v1) and HTTP API (v2) events, function URLs and ALB target
 * events, all served by the one HTTP app.
 */
export const handler = wrap(handle(app), telemetry);
