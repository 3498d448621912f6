/** The OpenAPI 3.1 description of the mailer API, served at /api/v1/openapi.json. */
export function listsOpenApi(): Record<string, unknown> {
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const error = { $ref: '#/components/responses/Error' };
  const notFound = { description: 'No such list for this mailer (another mailer\'s list is also "not found")', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const notReady = { description: 'The list has not completed (or failed); see GET /lists/{id}', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const csv = (description: string) => ({ description, content: { 'text/csv': { schema: { type: 'string', format: 'binary' } } } });
  return {
    openapi: '3.1.0',
    info: {
      title: 'mailpref mailer API',
      version: '1.0.0',
      description:
        'Upload a mailing list for a category of advertising mail; mailpref removes every address whose household refused that category and returns the cleansed list, a discard report and a processing summary. Every row in is either kept or listed in the discard report with a reason.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ apiKey: [] }],
    paths: {
      '/categories': {
        get: { summary: 'The categories a list can be cleansed for', security: [], responses: { 200: { description: 'Active categories', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
      '/lists': {
        post: {
          summary: 'Upload a list and start its cleanse job',
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
                    mapping: { type: 'string', description: 'JSON object from address field to header name, e.g. {"address1":"Street","zip":"Postcode"}' },
                  },
                },
              },
            },
          },
          responses: {
            202: { description: 'Accepted; the job is queued', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, links: { type: 'object' } } } } } },
            400: error,
            401: error,
            404: { description: 'Unknown category', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            413: { description: 'Larger than the upload limit (the message names it)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
        get: { summary: "This mailer's lists, newest first", responses: { 200: { description: 'Lists', content: { 'application/json': { schema: { type: 'object', properties: { lists: { type: 'array', items: { $ref: '#/components/schemas/List' } } } } } } }, 401: error } },
      },
      '/lists/{id}': {
        parameters: [id],
        get: { summary: 'Status, progress, counts and timing of a list', responses: { 200: { description: 'The list', content: { 'application/json': { schema: { $ref: '#/components/schemas/List' } } } }, 401: error, 404: notFound } },
        delete: { summary: 'Delete the list\'s files now (the summary is kept)', responses: { 200: { description: 'Files deleted', content: { 'application/json': { schema: { $ref: '#/components/schemas/List' } } } }, 401: error, 404: notFound, 409: notReady } },
      },
      '/lists/{id}/cleansed': { parameters: [id], get: { summary: 'The cleansed list: the input\'s own bytes minus discarded rows (or every row flagged)', responses: { 200: csv('Cleansed list'), 401: error, 404: notFound, 409: notReady } } },
      '/lists/{id}/discards': { parameters: [id], get: { summary: 'The discard report (UTF-8 CSV): line number, reason, detail, choice date, raw row, original fields', responses: { 200: csv('Discard report'), 401: error, 404: notFound, 409: notReady } } },
      '/lists/{id}/summary': { parameters: [id], get: { summary: 'The processing summary', responses: { 200: { description: 'Summary', content: { 'application/json': { schema: { $ref: '#/components/schemas/Summary' } } } }, 401: error, 404: notFound, 409: notReady } } },
      '/lists/{id}/report': { parameters: [id], get: { summary: 'The processing summary as an HTML page with a chart', responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } }, 401: error, 404: notFound, 409: notReady } } },
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `mailpref mailers create NAME`' } },
      responses: { Error: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
      schemas: {
        Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } } },
        List: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            listName: { type: 'string' },
            category: { type: 'string' },
            status: { type: 'string', enum: ['queued', 'running', 'completed', 'failed'] },
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
            input: { type: 'object', properties: { bytes: { type: 'integer' }, sha256: { type: 'string' }, encoding: { type: 'string' }, delimiter: { type: 'string' } } },
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
