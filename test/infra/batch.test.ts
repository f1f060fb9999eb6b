import { createRequire } from 'node:module';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../infra/settings.js';
import { SentimentStack } from '../../infra/stack.js';

const validate = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errors: Array<{ message: string; path?: string }>;
};

// biome-ignore lint/suspicious/noExplicitAny: ASL and IAM documents are untyped JSON here
type Asl = Record<string, any>;

function synth(context: Record<string, unknown> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new SentimentStack(
    app,
    'Test',
    readSettings((key) => context[key]),
  );
  return { template: Template.fromStack(stack), stack };
}

/** The state machine's ASL with CloudFormation intrinsics replaced by placeholder ARNs and names. */
function definitionOf(template: Template): Asl {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  expect(machines).toHaveLength(1);
  const join = machines[0].Properties.DefinitionString['Fn::Join'][1] as unknown[];
  const text = join
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = JSON.stringify(part);
      if (ref.includes('AWS::Partition')) return 'aws';
      if (ref.includes('Fn::GetAtt')) return 'arn:aws:lambda:us-east-1:123456789012:function:batch-score';
      return 'artifact-bucket';
    })
    .join('');
  return JSON.parse(text);
}

const statementsOf = (template: Template, logicalIdPart: string) =>
  Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.includes(logicalIdPart))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Asl[]);

