import { STATUS_CODES } from 'node:http';
import type { Context } from 'aws-lambda';
import { ApiError } from './api/errors.js';
import type { Telemetry } from './api/telemetry.js';

type HonoLambdaHandler = (event: never, context: Context) => Promise<unknown>;
type HandlerTelemetry = Pick<Telemetry, 'takeColdStart' | 'invalidRequest' | 'request' | 'flush'> & {
  logger: {
    addContext(context: Context): void;
    appendKeys(keys: Record<string, unknown>): void;
    removeKeys(keys: string[]): void;
  };
};

interface ProxyEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
  httpMethod?: string;
  path?: string;
  rawPath?: string;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  requestContext?: { http?: { method?: string }; requestId?: string; elb?: unknown };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface ProxyResult {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body?: string;
  isBase64Encoded?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An HTTP event as API Gateway (REST v1, HTTP v2), a function URL or an ALB target group sends it. */
function isHttpEvent(event: unknown): event is ProxyEvent {
  if (!isRecord(event)) return false;
  const context = event.requestContext;
  const v2 = isRecord(context) && isRecord(context.http) && typeof context.http.method === 'string';
  const v1 = typeof event.httpMethod === 'string' && typeof event.path === 'string';
  return v1 || v2;
}

/** The response in the shape the event's source expects: multi-value headers when it sent them. */
function jsonError(error: ApiError, event: ProxyEvent | null): ProxyResult {
  const result: ProxyResult = {
    statusCode: error.status,
    body: JSON.stringify(error.toJSON()),
    isBase64Encoded: false,
  };
  if (event?.multiValueHeaders) result.multiValueHeaders = { 'content-type': ['application/json'] };
  else result.headers = { 'content-type': 'application/json' };
  if (isRecord(event?.requestContext) && event.requestContext.elb)
    result.statusDescription = `${error.status} ${STATUS_CODES[error.status] ?? ''}`.trim();
  return result;
}

function contentType(result: ProxyResult): string {
  return result.headers?.['content-type'] ?? result.multiValueHeaders?.['content-type']?.[0] ?? '';
}

/**
 * Wraps Hono's Lambda adapter so every event gets the app's real status and a JSON body: refuses
 * events that are not HTTP (a direct invoke with `null`, a string, `{}`) and bodies whose base64
 * flag lies (the adapter would throw and answer 500), puts the API Gateway request id on every log
 * line of the invocation, and flushes metrics after each.
 */
export function handler<H extends HonoLambdaHandler>(honoHandler: H, telemetry: HandlerTelemetry) {
  return async (event: Parameters<H>[0], context: Context): Promise<ProxyResult> => {
    telemetry.logger.addContext(context);
    const raw: unknown = event;
    const gatewayId =
      isRecord(raw) && isRecord(raw.requestContext) ? raw.requestContext.requestId : undefined;
    if (typeof gatewayId === 'string') telemetry.logger.appendKeys({ apiRequestId: gatewayId.slice(0, 128) });
    try {
      const http = isHttpEvent(raw) ? raw : null;
      const method = http?.requestContext?.http?.method ?? http?.httpMethod ?? 'UNKNOWN';
      const path = http?.rawPath ?? http?.path ?? 'UNKNOWN';
      const refuse = (error: ApiError) => {
        telemetry.invalidRequest(error.code);
        telemetry.request(
          { method, path, status: error.status, latencyMs: 0, errorCode: error.code },
          telemetry.takeColdStart(),
        );
        return jsonError(error, http);
      };
      if (http === null) {
        return refuse(
          new ApiError(
            'invalid_request',
            'not an HTTP event: invoke through API Gateway, a function URL or an ALB, or send an API Gateway event',
          ),
        );
      }
      let proxy = http;
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
      if (result.statusCode >= 400 && !contentType(result).includes('json')) {
        return refuse(new ApiError('invalid_request', 'the request could not be read'));
      }
      return result;
    } finally {
      telemetry.flush();
      telemetry.logger.removeKeys(['apiRequestId']);
    }
  };
}
