import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';

/** Deployment settings, from CDK context (`-c key=value` or cdk.json), each with a default. */
export const settingsSchema = z.object({
  /** Name of the artifact bucket; a new one is created when absent. */
  bucketName: z.string().min(3).optional(),
  /** Folder of the bucket that holds models and the manifest (`sentiment publish --to s3://<bucket>/<prefix>`). */
  modelPrefix: z
    .string()
    .regex(/^[\w.-]+(\/[\w.-]+)*$/)
    .default('sentiment'),
  /** Object the Lambda loads: the manifest, so models change without redeploying. */
  modelKey: z.string().optional(),
  /** 256 MB: the default model's Lambda process peaks at ~145 MB RSS; the extra memory buys CPU for cold starts. */
  memorySize: z.coerce.number().int().min(128).max(10240).default(256),
  timeoutSeconds: z.coerce.number().int().min(1).max(29).default(10),
  /** `zip` (default) or `image`: a container image built from Dockerfile.lambda, for teams whose policy demands images. */
  packaging: z.enum(['zip', 'image']).default('zip'),
  /** The Lambda runtime: Node.js 24 (current) or 22. */
  nodeRuntime: z.enum(['nodejs24.x', 'nodejs22.x']).default('nodejs24.x'),
  /** Stage throttling: steady requests per second and burst. */
  throttleRate: z.coerce.number().positive().default(50),
  throttleBurst: z.coerce.number().int().positive().default(100),
  /** `none`, `iam` (SigV4-signed callers) or `jwt` (an OIDC issuer and audience). */
  auth: z.enum(['none', 'iam', 'jwt']).default('none'),
  jwtIssuer: z.string().url().optional(),
  jwtAudience: z.string().optional(),
  corsOrigins: z.string().default('*'),
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine(
      (days) => Object.values(RetentionDays).includes(days),
      'one of CloudWatch Logs retention periods (1, 3, 5, 7, 14, 30, 60, 90, ...)',
    )
    .default(30),
  /** Alarm threshold for p99 latency, in milliseconds. */
  p99LatencyMs: z.coerce.number().positive().default(1000),
  alarmEmail: z.string().email().optional(),
  /** Batch jobs: items per child batch, and bytes per batch (Step Functions' payload limit is 256 KiB). */
  batchItems: z.coerce.number().int().min(1).max(100_000).default(500),
  batchBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024)
    .default(240 * 1024),
  /** Child batches running at once (each one Lambda invocation). */
  batchConcurrency: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Share of child batches that may fail before the whole job does (an item over batchBytes fails its batch). */
  batchToleratedFailurePercent: z.coerce.number().min(0).max(100).default(5),
  /** The batch Lambda's memory and timeout (it scores up to batchItems reviews per invocation). */
  batchMemorySize: z.coerce.number().int().min(128).max(10240).default(512),
  batchTimeoutSeconds: z.coerce.number().int().min(1).max(900).default(120),
});
export type Settings = z.infer<typeof settingsSchema>;

export function readSettings(context: (key: string) => unknown): Settings {
  const keys = Object.keys(settingsSchema.shape) as Array<keyof Settings>;
  const raw = Object.fromEntries(keys.map((k) => [k, context(k)]).filter(([, v]) => v !== undefined));
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `invalid CDK context: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  if (parsed.data.auth === 'jwt' && (!parsed.data.jwtIssuer || !parsed.data.jwtAudience)) {
    throw new Error('auth=jwt needs jwtIssuer and jwtAudience in the CDK context');
  }
  return parsed.data;
}
