import type { ChoicesService } from '../choices/choices-service';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { MailersService } from '../mailers/mailers-service';
import { loadSampleChoices } from './sample-choices';

/**
 * The demo mailer's key, published in the README so a newcomer can sign in to the portal at
 * once. It exists only where LOAD_SAMPLE_DATA put it (never set that in production).
 */
export const DEMO_API_KEY = 'mp_00000de000_sample-key-for-the-demo-mailer-portal-only0';
export const DEMO_MAILER = 'Demo Mailer';

/** On first start with LOAD_SAMPLE_DATA: the sample households' refusals and the demo mailer. */
export async function loadListsSampleData(deps: {
  db: Db;
  choices: ChoicesService;
  mailers: MailersService;
  /** LOAD_SAMPLE_DATA */
  loadSampleData: boolean;
  logger: Logger;
}): Promise<{ apiKey: string } | undefined> {
  if (!deps.loadSampleData) return undefined;
  const { recorded, alreadyLoaded } = await loadSampleChoices(deps);
  if (!alreadyLoaded) deps.logger.info({ recorded }, 'sample choices recorded');
  await deps.mailers.ensureMailerWithKey(DEMO_MAILER, DEMO_API_KEY);
  return { apiKey: DEMO_API_KEY };
}
