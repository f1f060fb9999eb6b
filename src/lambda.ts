import type { Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { readConfig } from './api/config.js';
import { ApiError } from './api/errors.js';
import { createService } from './api/service.js';
import { Telemetry } from './api/telemetry.js';

const telemetry = new Telemetry({ metrics: true });
const { app, models } = createService(readConfig(), telemetry);
const honoHandler = handle(app);

// Start loading during the init phase, which Lambda runs at full CPU before the first request.
models.get().catch(() => {});

interface ProxyEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
  httpMethod?: string;
  path?: string;
  rawPath?: string;
  requestContext?: { http?: { method?: string } };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The Lambda entry: API Gateway HTTP API (payload v2), REST API (v1) and function URL events, all
 * served by the one HTTP app.
 */
export const handler = async (event: Parameters<typeof honoHandler>[0], context: Context) => {
  telemetry.logger.addContext(context);
  try {
    const proxy = event as ProxyEvent;
    if (proxy.isBase64Encoded && typeof proxy.body === 'string') {
      const compact = proxy.body.replace(/\s+/g, '');
      if (compact.length % 4 === 1 || !BASE64.test(compact)) {
        const error = new ApiError('invalid_encoding', 'the body is marked base64 but is not valid base64');
        telemetry.invalidRequest(error.code);
        const method = proxy.requestContext?.http?.method ?? proxy.httpMethod ?? 'UNKNOWN';
        const path = proxy.rawPath ?? proxy.path ?? 'UNKNOWN';
        telemetry.request(
          { method, path, status: error.status, latencyMs: 0, errorCode: error.code },
          telemetry.takeColdStart(),
        );
        return {
          statusCode: error.status,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(error.toJSON()),
          isBase64Encoded: false,
        };
      }
    }
    return await honoHandler(event, context);
  } finally {
    telemetry.flush();
  }
};
