import fs from 'node:fs';
import { Writable } from 'node:stream';
import { projectPath } from '../lib/project-path';
import type { Logger } from '../lib/logger';
import type { AccessCodesService } from './access-codes-service';
import type { PostcardService } from './postcard-service';

/**
 * Known codes for the sample addresses, so a newcomer can try the web form at once and the
 * sample returned-card file (sample-data/returned-cards.csv) has live codes to apply. They are
 * issued only by LOAD_SAMPLE_DATA into a database without any postcard code yet.
 */
export const DEMO_CODES = [
  'HKQ7R-M4XPA',
  'B3NZ8-TW5CE',
  'F6YLD-2JRUS',
  'P9GKV-7HMAX',
  'T4CWE-8NQZB',
  'W2RJH-5LSYD',
  'Z7MPA-3FKTG',
  'C8VXN-6DRWE',
  'L5QHT-9BJZM',
  'R3WYK-4PCNF',
];
export const DEMO_ZIP = '02134';
export const SAMPLE_ADDRESSES = 'sample-data/postcard-addresses.csv';

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

/** Issues the demo codes on first start; returns the code to try while it is still live. */
export async function loadSampleChoices(deps: {
  accessCodes: AccessCodesService;
  postcards: PostcardService;
  /** LOAD_SAMPLE_DATA */
  loadSampleData: boolean;
  logger: Logger;
}): Promise<{ code: string; zip: string } | undefined> {
  const { accessCodes, postcards } = deps;
  if (deps.loadSampleData && (await accessCodes.countLive()) === 0) {
    const summary = await postcards.issueFromCsv(
      fs.createReadStream(projectPath(SAMPLE_ADDRESSES)),
      { print: discard(), rejects: discard() },
      { source: `${SAMPLE_ADDRESSES} (demo codes)`, fixedCodes: DEMO_CODES },
    );
    deps.logger.info({ printed: summary.printed, rejected: summary.rejected }, 'sample postcard codes issued');
  }
  const demo = await accessCodes.check(DEMO_CODES[0], DEMO_ZIP);
  return demo.ok ? { code: DEMO_CODES[0]!, zip: DEMO_ZIP } : undefined;
}
