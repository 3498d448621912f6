import { loadConfig, type Config } from '../config';
import { loadSampleChoices } from '../choices/sample-data';
import { loadListsSampleData } from '../lists/lists-sample-data';
import { ensureFirstOperator } from '../operator/first-operator';
import { createApp, createRoot, type Root } from '../root';
import { exitOnStartupError, listen, stopOnSignals } from './process';
import { startWorkers } from './worker';

/** `npm start`: web server and workers in one process, on embedded servers unless URLs are set. */
export async function startAllInOne(config: Config = loadConfig()): Promise<Root> {
  const root = await createRoot(config);
  stopOnSignals(root);
  const sample = { ...root.services, db: root.db, loadSampleData: config.loadSampleData, logger: root.logger };
  const demo = await loadSampleChoices(sample);
  const firstOperator = await ensureFirstOperator(root.services.operators);
  const demoMailer = await loadListsSampleData(sample);
  startWorkers(root);
  const server = await listen(root, createApp(root));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const base = config.http.host === '0.0.0.0' ? `http://localhost:${port}` : `http://${config.http.host}:${port}`;
  process.stdout.write(
    [
      '',
      `mailpref is running (${config.databaseUrl ? 'DATABASE_URL' : 'embedded PostgreSQL'}, ${config.redisUrl ? 'REDIS_URL' : 'private Redis'}; data in ${config.dataDir})`,
      `  recipients   ${base}/`,
      `  categories   ${base}/categories`,
      `  health       ${base}/healthz`,
      `  mailers      ${base}/mailer  (API: ${base}/api/v1/openapi.json)`,
      ...(demoMailer ? [`  sign in to the mailer portal with the demo API key ${demoMailer.apiKey}`] : []),
      ...(demo ? [`  try the form with the demo postcard code ${demo.code} and ZIP ${demo.zip}`] : []),
      `  operators    ${base}/operator`,
      ...(firstOperator
        ? [`               first sign-in: ${firstOperator.email} with the one-time password ${firstOperator.password}`, '               (shown once; you choose your own password when you sign in)']
        : []),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  return root;
}

if (require.main === module) {
  startAllInOne().catch(exitOnStartupError);
}
