import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, type Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  Choice,
  Condition,
  CsvHeaders,
  DefinitionBody,
  DistributedMap,
  Fail,
  type IItemReader,
  ItemBatcher,
  JsonPath,
  LogLevel,
  OutputType,
  Pass,
  ResultWriterV2,
  S3CsvItemReader,
  S3JsonLItemReader,
  S3ObjectsItemReader,
  StateMachine,
  StateMachineType,
  Transformation,
  WriterConfig,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { lambdaCode } from './lambda-code.js';
import type { Settings } from './settings.js';

/**
 * A ResultWriterV2 that grants nothing by itself: given a bucket path, CDK's would grant S3 writes on
 * every bucket (`*`); the construct below grants the output prefix alone.
 */
class PrefixResultWriter extends ResultWriterV2 {
  override providePolicyStatements(): PolicyStatement[] {
    return [];
  }
}

/** The same for listing a folder: the construct grants s3:ListBucket on the input prefix alone. */
class PrefixObjectsReader extends S3ObjectsItemReader {
  override providePolicyStatements(): PolicyStatement[] {
    return [];
  }
}

/** Where batch jobs read their input and write their results, in the stack's bucket. */
export const BATCH_INPUT_PREFIX = 'batch/in/';
export const BATCH_OUTPUT_PREFIX = 'batch/out';

export interface BatchJobsProps {
  bucket: IBucket;
  settings: Settings;
  runtime: Runtime;
  /** The runtime's Node major, which the bundle targets. */
  nodeMajor: number;
  environment: Record<string, string>;
}

/**
 * Batch scoring on AWS: a Step Functions state machine whose Distributed Map reads a CSV (header
 * row) or JSON Lines object under `batch/in/`, batches its rows, has the batch Lambda score each
 * batch (up to `batchConcurrency` at once) and writes the scored rows as JSON Lines under
 * `batch/out/`; a key ending in "/" scores every object under that folder. Input: `{"key":
 * "batch/in/reviews.csv", "format": "csv"|"jsonl", "textColumn"?, "keep"?}`.
 */