describe('batch jobs (CDK): Step Functions Distributed Map over batch/in/ to batch/out/', () => {
  const { template } = synth();
  const definition = definitionOf(template);

  it('is a valid Amazon States Language definition (asl-validator)', () => {
    const { isValid, errors } = validate(definition);
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('refuses input outside batch/in/ or of an unknown format before reading anything', () => {
    const route = definition.States.Format;
    expect(route.Type).toBe('Choice');
    expect(route.Default).toBe('InputOutsidePrefix');
    expect(JSON.stringify(route.Choices)).toContain('"StringMatches":"batch/in/*"');
    expect(definition.States.InputOutsidePrefix.Type).toBe('Fail');
    // The bucket is the stack's, whatever the caller sends.
    expect(definition.States.Job.Parameters['job.$']).toContain(
      `States.StringToJson('{"bucket":"artifact-bucket"}')`,
    );
  });

  for (const [state, inputType] of [
    ['ScoreCsv', 'CSV'],
    ['ScoreJsonl', 'JSONL'],
  ] as const) {
    it(`${state}: an ${inputType} ItemReader, an ItemBatcher within the 256 KiB payload, the batch Lambda, JSON Lines results`, () => {
      const map = definition.States[state];
      expect(map.Type).toBe('Map');
      expect(map.ItemProcessor.ProcessorConfig.Mode).toBe('DISTRIBUTED');
      expect(map.ItemReader.Resource).toBe('arn:aws:states:::s3:getObject');
      expect(map.ItemReader.ReaderConfig.InputType).toBe(inputType);
      if (inputType === 'CSV') expect(map.ItemReader.ReaderConfig.CSVHeaderLocation).toBe('FIRST_ROW');
      expect(map.ItemReader.Parameters).toEqual({ 'Bucket.$': '$.bucket', 'Key.$': '$.key' });
      expect(map.ItemBatcher).toEqual({
        MaxItemsPerBatch: 500,
        MaxInputBytesPerBatch: 240 * 1024,
        BatchInput: { 'textColumn.$': '$.textColumn', 'keep.$': '$.keep' },
      });
      expect(map.ToleratedFailurePercentage).toBe(5);
      expect(map.MaxConcurrency).toBe(100);
      const task = Object.values(map.ItemProcessor.States)[0] as Asl;
      expect(task.Resource).toBe('arn:aws:lambda:us-east-1:123456789012:function:batch-score');
      expect(map.ResultWriter.Resource).toBe('arn:aws:states:::s3:putObject');
      expect(map.ResultWriter.Parameters).toEqual({ 'Bucket.$': '$.bucket', Prefix: 'batch/out' });
      expect(map.ResultWriter.WriterConfig).toEqual({ OutputType: 'JSONL', Transformation: 'FLATTEN' });
    });
  }

  it('scores every object of a folder (a key ending in "/"), one object at a time, each in a map of its own', () => {
    const route = definition.States.Format;
    expect(route.Choices[0].Next).toBe('ScoreFolder');
    expect(JSON.stringify(route.Choices[0])).toContain('"StringMatches":"batch/in/*/"');
    const folder = definition.States.ScoreFolder;
    expect(folder.ItemReader).toMatchObject({
      Resource: 'arn:aws:states:::s3:listObjectsV2',
      Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.key' },
    });
    expect(folder.ItemSelector).toMatchObject({ 'key.$': '$$.Map.Item.Value.Key', 'format.$': '$.format' });
    expect(folder.MaxConcurrency).toBe(1);
    expect(folder.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    const inner = folder.ItemProcessor.States;
    expect(inner.ObjectFormat.Type).toBe('Choice');
    expect(inner.ScoreFolderCsv.ItemReader.ReaderConfig.InputType).toBe('CSV');
    expect(inner.ScoreFolderJsonl.ItemReader.ReaderConfig.InputType).toBe('JSONL');
    expect(inner.ScoreFolderCsv.ResultWriter.WriterConfig).toEqual({
      OutputType: 'JSONL',
      Transformation: 'FLATTEN',
    });
    // One line per object, each with that object's own results manifest.
    expect(folder.ResultWriter.WriterConfig).toEqual({ OutputType: 'JSONL', Transformation: 'COMPACT' });
  });

  it('takes batch size, bytes, concurrency and tolerated failures from CDK context', () => {
    const tuned = definitionOf(
      synth({ batchItems: 50, batchBytes: 65536, batchConcurrency: 7, batchToleratedFailurePercent: 0 })
        .template,
    );
    expect(tuned.States.ScoreCsv.ItemBatcher).toMatchObject({
      MaxItemsPerBatch: 50,
      MaxInputBytesPerBatch: 65536,
    });
    expect(tuned.States.ScoreCsv.MaxConcurrency).toBe(7);
    // 0 (Step Functions' default) is left out of the definition.
    expect(tuned.States.ScoreCsv.ToleratedFailurePercentage ?? 0).toBe(0);
    expect(() => synth({ batchBytes: 300 * 1024 })).toThrow(/batchBytes/);
  });

  it('gives the state machine least privilege: read batch/in/, write batch/out/, invoke its Lambda, no s3 on *', () => {
    const statements = statementsOf(template, 'BatchJobsRole');
    const s3 = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    const resources = s3.map((s) => [[s.Action].flat().sort().join(','), JSON.stringify(s.Resource)]);
    expect(resources).toEqual([
      ['s3:ListBucket', expect.not.stringContaining('/')],
      ['s3:GetObject', expect.stringContaining('/batch/in/*')],
      [
        's3:AbortMultipartUpload,s3:GetObject,s3:ListMultipartUploadParts,s3:PutObject',
        expect.stringContaining('/batch/out/*'),
      ],
    ]);
    expect(statements.some((s) => [s.Action].flat().includes('lambda:InvokeFunction'))).toBe(true);
    // Listing is for the input prefix only (a folder job).
    const list = s3.find((s) => s.Action === 's3:ListBucket');
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['batch/in/*'] } });
  });

  it('runs the batch Lambda from the same bundle settings with its own role: its logs and the model prefix only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 120,
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'sentiment-batch' } },
    });
    const batch = statementsOf(template, 'BatchBatchRole');
    const s3 = batch.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect(s3).toHaveLength(1);
    expect(JSON.stringify(s3[0].Resource)).toContain('/sentiment/*');
  });

  it('outputs the state machine ARN for `sentiment batch start`', () => {
    expect(Object.keys(template.findOutputs('BatchStateMachineArn'))).toEqual(['BatchStateMachineArn']);
    expect(Stack).toBeDefined();
  });
});
