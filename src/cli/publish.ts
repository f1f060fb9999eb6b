import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { storeFor } from '../store/load-model.js';
import type { Manifest } from '../store/manifest.js';
import { listModels, promoteModel, publishModel, rollbackModel } from '../store/publish.js';
import { parseOrExplain } from './args.js';
import { UsageError } from './errors.js';

export const PUBLISH_HELP = `sentiment publish --model <file> --to s3://<bucket>/<prefix>

Uploads the model under <prefix>/models/<sha256>.sntm with its metrics, reads it back to verify it,
then points <prefix>/manifest.json at it and prints the MODEL_URI for the Lambda. Publishing the same
model again changes nothing. --to may also be a local folder.`;

export const MODELS_HELP = `sentiment models list --to s3://<bucket>/<prefix>
sentiment models promote <version> --to s3://<bucket>/<prefix>
sentiment models rollback --to s3://<bucket>/<prefix>
sentiment models purge --to s3://<bucket>[/<prefix>] [--yes]

Shows the published versions, makes one current (a unique prefix of its SHA-256 is enough), or goes
back to the version published before the current one. The Lambda picks the change up within
MODEL_REFRESH_SECONDS (5 minutes by default) or on its next cold start; no redeploy.

purge deletes every object version and delete marker under the prefix (the whole bucket without
one), so a versioned bucket can then be deleted (aws s3 rb); without --yes it only lists and counts.`;

function printManifest(manifest: Manifest, print: (line: string) => void): void {
  for (const entry of manifest.history) {
    const mark = entry.version === manifest.current ? '*' : ' ';
    const accuracy =
      entry.testAccuracy == null ? '' : `  test accuracy ${(entry.testAccuracy * 100).toFixed(2)}%`;
    print(
      `${mark} ${entry.version.slice(0, 12)}  ${entry.publishedAt}  ${entry.preset ?? '-'}  ${(entry.bytes / 1e6).toFixed(2)} MB${accuracy}`,
    );
  }
}

export async function publishCommand(
  argv: string[],
  print: (line: string) => void,
  log: (line: string) => void,
) {
  const { values } = parseOrExplain('publish', () =>
    parseArgs({ args: argv, strict: true, options: { model: { type: 'string' }, to: { type: 'string' } } }),
  );
  if (!values.model || !values.to)
    throw new UsageError('publish: --model <file> and --to <s3://bucket/prefix> are required');
  const bytes = await readFile(values.model).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`publish: cannot read ${values.model} (${error.code ?? error.message})`);
  });
  const store = await storeFor(values.to);
  const result = await publishModel(store, bytes, values.to);
  log(`${result.uploaded ? 'uploaded' : 'already published'} ${result.artifactUri}`);
  log(`${result.manifestUri} now points at ${result.version.slice(0, 12)}`);
  print(`MODEL_URI=${result.manifestUri}`);
}

export async function modelsCommand(argv: string[], print: (line: string) => void) {
  const { values, positionals } = parseOrExplain('models', () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { to: { type: 'string' }, yes: { type: 'boolean', default: false } },
    }),
  );
  const [action, version] = positionals;
  if (!values.to) throw new UsageError('models: --to <s3://bucket/prefix> is required');
  if (action === 'purge') {
    if (!values.to.startsWith('s3://'))
      throw new UsageError('models purge: --to must be s3://<bucket>[/<prefix>]');
    const { purgeS3 } = await import('../store/purge.js');
    const result = await purgeS3(values.to, { dryRun: !values.yes });
    const what = result.versioned
      ? 'object versions and delete markers'
      : 'objects (the server keeps no versions)';
    print(
      values.yes
        ? `deleted ${result.deleted} ${what} under ${values.to}`
        : `would delete ${result.deleted} ${what} under ${values.to}; run again with --yes to delete them`,
    );
    return;
  }
  const store = await storeFor(values.to);
  if (action === 'list') return printManifest(await listModels(store, values.to), print);
  if (action === 'promote') {
    if (!version) throw new UsageError('models promote: which version?');
    return printManifest(await promoteModel(store, values.to, version), print);
  }
  if (action === 'rollback') return printManifest(await rollbackModel(store, values.to), print);
  throw new UsageError(`models: unknown action "${action ?? ''}" (list, promote, rollback, purge)`);
}
