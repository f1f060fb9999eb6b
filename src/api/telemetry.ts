import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SentimentError } from '../errors.js';
import type { PredictionResult } from '../model/prediction.js';
import type { ErrorCode } from './errors.js';

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  requestId?: string;
  /** Characters of review text received (never the text itself, unless configured). */
  reviewChars?: number;
  batchSize?: number;
  errorCode?: ErrorCode;
  modelVersion?: string;
  review?: string;
}

/**
 * What the service reports: JSON logs (Powertools Logger) and, in Lambda, CloudWatch metrics in
 * Embedded Metric Format (Powertools Metrics): ColdStart, ModelLoadMs, PredictMs, Predictions by
 * sentiment (UnknownPredictions when abstaining is on), LowConfidencePredictions,
 * LowCoveragePredictions (abstained: too few known n-grams), InvalidRequests by error code, ModelLoadFailures.
 */
export class Telemetry {
  readonly logger: Logger;
  private readonly metrics: Metrics | null;
  private coldStart = true;

  constructor(options: {
    serviceName?: string;
    namespace?: string;
    metrics: boolean;
    logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  }) {
    const serviceName = options.serviceName ?? 'sentiment-api';
    this.logger = new Logger({ serviceName, logLevel: options.logLevel ?? 'INFO' });
    this.metrics = options.metrics
      ? new Metrics({ namespace: options.namespace ?? 'ServerlessSentiment', serviceName })
      : null;
  }

  /**
   * True for the first request this process serves; also emits the ColdStart metric once. In Lambda,
   * an environment initialized ahead of traffic (provisioned concurrency, SnapStart) has no cold
   * start, as Powertools counts it: `AWS_LAMBDA_INITIALIZATION_TYPE` other than on-demand.
   */
  takeColdStart(): boolean {
    const type = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    if (type !== undefined && type !== 'on-demand') this.coldStart = false;
    const cold = this.coldStart;
    if (cold) {
      this.coldStart = false;
      this.metrics?.addMetric('ColdStart', MetricUnit.Count, 1);
    }
    return cold;
  }

  modelLoaded(info: {
    uri: string;
    version: string;
    bytes: number;
    ms: number;
    vocabularySize: number;
  }): void {
    this.metrics?.addMetric('ModelLoadMs', MetricUnit.Milliseconds, info.ms);
    this.logger.info('model loaded', { model: { ...info, version: info.version.slice(0, 16) } });
  }

  /** One line per failed load; a stack trace only for errors nobody anticipated. */
  modelLoadFailed(error: unknown): void {
    this.metrics?.addMetric('ModelLoadFailures', MetricUnit.Count, 1);
    if (error instanceof SentimentError) {
      this.logger.error('model load failed', {
        error: { name: error.name, code: error.code, message: error.message, hint: error.hint },
      });
      return;
    }
    this.logger.error('model load failed', error instanceof Error ? error : String(error));
  }

  /** The answered predictions of a request or batch: counts by sentiment, unsure and abstained ones, time. */
  predictions(
    results: ReadonlyArray<Pick<PredictionResult, 'sentiment' | 'confidence' | 'abstained'>>,
    lowConfidenceThreshold: number,
    predictMs: number,
  ): void {
    if (!this.metrics) return;
    const sentiments = results.map((r) => r.sentiment);
    const counts = {
      lowConfidence: results.filter((r) => r.confidence < lowConfidenceThreshold).length,
      lowCoverage: results.filter((r) => r.abstained).length,
    };
    this.metrics.addMetric('PredictMs', MetricUnit.Milliseconds, predictMs);
    this.metrics.addMetric('Predictions', MetricUnit.Count, sentiments.length);
    const count = (sentiment: PredictionResult['sentiment']) =>
      sentiments.filter((s) => s === sentiment).length;
    const names = { positive: 'Positive', negative: 'Negative', unknown: 'Unknown' } as const;
    for (const [sentiment, name] of Object.entries(names)) {
      const n = count(sentiment as PredictionResult['sentiment']);
      if (n > 0) this.metrics.addMetric(`${name}Predictions`, MetricUnit.Count, n);
    }
    if (counts.lowConfidence > 0)
      this.metrics.addMetric('LowConfidencePredictions', MetricUnit.Count, counts.lowConfidence);
    if (counts.lowCoverage > 0)
      this.metrics.addMetric('LowCoveragePredictions', MetricUnit.Count, counts.lowCoverage);
  }

  invalidRequest(code: ErrorCode): void {
    if (!this.metrics) return;
    const single = this.metrics.singleMetric();
    single.addDimension('ErrorCode', code);
    single.addMetric('InvalidRequests', MetricUnit.Count, 1);
  }

  request(record: RequestRecord, coldStart: boolean): void {
    const { review, requestId, ...rest } = record;
    this.logger.info('request', {
      ...rest,
      // A client's id is logged, not trusted: bounded and printable only.
      ...(requestId === undefined ? {} : { requestId: clientId(requestId) }),
      ...(review === undefined ? {} : { review }),
      coldStart,
    });
  }

  /** Writes the metrics gathered for this invocation (Lambda calls it after each); silent when none. */
  flush(): void {
    if (this.metrics?.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }
}

const MAX_CLIENT_ID = 128;

/** A client-supplied request id, cut to 128 printable ASCII characters. */
export function clientId(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > MAX_CLIENT_ID ? `${printable.slice(0, MAX_CLIENT_ID)}…` : printable;
}
