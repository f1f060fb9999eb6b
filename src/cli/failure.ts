import { SentimentError } from '../errors.js';
import { UsageError } from './errors.js';

export interface Failure {
  /** What went wrong, in a line. */
  message: string;
  /** How to fix it, when that is known. */
  hint?: string;
  exitCode: number;
  /** Print the command's help after it (a usage mistake). */
  showHelp: boolean;
  /** Not an error we anticipated: the stack helps a bug report (printed with DEBUG=1 or --verbose). */
  unexpected: boolean;
}

interface SystemError {
  code?: string;
  path?: string;
  port?: number;
  address?: string;
  name?: string;
  message?: string;
}

/**
 * The one place that turns any error into what the CLI prints: the project's own errors with their
 * hint, the operating system's and the AWS SDK's everyday failures in words, anything else as an
 * unexpected error (exit 70) whose stack appears only when asked for.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError)
    return { message: error.message, hint: error.hint, exitCode: 2, showHelp: true, unexpected: false };
  if (error instanceof SentimentError)
    return { message: error.message, hint: error.hint, exitCode: 1, showHelp: false, unexpected: false };
  const e = (error ?? {}) as SystemError;
  const known = (message: string, hint?: string): Failure => ({
    message,
    hint,
    exitCode: 1,
    showHelp: false,
    unexpected: false,
  });
  switch (e.code) {
    case 'EADDRINUSE':
      return known(
        `port ${e.port ?? ''} on ${e.address ?? 'this host'} is already in use`,
        'stop the other server, or choose another port with --port <n> (or PORT)',
      );
    case 'EISDIR':
      return known(
        `${e.path ?? 'the path'} is a folder, not a file`,
        `give the file inside it, such as ${e.path}/model.sntm`,
      );
    case 'ENOENT':
      return known(`${e.path ?? 'a file'} does not exist`);
    case 'EACCES':
    case 'EPERM':
      return known(`permission denied: ${e.path ?? e.message ?? ''}`);
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
      return known(
        `could not reach ${e.address ?? 'the server'} (${e.code})`,
        'check the endpoint and the network',
      );
  }
  if (e.name === 'CredentialsProviderError')
    return known(
      'no AWS credentials found for S3',
      'run "aws configure" or "aws sso login", or set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
    );
  if (typeof e.message === 'string' && /Region is missing/i.test(e.message))
    return known('no AWS region set for S3', 'set AWS_REGION (for example AWS_REGION=us-east-1)');
  if (e.name === 'NoSuchBucket')
    return known(`no such S3 bucket (${e.message})`, 'check the bucket name in the s3:// URI');
  if (e.name === 'AccessDenied')
    return known(`S3 refused access (${e.message})`, 'check the IAM permissions of your credentials');
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    message: `unexpected error: ${message}`,
    hint: 'run again with DEBUG=1 for the stack trace, and report it if it looks like a bug',
    exitCode: 70,
    showHelp: false,
    unexpected: true,
  };
}
