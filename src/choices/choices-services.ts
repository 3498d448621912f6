import type { CategoriesService } from '../categories/categories-service';
import type { Config } from '../config';
import type { Db } from '../lib/db';
import type { FileStorage } from '../lib/file-storage';
import { deriveKey } from '../lib/server-secret';
import { AccessCodesService } from './access-codes-service';
import { CardImportService } from './card-import-service';
import { ChoicesService } from './choices-service';
import { PostcardRequestService } from './postcard-request-service';
import { PostcardService } from './postcard-service';

export interface ChoicesServices {
  choices: ChoicesService;
  accessCodes: AccessCodesService;
  postcards: PostcardService;
  postcardRequests: PostcardRequestService;
  cardImport: CardImportService;
  /** Key of the web form's CSRF tokens and rate-limit keys (derived from the server secret). */
  formKey: Buffer;
}

/** The recipient side's services, for the composition root (src/main.ts). */
export function createChoicesServices(
  config: Pick<Config, 'choices' | 'http'>,
  db: Db,
  categories: CategoriesService,
  files: FileStorage,
  secret: Buffer,
): ChoicesServices {
  const choices = new ChoicesService(db);
  const accessCodes = new AccessCodesService(db, deriveKey(secret, 'access-code'), config.choices.codeValidityDays);
  return {
    choices,
    accessCodes,
    postcards: new PostcardService(db, accessCodes, config.http.publicUrl, files),
    postcardRequests: new PostcardRequestService(db),
    cardImport: new CardImportService(db, accessCodes, choices, categories, files),
    formKey: deriveKey(secret, 'web-form'),
  };
}
