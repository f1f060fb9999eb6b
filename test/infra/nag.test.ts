import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { acknowledgeFindings, addNagChecks } from '../../infra/nag.js';
import { readSettings } from '../../infra/settings.js';
import { SentimentStack } from '../../infra/stack.js';

const CDK_JSON = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));

interface Report {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ ruleName: string }> }>;
}

/** Synthesizes the app as `cdk synth` does (cdk.json context, cdk-nag on), returning the report if it failed. */
function synthWithNag(context: Record<string, unknown>, acknowledge = true): Report | null {
  const outdir = mkdtempSync(join(tmpdir(), 'nag-'));
  const app = new App({ context: { ...CDK_JSON.context, ...context }, outdir });
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const stack = new SentimentStack(app, 'Nag', settings);
  addNagChecks(app);
  if (acknowledge) acknowledgeFindings(stack, settings);
  try {
    app.synth();
    return null;
  } catch {
    return JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as Report;
  }
}

const violations = (report: Report | null) =>
  report ? report.pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName)).sort() : [];

describe('cdk-nag (AWS Solutions and Serverless packs)', () => {
  it.each([
    ['the defaults', {}],
    ['IAM auth', { auth: 'iam' }],
    ['JWT auth', { auth: 'jwt', jwtIssuer: 'https://issuer.example.com', jwtAudience: 'sentiment' }],
    ['an existing bucket', { bucketName: 'my-models' }],
    ['container-image packaging', { packaging: 'image' }],
    ['Node.js 22', { nodeRuntime: 'nodejs22.x' }],
  ])('finds nothing that is not acknowledged with a reason, with %s', (_name, context) => {
    expect(violations(synthWithNag(context))).toEqual([]);
  });

  it('lists exactly the acknowledged findings when nothing is acknowledged (so each reason is still needed)', () => {
    const executions =
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"BatchJobs77623939"}]}]}';
    expect(violations(synthWithNag({}, false))).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::<Artifacts82DD59A1.Arn>/batch/in/*]',
      'AwsSolutions-IAM5[Resource::<Artifacts82DD59A1.Arn>/batch/out/*]',
      'AwsSolutions-IAM5[Resource::<Artifacts82DD59A1.Arn>/sentiment/*]',
      'AwsSolutions-IAM5[Resource::<BatchScoreC3F5CAE0.Arn>:*]',
      `AwsSolutions-IAM5[Resource::${executions}/*:*]`,
      `AwsSolutions-IAM5[Resource::${executions}:*]`,
      'AwsSolutions-S1',
      'AwsSolutions-SF1',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaTracing',
    ]);
  });
});

describe('cdk.json', () => {
  it('carries every feature flag CDK currently recommends, at its recommended value', async () => {
    const { CURRENTLY_RECOMMENDED_FLAGS } = await import('aws-cdk-lib/cx-api');
    for (const [flag, value] of Object.entries(CURRENTLY_RECOMMENDED_FLAGS))
      expect(CDK_JSON.context[flag], flag).toEqual(value);
  });
});
