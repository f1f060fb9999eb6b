import type { Context } from 'aws-lambda';
import { ApiError } from './api/errors.js';
import type { Telemetry } from './api/telemetry.js';

type HonoLambdaHandler = (event: never, context: Context) => Promise<unknown>;
type HandlerTelemetry = Pick<Telemetry, 'takeColdStart' | 'invalidRequest' | 'request' | 'flush'> & {
  logger: { addContext(context: Context): void };
};

interface ProxyEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
  httpMethod?: string;
  path?: string;
  rawPath?: string;
  requestContext?: { http?: { method?: string } };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

function jsonError(error: ApiError) {
  return {
    statusCode: error.status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(error.toJSON()),
    isBase64Encoded: false,
  };
}

/**
 * Wraps Hono's Lambda adapter: refuses a body whose base64 flag lies (the adapter would throw and
 * answer 500) and flushes metrics after every invocation.
 */
export function handler<H extends HonoLambdaHandler>(honoHandler: H, telemetry: HandlerTelemetry) {
  return async (event: Parameters<H>[0], context: Context) => {
    telemetry.logger.addContext(context);
    try {
      let proxy = event as ProxyEvent;
      const method = proxy.requestContext?.http?.method ?? proxy.httpMethod ?? 'UNKNOWN';
      const path = proxy.rawPath ?? proxy.path ?? 'UNKNOWN';
      const refuse = (error: ApiError) => {
        telemetry.invalidRequest(error.code);
        telemetry.request(
          { method, path, status: error.status, latencyMs: 0, errorCode: error.code },
          telemetry.takeColdStart(),
        );
        return jsonError(error);
      };
      if ((method === 'GET' || method === 'HEAD') && proxy.body) {
        // A GET body means nothing, and the Fetch API refuses to build such a request.
        proxy = { ...proxy, body: null, isBase64Encoded: false };
      }
      if (proxy.isBase64Encoded && typeof proxy.body === 'string') {
        const compact = proxy.body.replace(/\s+/g, '');
        if (compact.length % 4 === 1 || !BASE64.test(compact)) {
          return refuse(
            new ApiError('invalid_encoding', 'the body is marked base64 but is not valid base64'),
          );
        }
      }
      const result = (await honoHandler(proxy as never, context)) as ProxyResult;
      // The adapter answers events it cannot turn into a request in plain text: keep the JSON contract.
      const type = result.headers?.['content-type'] ?? '';
      if (result.statusCode >= 400 && !type.includes('json')) {
        return refuse(new ApiError('invalid_request', 'the request could not be read'));
      }
      return result;
    } finally {
      telemetry.flush();
    }
  };
}
