import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  DockerImageCode,
  DockerImageFunction,
  type IFunction,
  Function as LambdaFunction,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { BatchJobs } from './batch.js';
import { lambdaCode } from './lambda-code.js';
import type { Settings } from './settings.js';

export const METRICS_NAMESPACE = 'ServerlessSentiment';
export const SERVICE_NAME = 'sentiment-api';
/** API Gateway access log fields ($context variables of HTTP APIs). */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationRequestId: '$context.integration.requestId',
  integrationError: '$context.integration.error',
  integrationErrorMessage: '$context.integrationErrorMessage',
};

const ROUTES: Array<[HttpMethod, string]> = [
  [HttpMethod.POST, '/predict'],
  [HttpMethod.GET, '/health'],
  [HttpMethod.GET, '/model'],
  [HttpMethod.GET, '/openapi.json'],
  [HttpMethod.GET, '/docs'],
  [HttpMethod.GET, '/'],
];

/** The prediction service: artifact bucket, Lambda, HTTP API, alarms and dashboard. */
export class SentimentStack extends Stack {
  readonly bucket: IBucket;
  readonly fn: IFunction;
  readonly api: HttpApi;
  readonly batch: BatchJobs;

  constructor(scope: Construct, id: string, settings: Settings, props?: StackProps) {
    super(scope, id, props);
    const modelKey = settings.modelKey ?? `${settings.modelPrefix}/manifest.json`;

    this.bucket = settings.bucketName
      ? Bucket.fromBucketName(this, 'Artifacts', settings.bucketName)
      : new Bucket(this, 'Artifacts', {
          encryption: BucketEncryption.S3_MANAGED,
          versioned: true,
          blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
          enforceSSL: true,
          removalPolicy: RemovalPolicy.RETAIN,
        });

    const logGroup = new LogGroup(this, 'PredictLogs', {
      retention: settings.logRetentionDays as RetentionDays,

      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, not AWSLambdaBasicExecutionRole: write to its one log group, read the model prefix.
    const role = new Role(this, 'PredictRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'The prediction Lambda: its log group and the model prefix, nothing else',
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    const node =
      settings.nodeRuntime === 'nodejs22.x'
        ? { major: 22, runtime: Runtime.NODEJS_22_X }
        : { major: 24, runtime: Runtime.NODEJS_24_X };
    const common = {
      role,
      architecture: Architecture.ARM_64,
      memorySize: settings.memorySize,
      timeout: Duration.seconds(settings.timeoutSeconds),
      logGroup,
      environment: {
        MODEL_URI: `s3://${this.bucket.bucketName}/${modelKey}`,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        // No --enable-source-maps: with it, Node parses the 3.8 MB source map of the bundle at every
        // cold start (60-100 ms measured). Function names survive minification (keepNames), and the
        // map ships beside the bundle for decoding a stack trace's positions offline.
      },
    };
    // A zip by default: no registry, no image to patch, the fastest cold start for a 1 MB bundle.
    // `-c packaging=image` builds Dockerfile.lambda (the same bundle on AWS's Node base image).
    this.fn =
      settings.packaging === 'image'
        ? new DockerImageFunction(this, 'Predict', {
            ...common,
            code: DockerImageCode.fromImageAsset(fileURLToPath(new URL('..', import.meta.url)), {
              file: 'Dockerfile.lambda',
              buildArgs: { NODE_MAJOR: String(node.major) },
              platform: Platform.LINUX_ARM64,
              exclude: ['node_modules', 'cdk.out', 'models', 'data/imdb', '.cache', '.git'],
            }),
          })
        : new LambdaFunction(this, 'Predict', {
            ...common,
            code: lambdaCode('src/lambda.ts', node.major),
            handler: 'index.handler',
            runtime: node.runtime,
          });
    // Least privilege: read objects under the model prefix, nothing else.
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${settings.modelPrefix}/*`)],
      }),
    );

    const origins = settings.corsOrigins.split(',').map((o) => o.trim());
    this.api = new HttpApi(this, 'Api', {
      description: 'Movie-review sentiment',
      corsPreflight: {
        allowOrigins: origins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
        allowHeaders: ['content-type', 'authorization'],
        maxAge: Duration.hours(1),
      },
    });
    const authorizer = this.authorizer(settings);
    const integration = new HttpLambdaIntegration('PredictIntegration', this.fn);
    for (const [method, path] of ROUTES) {
      const protectedRoute = method === HttpMethod.POST;
      this.api.addRoutes({
        path,
        methods: [method],
        integration,
        ...(protectedRoute && authorizer ? { authorizer } : {}),
      });
    }
    const stage = this.api.defaultStage!.node.defaultChild as import('aws-cdk-lib/aws-apigatewayv2').CfnStage;
    stage.defaultRouteSettings = {
      throttlingRateLimit: settings.throttleRate,
      throttlingBurstLimit: settings.throttleBurst,
    };
    // Access logs: one JSON line per request, with the ids that join it to the Lambda's own log lines.
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: settings.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify(ACCESS_LOG_FORMAT),
    };

    this.monitoring(settings);

    this.batch = new BatchJobs(this, 'Batch', {
      bucket: this.bucket,
      settings,
      runtime: node.runtime,
      nodeMajor: node.major,
      environment: { ...common.environment, POWERTOOLS_SERVICE_NAME: 'sentiment-batch' },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'POST <ApiUrl>/predict' });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'ModelUri', {
      value: `s3://${this.bucket.bucketName}/${modelKey}`,
      description: `sentiment publish --model models/default/model.sntm --to s3://${'<bucket>'}/${settings.modelPrefix}`,
    });
  }

  private authorizer(settings: Settings): IHttpRouteAuthorizer | undefined {
    if (settings.auth === 'iam') return new HttpIamAuthorizer();
    if (settings.auth === 'jwt') {
      return new HttpJwtAuthorizer('JwtAuthorizer', settings.jwtIssuer!, {
        jwtAudience: [settings.jwtAudience!],
      });
    }
    return undefined;
  }

  private monitoring(settings: Settings): void {
    const topic = new Topic(this, 'Alarms', { enforceSSL: true });
    if (settings.alarmEmail) topic.addSubscription(new EmailSubscription(settings.alarmEmail));
    const action = new SnsAction(topic);
    const custom = (metricName: string, statistic = 'Sum') =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAME },
        statistic,
        period: Duration.minutes(5),
      });
    const alarm = (id: string, metric: Metric | MathExpression, threshold: number, description: string) =>
      new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(action);

    alarm(
      'LambdaErrors',
      this.fn.metricErrors({ period: Duration.minutes(5) }),
      1,
      'The prediction Lambda failed',
    );
    alarm('Api5xx', this.api.metricServerError({ period: Duration.minutes(5) }), 1, 'The API answered 5xx');
    alarm(
      'LatencyP99',
      this.fn.metricDuration({ statistic: 'p99', period: Duration.minutes(5) }),
      settings.p99LatencyMs,
      'p99 duration is high',
    );
    alarm(
      'Throttles',
      this.fn.metricThrottles({ period: Duration.minutes(5) }),
      1,
      'The Lambda is being throttled',
    );
    alarm('ModelLoadFailures', custom('ModelLoadFailures'), 1, 'The model could not be loaded from S3');
    // Traffic drifting away from what the model knows: over a fifth of an hour's predictions abstained.
    const lowCoverageShare = new MathExpression({
      expression: 'IF(predictions >= 20, lowCoverage / predictions, 0)',
      usingMetrics: {
        lowCoverage: custom('LowCoveragePredictions').with({ period: Duration.hours(1) }),
        predictions: custom('Predictions').with({ period: Duration.hours(1) }),
      },
      label: 'Share of predictions with low coverage',
      period: Duration.hours(1),
    });
    alarm(
      'LowCoverageShare',
      lowCoverageShare,
      0.2,
      'Over 20% of predictions in an hour knew too few n-grams (abstained): traffic unlike the training data',
    );

    const invalidByCode = new MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},ErrorCode,service} MetricName="InvalidRequests"', 'Sum', 300)`,
      label: 'InvalidRequests',
      period: Duration.minutes(5),
    });
    new Dashboard(this, 'Dashboard', {
      dashboardName: `${this.stackName}-sentiment`,
      widgets: [
        [
          new GraphWidget({
            title: 'Predictions by sentiment',
            left: [
              custom('PositivePredictions'),
              custom('NegativePredictions'),
              custom('LowConfidencePredictions'),
              custom('LowCoveragePredictions'),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'Predict time (ms)',
            left: [custom('PredictMs', 'p50'), custom('PredictMs', 'p99')],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Cold starts and model load (ms)',
            left: [custom('ColdStart')],
            right: [custom('ModelLoadMs', 'Average')],
            width: 12,
          }),
          new GraphWidget({ title: 'Invalid requests by error code', left: [invalidByCode], width: 12 }),
        ],
        [
          new GraphWidget({
            title: 'Lambda',
            left: [this.fn.metricInvocations(), this.fn.metricErrors(), this.fn.metricThrottles()],
            right: [this.fn.metricDuration({ statistic: 'p99' })],
            width: 12,
          }),
          new GraphWidget({
            title: 'API 4xx / 5xx',
            left: [this.api.metricClientError(), this.api.metricServerError()],
            width: 8,
          }),
          new SingleValueWidget({
            title: 'Model load failures',
            metrics: [custom('ModelLoadFailures')],
            width: 4,
          }),
        ],
      ],
    });
  }
}
