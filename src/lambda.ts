import { handle } from 'hono/aws-lambda';
import { readConfig } from './api/config.js';
import { createService } from './api/service.js';
import { Telemetry } from './api/telemetry.js';
import { handler as wrap } from './lambda-handler.js';

const telemetry = new Telemetry({ metrics: true });
const { app, models } = createService(readConfig(), telemetry);

// Start loading during the init phase, which Lambda runs at full CPU before the first request.
models.get().catch(() => {});

/**
 * The Lambda entry: API Gateway HTTP API (payload v2), REST API (v1) and function URL events, all
 * served by the one HTTP app.
 */
export const handler = wrap(handle(app), telemetry);
