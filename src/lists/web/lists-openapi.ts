/** The OpenAPI 3.1 description of the mailer API, served at /api/v1/openapi.json. */
export function listsOpenApi(): Record<string, unknown> {
  const id = { name: 'id', in: 'path', required: true, description: 'The list id returned by the upload', schema: { type: 'string', format: 'uuid' } };
  const problem = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  const unauthorized = { $ref: '#/components/responses/Unauthorized' };
  const notFound = problem('No such list for this mailer (another mailer\'s list is also "not found"), or its files were deleted (`FILES_DELETED`)');
  const notReady = problem('The list has not completed (`NOT_READY`) or it failed (`LIST_FAILED`, the message says why); see GET /lists/{id}');
  const csv = (description: string) => ({ description, content: { 'text/csv': { schema: { type: 'string', format: 'binary' } } } });
  const mapField = (field: string) => ({ type: 'string', description: `The header of the ${field} column, when it is not one of the common names` });
  const webhookOk = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Webhook' } } } });
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
      '/webhook': {
        get: {
          operationId: 'getWebhook',
          summary: "This mailer's webhook (never its secret)",
          responses: { 200: webhookOk('The webhook'), 401: unauthorized, 404: problem('No webhook is set (`NO_WEBHOOK`)') },
        },
        put: {
          operationId: 'setWebhook',
          summary: 'Set the address list events are posted to',
          description:
            'When one of your lists completes or fails, mailpref posts a `ListEvent` (see `webhooks`) to this address, signed in the `Mailpref-Signature` header, and retries with exponential backoff until the receiver answers 2xx. The address must be http(s) and resolve to a public address (loopback, private and link-local addresses are refused unless the server sets WEBHOOK_ALLOW_PRIVATE). Setting a webhook for the first time makes its signing secret, returned in this answer only (201); changing the address keeps the secret (200).',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri', maxLength: 2000 } } } } } },
          responses: {
            200: webhookOk('The address was changed; the secret is unchanged'),
            201: { description: 'The webhook was created; `secret` is shown this once', content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookWithSecret' } } } },
            400: problem('The address is missing, not http(s), holds a user name, cannot be resolved or is not public (`BAD_WEBHOOK_URL`, `details.field` is `url`)'),
            401: unauthorized,
          },
        },
        delete: {
          operationId: 'removeWebhook',
          summary: 'Stop posting list events',
          responses: { 204: { description: 'Removed' }, 401: unauthorized, 404: problem('No webhook is set (`NO_WEBHOOK`)') },
        },
      },
      '/webhook/secret': {
        post: {
          operationId: 'rotateWebhookSecret',
          summary: 'Make a new signing secret (the old one signs nothing from now on)',
          responses: {
            200: { description: 'The new secret, shown this once', content: { 'application/json': { schema: { type: 'object', required: ['secret'], properties: { secret: { type: 'string' } } } } } },
            401: unauthorized,
            404: problem('No webhook is set (`NO_WEBHOOK`)'),
          },
        },
      },
      '/lists/{id}/cleansed': { parameters: [id], get: listOperation('getCleansedList', "The cleansed list: the input's own bytes minus discarded rows (or every row flagged)", csv('Cleansed list')) },
      '/lists/{id}/discards': { parameters: [id], get: listOperation('getDiscardReport', 'The discard report (UTF-8 CSV): line number, reason, detail, choice date, raw row, original fields', csv('Discard report')) },
      '/lists/{id}/summary': { parameters: [id], get: listOperation('getListSummary', 'The processing summary', { description: 'Summary', content: { 'application/json': { schema: { $ref: '#/components/schemas/Summary' } } } }) },
      '/lists/{id}/report': { parameters: [id], get: listOperation('getListReport', 'The processing summary as an HTML page with a chart', { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } }) },
    },
    webhooks: {
      listEvent: {
        post: {
          operationId: 'listEvent',
          summary: 'A list completed or failed (posted to your webhook)',
          description:
            'Sent once per list and outcome; the same event (same `id`) may arrive more than once when an answer was lost, so treat it idempotently. Check the signature before trusting the body: `Mailpref-Signature: t=<unix seconds>,v1=<hex>`, where v1 is HMAC-SHA256 with your secret over `<t>.<the raw body>`; compare in constant time and refuse a `t` more than 5 minutes away from now. Answer any 2xx status within 10 seconds; anything else (or no answer) is retried with exponential backoff, each attempt shown with the list (`webhookDeliveries`). Redirects are not followed.',
          security: [],
          parameters: [
            { name: 'Mailpref-Signature', in: 'header', required: true, description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with your webhook secret>`', schema: { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ListEvent' } } } },
          responses: { 200: { description: 'Received (any 2xx)' }, 400: { description: 'Refused (a bad signature, say); not retried differently from any other non-2xx answer' } },
        },
      },
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
            webhookDeliveries: {
              type: 'array',
              description: 'Only in GET /lists/{id}: each attempt to deliver this list\'s event to the mailer\'s webhook, oldest first',
              items: { $ref: '#/components/schemas/WebhookDelivery' },
            },
          },
        },
        Webhook: {
          type: 'object',
          required: ['url'],
          properties: { url: { type: 'string', format: 'uri' }, createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' }, secretRotatedAt: { type: 'string', format: 'date-time' } },
        },
        WebhookWithSecret: {
          allOf: [{ $ref: '#/components/schemas/Webhook' }, { type: 'object', required: ['secret'], properties: { secret: { type: 'string', description: 'The signing secret (`whsec_…`); shown only in this answer' } } }],
        },
        WebhookDelivery: {
          type: 'object',
          properties: {
            event: { type: 'string', enum: ['list.completed', 'list.failed'] },
            attempt: { type: 'integer', description: '1 for the first attempt' },
            url: { type: 'string' },
            attemptedAt: { type: 'string', format: 'date-time' },
            statusCode: { type: ['integer', 'null'], description: 'The HTTP status the receiver answered; null when there was no answer' },
            error: { type: ['string', 'null'], description: 'Why there was no answer (refused address, connection refused, timeout)' },
            durationMs: { type: 'integer' },
            delivered: { type: 'boolean', description: 'The receiver answered 2xx' },
          },
        },
        ListEvent: {
          type: 'object',
          required: ['id', 'type', 'createdAt', 'data'],
          properties: {
            id: { type: 'string', description: '`<list id>.<type>`: the same for every attempt of one event' },
            type: { type: 'string', enum: ['list.completed', 'list.failed'] },
            createdAt: { type: 'string', format: 'date-time', description: 'When the list finished' },
            data: { type: 'object', required: ['list'], properties: { list: { $ref: '#/components/schemas/List' } }, description: 'The list as GET /lists/{id} shows it (absolute links, without webhookDeliveries)' },
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
