import { PassThrough, type Readable } from 'node:stream';
import type { Request } from 'express';
import busboy from 'busboy';
import { BadRequestError, PayloadTooLargeError } from '../lib/errors';
import { whenIdle } from '../lib/request-idle';

export interface UploadedFile {
  filename: string;
  /** The file's bytes as they arrive; errors with PayloadTooLargeError past the limit. */
  stream: Readable;
}

/**
 * Streams the one file of a multipart form (field `file`) without buffering it: the caller pipes
 * it into file storage. Other form fields arrive in `fields` before the file when the form lists
 * them first. `beforeFile` runs on the fields read before the file (the form's CSRF token comes
 * first) before any byte is taken, and also when no file came; what it throws refuses the upload.
 */
export function receiveFile(req: Request, maxBytes: number, beforeFile: (fields: Record<string, string>) => void): Promise<UploadedFile & { fields: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 20 } });
    } catch {
      reject(new BadRequestError('Send the file as a multipart form (an upload form)', { field: 'file' }));
      return;
    }
    const fields: Record<string, string> = {};
    let gotFile = false;
    let out: PassThrough | undefined;
    const stopWatching = whenIdle(req, (error) => {
      stopWatching();
      req.unpipe(parser);
      req.resume();
      if (out) out.destroy(error);
      else reject(error);
    });
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    let refused = false;
    const check = (): boolean => {
      try {
        beforeFile(fields);
        return true;
      } catch (error) {
        refused = true;
        reject(error as Error);
        return false;
      }
    };
    parser.on('file', (name, file, info) => {
      if (refused || name !== 'file' || gotFile || !info.filename || !check()) {
        file.resume();
        return;
      }
      gotFile = true;
      const stream = (out = new PassThrough());
      file.on('limit', () => stream.destroy(new PayloadTooLargeError(`The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`)));
      file.on('error', (error: Error) => stream.destroy(error));
      file.on('end', stopWatching);
      file.pipe(stream);
      resolve({ filename: info.filename ?? '', stream, fields });
    });
    parser.on('close', () => {
      stopWatching();
      if (!gotFile && !refused && check()) reject(new BadRequestError('Choose a file to upload', { field: 'file' }));
    });
    parser.on('error', (error: Error) => reject(new BadRequestError(`The upload could not be read: ${error.message}`, { field: 'file' })));
    req.pipe(parser);
  });
}