export class BatchJobs extends Construct {
  readonly fn: LambdaFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: BatchJobsProps) {
    super(scope, id);
    // ResultWriterV2 (WriterConfig: JSON Lines, flattened) is behind this flag; set here, before any
    // child exists, so the construct does not depend on the app's cdk.json.
    this.node.setContext('@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2', true);
    const { bucket, settings } = props;
    const logGroup = new LogGroup(this, 'BatchLogs', {
      retention: settings.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'BatchRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'The batch Lambda: its log group and the model prefix, nothing else',
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${settings.modelPrefix}/*`)],
      }),
    );
    this.fn = new LambdaFunction(this, 'Score', {
      code: lambdaCode('src/batch-lambda.ts', props.nodeMajor),
      handler: 'index.handler',
      runtime: props.runtime,
      architecture: Architecture.ARM_64,
      memorySize: settings.batchMemorySize,
      timeout: Duration.seconds(settings.batchTimeoutSeconds),
      role,
      logGroup,
      environment: { ...props.environment, POWERTOOLS_SERVICE_NAME: 'sentiment-batch' },
    });

    const mapFor = (name: string, itemReader: IItemReader) =>
      new DistributedMap(this, name, {
        comment: `Score one ${itemReader instanceof S3CsvItemReader ? 'CSV' : 'JSON Lines'} object in batches`,
        itemReader,
        itemBatcher: new ItemBatcher({
          maxItemsPerBatch: settings.batchItems,
          maxInputBytesPerBatch: settings.batchBytes,
          // Paths in BatchInput are resolved against the Map's input (the job) once per batch.
          batchInput: { 'textColumn.$': '$.textColumn', 'keep.$': '$.keep' },
        }),
        maxConcurrency: settings.batchConcurrency,
        toleratedFailurePercentage: settings.batchToleratedFailurePercent,
        resultWriterV2: new PrefixResultWriter({
          bucketNamePath: JsonPath.stringAt('$.bucket'),
          prefix: BATCH_OUTPUT_PREFIX,
          writerConfig: new WriterConfig({
            outputType: OutputType.JSONL,
            transformation: Transformation.FLATTEN,
          }),
        }),
        resultPath: '$.map',
      }).itemProcessor(
        new LambdaInvoke(this, `${name}Batch`, {
          lambdaFunction: this.fn,
          payloadResponseOnly: true,
          retryOnServiceExceptions: true,
        }),
      );
    // The bucket comes from the stack, never from the caller: `bucketNamePath` keeps CDK from granting
    // s3:GetObject on the whole bucket; the role below grants the input prefix alone.
    const reader = { bucketNamePath: JsonPath.stringAt('$.bucket'), key: JsonPath.stringAt('$.key') };
    const csv = mapFor('ScoreCsv', new S3CsvItemReader({ ...reader, csvHeaders: CsvHeaders.useFirstRow() }));
    const jsonl = mapFor('ScoreJsonl', new S3JsonLItemReader(reader));

    // A folder (a key ending in "/"): every object under it, one after another, each scored as above
    // by a map of its own inside the folder map's child; the folder map writes one line per object
    // (with that object's results manifest) under batch/out/.
    const perObject = new Choice(this, 'ObjectFormat')
      .when(
        Condition.stringEquals('$.format', 'csv'),
        mapFor('ScoreFolderCsv', new S3CsvItemReader({ ...reader, csvHeaders: CsvHeaders.useFirstRow() })),
      )
      .when(
        Condition.stringEquals('$.format', 'jsonl'),
        mapFor('ScoreFolderJsonl', new S3JsonLItemReader(reader)),
      );
    const folder = new DistributedMap(this, 'ScoreFolder', {
      comment: 'Score every object under the folder, one at a time',
      itemReader: new PrefixObjectsReader({
        bucketNamePath: JsonPath.stringAt('$.bucket'),
        prefix: JsonPath.stringAt('$.key'),
      }),
      itemSelector: {
        'bucket.$': '$.bucket',
        'key.$': '$$.Map.Item.Value.Key',
        'format.$': '$.format',
        'textColumn.$': '$.textColumn',
        'keep.$': '$.keep',
      },
      maxConcurrency: 1,
      resultWriterV2: new PrefixResultWriter({
        bucketNamePath: JsonPath.stringAt('$.bucket'),
        prefix: BATCH_OUTPUT_PREFIX,
        writerConfig: new WriterConfig({
          outputType: OutputType.JSONL,
          transformation: Transformation.COMPACT,
        }),
      }),
      resultPath: '$.map',
    }).itemProcessor(perObject);

    // The job: the caller's input over defaults (no text column named, nothing kept), then the
    // stack's bucket over whatever the caller said.
    const start = new Pass(this, 'Job', {
      parameters: {
        'job.$': `States.JsonMerge(States.JsonMerge(States.StringToJson('{"key":"","format":"","textColumn":null,"keep":null}'), $, false), States.StringToJson('{"bucket":"${bucket.bucketName}"}'), false)`,
      },
      outputPath: '$.job',
    });
    const outside = new Fail(this, 'InputOutsidePrefix', {
      error: 'InputOutsidePrefix',
      cause: `the input key must be under ${BATCH_INPUT_PREFIX}, as CSV (format "csv") or JSON Lines (format "jsonl")`,
    });
    const route = new Choice(this, 'Format')
      .when(
        Condition.and(
          Condition.stringMatches('$.key', `${BATCH_INPUT_PREFIX}*/`),
          Condition.or(
            Condition.stringEquals('$.format', 'csv'),
            Condition.stringEquals('$.format', 'jsonl'),
          ),
        ),
        folder,
      )
      .when(
        Condition.and(
          Condition.stringMatches('$.key', `${BATCH_INPUT_PREFIX}*`),
          Condition.stringEquals('$.format', 'csv'),
        ),
        csv,
      )
      .when(
        Condition.and(
          Condition.stringMatches('$.key', `${BATCH_INPUT_PREFIX}*`),
          Condition.stringEquals('$.format', 'jsonl'),
        ),
        jsonl,
      )
      .otherwise(outside);

    const machineLogs = new LogGroup(this, 'JobLogs', {
      retention: settings.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'Jobs', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(start.next(route)),
      tracingEnabled: true,
      logs: { destination: machineLogs, level: LogLevel.ERROR, includeExecutionData: false },
      comment:
        'Batch sentiment scoring: a CSV or JSON Lines object under batch/in/ to JSON Lines under batch/out/',
    });
    // Least privilege for the job: read the input prefix, write the output prefix.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${BATCH_INPUT_PREFIX}*`] } },
      }),
    );
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${BATCH_INPUT_PREFIX}*`)],
      }),
    );
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [bucket.arnForObjects(`${BATCH_OUTPUT_PREFIX}/*`)],
      }),
    );
    new CfnOutput(scope, 'BatchStateMachineArn', {
      value: this.stateMachine.stateMachineArn,
      description: `sentiment batch start --input s3://<bucket>/${BATCH_INPUT_PREFIX}<file>.csv`,
    });
  }
}
