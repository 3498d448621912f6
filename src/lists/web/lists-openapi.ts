/** The OpenAPI 3.1 description of the mailer API, served at /api/v1/openapi.json. */
export function listsOpenApi(): Record<string, unknown> {
  const id = { name: 'id', in: 'path', required: true, description: 'The list id returned by the upload', schema: { type: 'string', format: 'uuid' } };
  const problem = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  const unauthorized = { $ref: '#/components/responses/Unauthorized' };
  const notFound = problem('No such list for this mailer (another mailer\'s list is also "not found"), or its files were deleted (`FILES_DELETED`)');
  const notReady = problem('The list has not completed (`NOT_READY`) or it failed (`LIST_FAILED`, the message says why); see GET /lists/{id}');
  const csv = (description: string) => ({ description, content: { 'text/csv': { schema: { type: 'string', format: 'binary' } } } });
  const mapField = (field: string) => ({ type: 'string', description: `The header of the ${field} column, when it is not one of the common names` });
  const listOperation = (operationId: string, summary: string, ok: Record<string, unknown>) => ({
    operationId,
    summary,
    responses: { 200: ok, 401: unauthorized, 404: notFound, 409: notReady },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'mailpref mailer API',
      version: '1.0.0',
      description:
        'Upload a mailing list for a category of advertising mail; mailpref removes every address whose household refused that category and returns the cleansed list, a discard report and a processing summary. Every row in is either kept or listed in the discard report with a reason.',
      license: { name: 'UNLICENSED (proprietary)', identifier: 'LicenseRef-UNLICENSED' },
    },
    servers: [{ url: '/api/v1' }],
    security: [{ apiKey: [] }],
    paths: {
      '/categories': {
        get: {
          operationId: 'listCategories',
          summary: 'The categories a list can be cleansed for',
          security: [],
          responses: {
            200: { description: 'Active categories', content: { 'application/json': { schema: { $ref: '#/components/schemas/Categories' } } } },
            406: problem('The request does not accept JSON (`NOT_ACCEPTABLE`)'),
          },
        },
      },
      '/lists': {
        post: {
          operationId: 'uploadList',
          summary: 'Upload a list and start its cleanse job',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Any unique string of yours (e.g. a UUID), up to 255 characters. A retried upload with the same key returns the list the first one made (with `Idempotent-Replayed: true`) instead of starting a second job; the same key with a different file or options is a 409.',
              schema: { type: 'string', maxLength: 255 },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file', 'category'],
                  properties: {
                    file: { type: 'string', format: 'binary', description: 'CSV or TSV with a header row; UTF-8 (± BOM), UTF-16 with BOM or Windows-1252' },
                    category: { type: 'string', description: 'Category slug, e.g. catalogs' },
                    mode: { type: 'string', enum: ['suppress', 'flag'], default: 'suppress' },
                    dedupe: { type: 'boolean', default: false },
                    keep_unreadable: { type: 'boolean', default: false, description: 'Keep rows whose address cannot be read instead of discarding them' },
                    mapping: { type: 'string', description: 'JSON object from address field to header name, e.g. {"address1":"Street","zip":"Postcode"}; or use the map_… fields' },
                    map_address1: mapField('address1 (street)'),
                    map_address2: mapField('address2 (apartment, unit)'),
                    map_city: mapField('city'),
                    map_state: mapField('state'),
                    map_zip: mapField('ZIP code'),
                    map_zip4: mapField('ZIP+4'),
                  },
                },
              },
            },
          },
          responses: {
            202: { description: 'Accepted; the job is queued', headers: { Location: { description: 'The list', schema: { type: 'string' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } } },
            400: problem('A missing or bad field (the message and `details.field` name it)'),
            401: unauthorized,
            404: problem('Unknown category'),
            409: problem('The Idempotency-Key was used before for a different upload (`IDEMPOTENCY_KEY_REUSED`), or a category that is retired'),
            413: problem('Larger than the upload limit (the message names it)'),
          },
        },
        get: {
          operationId: 'listLists',
          summary: "This mailer's lists, newest first",
          responses: { 200: { description: 'Lists', content: { 'application/json': { schema: { type: 'object', properties: { lists: { type: 'array', items: { $ref: '#/components/schemas/List' } } } } } } }, 401: unauthorized },
        },
      },
      '/lists/{id}': {
        parameters: [id],
        get: {
          operationId: 'getList',
          summary: 'Status, progress, counts and timing of a list',
          responses: { 200: { description: 'The list', content: { 'application/json': { schema: { $ref: '#/components/schemas/List' } } } }, 401: unauthorized, 404: notFound },
        },
        delete: {
          operationId: 'deleteListFiles',
          summary: "Delete the list's files now (the summary is kept)",
          responses: { 200: { description: 'Files deleted', content: { 'application/json': { schema: { $ref: '#/components/schemas/List' } } } }, 401: unauthorized, 404: notFound, 409: problem('The list is still being processed (`LIST_BUSY`)') },
        },
      },
      '/lists/{id}/cleansed': { parameters: [id], get: listOperation('getCleansedList', "The cleansed list: the input's own bytes minus discarded rows (or every row flagged)", csv('Cleansed list')) },
      '/lists/{id}/discards': { parameters: [id], get: listOperation('getDiscardReport', 'The discard report (UTF-8 CSV): line number, reason, detail, choice date, raw row, original fields', csv('Discard report')) },
      '/lists/{id}/summary': { parameters: [id], get: listOperation('getListSummary', 'The processing summary', { description: 'Summary', content: { 'application/json': { schema: { $ref: '#/components/schemas/Summary' } } } }) },
      '/lists/{id}/report': { parameters: [id], get: listOperation('getListReport', 'The processing summary as an HTML page with a chart', { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } }) },
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `mailpref mailers create NAME`, sent as `Authorization: Bearer <key>` (not `X-Api-Key`)' },
      },
      responses: {
        Unauthorized: problem('No key (`MISSING_API_KEY`; the message names the header to use), an unknown key (`INVALID_API_KEY`) or a revoked one (`REVOKED_API_KEY`)'),
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', description: 'e.g. `field`: the form field the error is about' } },
            },
          },
        },
        Categories: {
          type: 'object',
          properties: { categories: { type: 'array', items: { type: 'object', properties: { slug: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' } } } } },
        },
        Accepted: {
          type: 'object',
          properties: { id: { type: 'string', format: 'uuid' }, status: { type: 'string' }, inputBytes: { type: 'integer' }, inputSha256: { type: 'string' }, links: { type: 'object' } },
        },
        List: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            listName: { type: 'string' },
            category: { type: 'string' },
            status: { type: 'string', enum: ['draft', 'queued', 'running', 'completed', 'failed'], description: '`draft`: uploaded in the portal, waiting for the mailer to check its columns and start it' },
            progress: { type: 'object', properties: { rowsProcessed: { type: 'integer' }, bytesProcessed: { type: 'integer' }, inputBytes: { type: 'integer' }, percent: { type: 'integer' } } },
            counts: { type: ['object', 'null'] },
            snapshotAt: { type: ['string', 'null'], format: 'date-time' },
            validUntil: { type: ['string', 'null'], format: 'date-time' },
            error: { type: ['string', 'null'] },
            links: { type: 'object' },
          },
        },
        Summary: {
          type: 'object',
          properties: {
            listName: { type: 'string' },
            mailer: { type: 'string' },
            category: { type: 'object' },
            input: { type: 'object', properties: { bytes: { type: 'integer' }, sha256: { type: 'string' }, encoding: { type: 'string' }, encodingDecidedBy: { type: 'string', description: 'How the encoding was decided (on every byte of the file)' }, delimiter: { type: 'string' } } },
            output: { type: 'object', properties: { cleansedSha256: { type: 'string' }, discardsSha256: { type: 'string' } } },
            rows: { type: 'object', properties: { in: { type: 'integer' }, kept: { type: 'integer' }, discarded: { type: 'integer' }, discardedByReason: { type: 'object' } } },
            accounting: { type: 'string' },
            snapshotAt: { type: 'string', format: 'date-time' },
            validUntil: { type: 'string', format: 'date-time' },
            processingMs: { type: 'integer' },
          },
        },
      },
    },
  };
}
