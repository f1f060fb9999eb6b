import { App } from 'aws-cdk-lib';
import { acknowledgeFindings, addNagChecks } from './nag.js';
import { readSettings } from './settings.js';
import { SentimentStack } from './stack.js';

const app = new App();
const settings = readSettings((key) => app.node.tryGetContext(key));
const stack = new SentimentStack(
  app,
  app.node.tryGetContext('stackName') ?? 'ServerlessSentiment',
  settings,
  {
    description: 'Movie-review sentiment API: Lambda + HTTP API + S3 model artifacts',
  },
);
// cdk-nag (AWS Solutions and Serverless packs) on every synth: a new finding fails it.
addNagChecks(app);
acknowledgeFindings(stack, settings);
