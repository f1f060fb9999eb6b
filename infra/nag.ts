import { type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { Settings } from './settings.js';

/** Runs the AWS Solutions and Serverless rule packs of cdk-nag on every synth of `app`. */
export function addNagChecks(app: Construct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/**
 * The findings left on purpose, each with its reason. Everything else cdk-nag reports fails the
 * synth (and the test in test/infra/nag.test.ts).
 */
export function acknowledgeFindings(stack: Stack, settings: Settings): void {
  const acknowledge = (id: string, reason: string) => Validations.of(stack).acknowledge({ id, reason });
  if (settings.auth === 'none') {
    acknowledge(
      'AwsSolutions-APIG4',
      'A public sentiment endpoint by design (auth=none is the default); -c auth=iam or auth=jwt puts an authorizer on POST /predict. Stage throttling bounds abuse.',
    );
  } else {
    Validations.of(stack.node.findChild('Api')).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Only POST /predict is authorized; GET /, /health, /model and /openapi.json are read-only and public on purpose (health checks, the playground, the API description).',
    });
  }
  const bucket = settings.bucketName
    ? `arn:<AWS::Partition>:s3:::${settings.bucketName}`
    : `<${logicalIdOf(stack, 'Artifacts')}.Arn>`;
  acknowledge(
    `AwsSolutions-IAM5[Resource::${bucket}/${settings.modelPrefix}/*]`,
    'Models are content-addressed under the prefix (<prefix>/models/<sha256>.sntm plus the manifest): the Lambda must read keys it cannot know at deploy time, and only s3:GetObject is granted.',
  );
  acknowledge(
    'AwsSolutions-S1',
    'The bucket holds model artifacts only, written by publishers and read by the Lambda role; S3 server access logs would need a second bucket. Turn on CloudTrail S3 data events for an audit trail.',
  );
  acknowledge(
    'Serverless-LambdaDLQ',
    'API Gateway invokes the function synchronously: a dead-letter queue only catches asynchronous invocations, and a failed request is already answered (and counted) as an error.',
  );
  if (settings.nodeRuntime !== 'nodejs24.x') {
    const reason =
      'Node.js 22 chosen on purpose with -c nodeRuntime=nodejs22.x (supported until April 2027); nodejs24.x is the default.';
    acknowledge('AwsSolutions-L1', reason);
    acknowledge('Serverless-LambdaLatestVersion', reason);
  }
  acknowledgeBatch(stack, bucket);
  acknowledge(
    'Serverless-LambdaTracing',
    'X-Ray tracing costs per trace and adds to every cold start; the JSON logs carry the API Gateway and Lambda request ids and the access logs join them.',
  );
}

/** The batch jobs' findings, acknowledged on the batch construct alone. */
function acknowledgeBatch(stack: Stack, bucket: string): void {
  const batch = stack.node.tryFindChild('Batch') as Construct | undefined;
  if (!batch) return;
  const acknowledge = (id: string, reason: string) => Validations.of(batch).acknowledge({ id, reason });
  const idOf = (path: string[]) => {
    let node: Construct | undefined = batch;
    for (const part of path) node = node?.node.tryFindChild(part) as Construct | undefined;
    return stack.getLogicalId(node as import('aws-cdk-lib').CfnElement);
  };
  const fn = idOf(['Score', 'Resource']);
  const machine = idOf(['Jobs', 'Resource']);
  acknowledge(
    `AwsSolutions-IAM5[Resource::${bucket}/batch/in/*]`,
    'A batch job reads the input object the caller names; keys are per job, so the grant is the input prefix (s3:GetObject only).',
  );
  acknowledge(
    `AwsSolutions-IAM5[Resource::${bucket}/batch/out/*]`,
    "Step Functions' ResultWriter writes per-Map-Run keys it chooses under the output prefix.",
  );
  acknowledge(
    `AwsSolutions-IAM5[Resource::<${fn}.Arn>:*]`,
    'The invoke grant covers the batch function and its versions (how CDK grants LambdaInvoke); no other function.',
  );
  const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machine}"}]}]}`;
  const children =
    'Distributed Map child executions have names chosen at run time, under this state machine only.';
  acknowledge(`AwsSolutions-IAM5[Resource::${executions}:*]`, children);
  acknowledge(`AwsSolutions-IAM5[Resource::${executions}/*:*]`, children);
  acknowledge(
    'AwsSolutions-IAM5[Resource::*]',
    'CloudWatch Logs log delivery and X-Ray trace APIs used by the state machine have no resource-level permissions.',
  );
  acknowledge(
    'AwsSolutions-SF1',
    "The state machine logs ERROR events: ALL would log every child batch's input (the reviews themselves) and cost more than the scoring; the execution history and the batch Lambda's logs keep the rest.",
  );
}

function logicalIdOf(stack: Stack, id: string): string {
  const bucket = stack.node.tryFindChild(id);
  const resource = bucket?.node.tryFindChild('Resource');
  return resource ? stack.getLogicalId(resource as import('aws-cdk-lib').CfnElement) : id;
}
