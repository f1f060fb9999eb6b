import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../infra/settings.js';
import { SentimentStack } from '../../infra/stack.js';

function synth(context: Record<string, unknown> = {}) {
  const app = new App({ context });
  const stack = new SentimentStack(
    app,
    'Test',
    readSettings((key) => app.node.tryGetContext(key)),
  );
  return Template.fromStack(stack);
}

describe('SentimentStack (CDK)', () => {
  const template = synth();

  it('deploys the Lambda as an arm64 Node.js 24 zip with the settings it was measured for', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 10,
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          MODEL_URI: Match.anyValue(),
          POWERTOOLS_SERVICE_NAME: 'sentiment-api',
        }),
      },
    });
    // The cold start measured is the one deployed: no source map parsed at init.
    const functions = template.findResources('AWS::Lambda::Function');
    for (const fn of Object.values(functions))
      expect(JSON.stringify(fn.Properties.Environment ?? {})).not.toContain('enable-source-maps');
  });

  // NodejsFunction bundles into one file (its esbuild call fixes --outfile), so the cold start would
  // parse the AWS SDK the function does not use to read its model.
  // Without a compile cache: the managed runtime's Node version is AWS's, and V8's cache bytes would
  // change the asset's hash at every synth.
  it('ships each Lambda as scripts/build-lambda.mjs bundles it: index.mjs, app.mjs, the AWS SDK in a chunk of its own, no compile cache', () => {
    const app = new App();
    const stack = new SentimentStack(
      app,
      'Bundle',
      readSettings((key) => app.node.tryGetContext(key)),
    );
    const assembly = app.synth();
    for (const fn of [stack.fn, stack.batch.fn]) {
      const dir = join(assembly.directory, (fn.node.findChild('Code') as Asset).assetPath);
      const files = readdirSync(dir, { recursive: true, encoding: 'utf8' });
      expect(files).toContain('index.mjs');
      expect(files).toContain('app.mjs');
      expect(files.filter((f) => f.startsWith('compile-cache'))).toEqual([]);
      expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).not.toContain('enableCompileCache');
      expect(readFileSync(join(dir, 'app.mjs'), 'utf8')).not.toContain('"GetObjectCommand"');
      const sdk = files.filter(
        (f) => f.endsWith('.mjs') && readFileSync(join(dir, f), 'utf8').includes('"GetObjectCommand"'),
      );
      expect(sdk).toHaveLength(1);
      expect(sdk[0]).toMatch(/^chunks\//);
    }
  });

  it('runs on Node.js 22 when asked (-c nodeRuntime=nodejs22.x), and refuses other runtimes', () => {
    synth({ nodeRuntime: 'nodejs22.x' }).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
    });
    expect(() => synth({ nodeRuntime: 'nodejs20.x' })).toThrow(/nodeRuntime/);
  });

  it('gives the Lambda its own role: its log group and s3:GetObject on the model prefix, no managed policy, no *', () => {
    // The prediction Lambda's role (the batch jobs have their own roles: test/infra/batch.test.ts).
    const policies = Object.fromEntries(
      Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
        id.startsWith('PredictRole'),
      ),
    );
    const statements = Object.values(policies).flatMap(
      (p) =>
        (
          p as {
            Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } };
          }
        ).Properties.PolicyDocument.Statement,
    );
    expect(statements.map((s) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      's3:GetObject',
    ]);
    expect(JSON.stringify(statements[0].Resource)).toContain('PredictLogs');
    const resource = JSON.stringify(statements[1].Resource);
    expect(resource).toContain('/sentiment/*');
    expect(JSON.stringify(statements)).not.toMatch(/"s3:\*"|"\*"|"logs:\*"/);
    const roles = Object.entries(template.findResources('AWS::IAM::Role')) as Array<
      [string, { Properties: { ManagedPolicyArns?: unknown } }]
    >;
    expect(roles.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'BatchBatchRole',
      'BatchJobsRole',
      'PredictRole',
    ]);
    for (const [, role] of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('keeps artifacts in an encrypted, versioned, private, TLS-only bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('routes POST /predict and the GET routes through an HTTP API with throttling and CORS', () => {
    for (const route of [
      'POST /predict',
      'GET /health',
      'GET /model',
      'GET /openapi.json',
      'GET /docs',
      'GET /',
    ]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: route,
        AuthorizationType: 'NONE',
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['*'] }),
    });
  });

  it('retains logs for 30 days', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('writes API Gateway access logs as JSON with request ids, status, latency and integration errors', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
      Properties: { AccessLogSettings: { DestinationArn: unknown; Format: string } };
    };
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      responseLatencyMs: '$context.responseLatency',
      integrationRequestId: '$context.integration.requestId',
      integrationErrorMessage: '$context.integrationErrorMessage',
    });
    expect(JSON.stringify(stage.Properties.AccessLogSettings.DestinationArn)).toContain('ApiAccessLogs');
    expect(
      Object.keys(template.findResources('AWS::Logs::LogGroup'))
        .map((id) => id.replace(/[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual(['ApiAccessLogs', 'BatchBatchLogs', 'BatchJobLogs', 'PredictLogs']);
  });

  it('sends alarms through an SNS topic that refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('packages the same function as a container image with -c packaging=image (synth only: no Docker engine here)', () => {
    const image = synth({ packaging: 'image' });
    const fn = Object.values(image.findResources('AWS::Lambda::Function'))[0] as {
      Properties: {
        PackageType?: string;
        Runtime?: string;
        Code: { ImageUri?: unknown };
        Architectures: string[];
      };
    };
    expect(fn.Properties.PackageType).toBe('Image');
    expect(fn.Properties.Runtime).toBeUndefined();
    expect(fn.Properties.Code.ImageUri).toBeDefined();
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    const dockerfile = readFileSync(new URL('../../Dockerfile.lambda', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/^FROM public\.ecr\.aws\/lambda\/nodejs:\$\{NODE_MAJOR\}/m);
    expect(dockerfile).toContain('scripts/build-lambda.mjs');
    expect(dockerfile).toMatch(/CMD \["index\.handler"\]/);
    const serve = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    expect(serve).toMatch(/CMD \["node", "dist\/cli\/bin\.js", "serve", "--host", "0\.0\.0\.0"/);
  });

  it('alarms on errors, 5xx, p99 latency, throttles, model load failures and low-coverage traffic, and has a dashboard', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) =>
        (a as { Properties: { MetricName?: string; ExtendedStatistic?: string; Metrics?: unknown } })
          .Properties,
    );
    expect(alarms.map((a) => a.MetricName ?? 'math').sort()).toEqual([
      '5xx',
      'Duration',
      'Errors',
      'ModelLoadFailures',
      'Throttles',
      'math',
    ]);
    const share = JSON.stringify(alarms.find((a) => a.MetricName === undefined)?.Metrics);
    expect(share).toContain('LowCoveragePredictions');
    expect(share).toContain('lowCoverage / predictions');
    expect(alarms.find((a) => a.MetricName === 'Duration')?.ExtendedStatistic).toBe('p99');
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const metric of [
      'PositivePredictions',
      'LowConfidencePredictions',
      'PredictMs',
      'ColdStart',
      'ModelLoadMs',
      'InvalidRequests',
    ]) {
      expect(body).toContain(metric);
    }
  });

  it('outputs the API URL, the bucket name, the model URI and the batch state machine', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
      'ApiUrl',
      'BatchStateMachineArn',
      'BucketName',
      'ModelUri',
    ]);
  });

  it('takes its settings from CDK context, and guards POST /predict with IAM or JWT when asked', () => {
    const tuned = synth({ memorySize: 512, throttleRate: 5, auth: 'iam', bucketName: 'existing-models' });
    tuned.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 512 });
    tuned.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /predict',
      AuthorizationType: 'AWS_IAM',
    });
    tuned.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /health',
      AuthorizationType: 'NONE',
    });
    tuned.resourceCountIs('AWS::S3::Bucket', 0);
    const jwt = synth({ auth: 'jwt', jwtIssuer: 'https://issuer.example.com', jwtAudience: 'sentiment' });
    jwt.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    jwt.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /predict',
      AuthorizationType: 'JWT',
    });
    expect(() => synth({ auth: 'jwt' })).toThrow(/jwtIssuer/);
    expect(() => synth({ memorySize: 64 })).toThrow(/memorySize/);
  });
});

describe('npm run synth', () => {
  it('synthesizes the template offline, with no AWS credentials in the environment', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
    const root = new URL('../..', import.meta.url).pathname;
    await promisify(execFile)('npx', ['cdk', 'synth', '--quiet', '--output', out], {
      cwd: root,
      env: { ...env, CDK_DISABLE_VERSION_CHECK: '1', CI: 'true' },
      timeout: 120_000,
    });
    expect(existsSync(join(out, 'ServerlessSentiment.template.json'))).toBe(true);
  }, 180_000);
});
