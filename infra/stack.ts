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
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { Settings } from './settings.js';

export const METRICS_NAMESPACE = 'ServerlessSentiment';
export const SERVICE_NAME = 'sentiment-api';
const ROUTES: Array<[HttpMethod, string]> = [
  [HttpMethod.POST, '/predict'],
  [HttpMethod.GET, '/health'],
  [HttpMethod.GET, '/model'],
  [HttpMethod.GET, '/openapi.json'],
  [HttpMethod.GET, '/'],
];

/** The prediction service: artifact bucket, Lambda, HTTP API, alarms and dashboard. */
export class SentimentStack extends Stack {
  readonly bucket: IBucket;
  readonly fn: NodejsFunction;
  readonly api: HttpApi;

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
    this.fn = new NodejsFunction(this, 'Predict', {
      entry: fileURLToPath(new URL('../src/lambda.ts', import.meta.url)),
      handler: 'handler',
      runtime: settings.nodeRuntime === 'nodejs22.x' ? Runtime.NODEJS_22_X : Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: settings.memorySize,
      timeout: Duration.seconds(settings.timeoutSeconds),
      logGroup,
      environment: {
        MODEL_URI: `s3://${this.bucket.bucketName}/${modelKey}`,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: settings.nodeRuntime === 'nodejs22.x' ? 'node22' : 'node24',
        minify: true,
        sourceMap: true,
        forceDockerBundling: false,
        // Bundle the AWS SDK too: the deployed code is then exactly what the tests ran.
        externalModules: [],
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
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

    this.monitoring(settings);

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
    const topic = new Topic(this, 'Alarms');
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
