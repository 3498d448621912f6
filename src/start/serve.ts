import cluster from 'node:cluster';
import { loadConfig, type Config } from '../config';
import { signalReady } from '../lib/process-group';
import { createApp, createRoot } from '../root';
import { runPrimary } from './primary';
import { listen, stopOnSignals } from './process';

/**
 * `mailpref serve`: the web server and API. With WEB_PROCESSES > 1 this process becomes the
 * primary of that many web processes on the one port (runPrimary).
 */
export async function serve(config: Config = loadConfig()): Promise<void> {
  if (config.http.webProcesses > 1 && cluster.isPrimary) {
    await runPrimary(config, 'web', config.http.webProcesses, []);
    return;
  }
  // A forked web process finds the migrations applied by its primary.
  const root = await createRoot(config, { migrate: cluster.isPrimary });
  stopOnSignals(root);
  const server = await listen(root, createApp(root));
  root.logger.info({ address: server.address() }, 'listening');
  signalReady();
}
