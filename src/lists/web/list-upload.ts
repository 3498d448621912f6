import busboy from 'busboy';
import type { Request } from 'express';
import { BadRequestError, PayloadTooLargeError } from '../../lib/errors';
import { whenIdle } from '../../lib/request-idle';
import { formatBytes, type ListOptionsInput, type ListsService } from '../lists-service';

export interface ReceivedList {
  listId: string;
  listName: string;
  options: ListOptionsInput;
  upload: { bytes: number; sha256: string };
}

export function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The file is larger than the upload limit of ${formatBytes(maxBytes)} (LIST_MAX_UPLOAD_BYTES); split the list and upload the parts`, { field: 'file' });
}

const MAPPING_FIELD = /^map_(address1|address2|city|state|zip|zip4)$/;

/** The list options an upload's form fields give (`map_<field>` fields, or `mapping` as JSON). */
export function listOptionsFrom(fields: Record<string, string>): ListOptionsInput {
  const mapping: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    const mapped = MAPPING_FIELD.exec(name);
    if (mapped && value.trim()) mapping[mapped[1]!] = value.trim();
  }
  return {
    category: fields.category,
    mode: fields.mode,
    dedupe: fields.dedupe,
    keepUnreadable: fields.keep_unreadable,
    mapping: Object.keys(mapping).length > 0 ? mapping : fields.mapping,
  };
}

/**
 * Reads a multipart upload (fields `file`, `category`, `mode`, `dedupe`, `keep_unreadable`,
 * `mapping` or `map_<field>`): the file streams straight into storage, hashed on the way, never
 * held in memory. Over the size limit, the partial file is removed and the answer is a 413.
 * The form fields read are also written into `fields` as they arrive, so that a page can show
 * them again when the upload fails. `beforeFile` runs on the fields read before the file, before
 * any byte of it is stored (the portal checks its CSRF field there); what it throws refuses it.
 */
export function receiveListUpload(req: Request, lists: ListsService, fields: Record<string, string> = {}, beforeFile?: (fields: Record<string, string>) => void): Promise<ReceivedList> {
  const maxBytes = lists.maxUploadBytes;
  const declared = Number(req.get('content-length') ?? 0);
  // The multipart envelope adds a little; a body far over the limit is refused as soon as its
  // file starts (the fields before it are still read, for the form shown again), nothing stored.
  const declaredTooLarge = declared > maxBytes + 1024 * 1024;
  if (!req.is('multipart/form-data')) {
    if (declaredTooLarge) return Promise.reject(tooLarge(maxBytes));
    return Promise.reject(new BadRequestError('Send the list as multipart/form-data with a `file` field (curl -F file=@list.csv -F category=…)', { field: 'file' }));
  }
  const listId = lists.newListId();
  return new Promise<ReceivedList>((resolve, reject) => {
    let upload: Promise<{ bytes: number; sha256: string }> | undefined;
    let fileStream: NodeJS.ReadableStream & { destroy(error?: Error): void } | undefined;
    let listName = '';
    // A browser whose file input was left empty still sends the part, with filename="" and no bytes.
    let unnamedFile = false;
    let failure: Error | undefined;
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 30, fieldSize: 64 * 1024 } });
    } catch (error) {
      reject(new BadRequestError(`Cannot read the upload: ${(error as Error).message}`));
      return;
    }
    const stopWatching = whenIdle(req, (error) => fail(error));
    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      stopWatching();
      req.unpipe(parser);
      req.resume(); // drain what the client still sends, so it can read our answer
      fileStream?.destroy(error); // the storage put fails and removes its temporary file
      const cleanup = upload ? upload.catch(() => undefined) : Promise.resolve();
      cleanup.then(() => lists.discardUpload(listId)).then(
        () => reject(error),
        () => reject(error),
      );
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || upload) {
        stream.resume();
        fail(new BadRequestError(`Unexpected file field "${name}": send one file, in the field named "file"`, { field: name }));
        return;
      }
      try {
        beforeFile?.(fields);
      } catch (error) {
        stream.resume();
        fail(error as Error);
        return;
      }
      if (declaredTooLarge) {
        stream.resume();
        fail(tooLarge(maxBytes));
        return;
      }
      listName = info.filename ?? '';
      unnamedFile = !info.filename;
      fileStream = stream;
      // Errors of the file stream reach us through the storage put; this keeps them from being unhandled.
      stream.on('error', () => undefined);
      stream.on('limit', () => fail(tooLarge(maxBytes)));
      upload = lists.receiveUpload(listId, stream);
      upload.catch((error) => fail(error));
    });
    parser.on('error', (error) => fail(new BadRequestError(`Cannot read the upload: ${(error as Error).message}`)));
    // A client that goes away mid-upload: the partial file is removed, nothing is queued.
    req.on('close', () => {
      if (!req.complete) fail(new BadRequestError('The upload was interrupted before the whole file arrived'));
    });
    parser.on('close', () => {
      if (failure) return;
      const noFile = () => fail(new BadRequestError('No file in the upload: send the list in a field named "file"', { field: 'file' }, 'NO_FILE'));
      if (!upload) {
        noFile();
        return;
      }
      upload.then(
        (stored) => {
          if (failure) return;
          if (unnamedFile && stored.bytes === 0) {
            noFile();
            return;
          }
          stopWatching();
          resolve({ listId, listName, options: listOptionsFrom(fields), upload: stored });
        },
        (error) => fail(error),
      );
    });
    req.pipe(parser);
  });
}
