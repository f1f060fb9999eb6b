import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';

const root = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = 'scripts/build-lambda.mjs';
// A zip runs on AWS's managed runtime, whose Node patch version AWS picks: a compile cache made for
// the deploying machine's Node would rarely match it, and would change the asset's hash at every
// build (see the script).
const NO_CACHE = '--no-compile-cache';

/**
 * A Lambda's code as `npm run build:lambda` bundles it (scripts/build-lambda.mjs), without a compile
 * cache: `index.mjs`, `app.mjs` and the chunks it loads on first use. NodejsFunction would bundle it as one file (its esbuild call
 * hard-codes `--outfile`, which rules out code splitting), and the AWS SDK would then be parsed at
 * every cold start though the function only reads with a signed GET. The bundle is built here, with
 * the project's esbuild; the image is CDK's fallback when local bundling is unavailable, and runs
 * the same script on the mounted project.
 */
export function lambdaCode(entry: string, nodeMajor: number): Code {
  return Code.fromAsset(root, {
    // The hash of what ships, not of the project directory (node_modules included).
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry(`public.ecr.aws/docker/library/node:${nodeMajor}`),
      command: ['node', SCRIPT, entry, '/asset-output', NO_CACHE],
      local: {
        tryBundle(outputDir) {
          execFileSync(process.execPath, [SCRIPT, entry, outputDir, NO_CACHE], { cwd: root, stdio: 'pipe' });
          return true;
        },
      },
    },
  });
}
