import type { AddressInput } from '../../address/delivery-point-key';
import { ListInputError } from './list-dialect';

export type AddressField = keyof Required<AddressInput>;
export const ADDRESS_FIELDS: readonly AddressField[] = ['address1', 'address2', 'city', 'state', 'zip', 'zip4'];

/** Explicit mapping from an address field to a header name of the list. */
export type ColumnMapping = Partial<Record<AddressField, string>>;

/** Header names we recognise, compared without case, spaces or punctuation. */
const COMMON_NAMES: Record<AddressField, string[]> = {
  address1: ['address1', 'address', 'addressline1', 'street', 'streetaddress', 'addr1', 'addr', 'line1', 'mailingaddress', 'deliveryaddress', 'street1', 'address1line'],
  address2: ['address2', 'addressline2', 'apt', 'apartment', 'unit', 'suite', 'addr2', 'line2', 'street2', 'secondary', 'aptunit', 'aptsuite'],
  city: ['city', 'town', 'cityname', 'municipality', 'locality'],
  state: ['state', 'st', 'statecode', 'province', 'region', 'stateprovince'],
  zip: ['zip', 'zipcode', 'zip5', 'postalcode', 'postcode', 'postal', 'zippostal', 'zippostalcode'],
  zip4: ['zip4', 'plus4', 'zipplus4', 'zipext', 'zip4code'],
};

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * A column is read only when its name is its own: the same name on two columns (told apart by
 * neither case, spaces nor punctuation) is an error naming it, never silently the first of them.
 */
export function checkSoleColumn(headers: readonly string[], index: number): void {
  const key = normalise(headers[index]!);
  const same = headers.flatMap((header, i) => (normalise(header) === key ? [i + 1] : []));
  if (same.length > 1) {
    throw new ListInputError(
      `The header names the column "${headers[index]!.trim()}" ${same.length} times (columns ${same.join(', ')}): rename all but one, so that it is clear which to read`,
      'DUPLICATE_COLUMN',
    );
  }
}

/** Column index of each address field that the list has. */
export type AddressColumns = Partial<Record<AddressField, number>>;

export function mappingHelp(headers: string[]): string {
  return (
    `The header row has: ${headers.map((h) => `"${h}"`).join(', ')}. ` +
    'Name the columns address1, address2, city, state, zip (or street, apt, postal_code …), ' +
    'or map them to yours: in the portal under "Column names", in the API with a `mapping` field and in the CLI ' +
    'with --map, such as {"address1":"Street Line","zip":"Postcode"}'
  );
}

/** Finds the address columns by the mapping first, then by common names; fails naming the headers seen. */
export function findAddressColumns(headers: string[], mapping: ColumnMapping = {}): AddressColumns {
  const columns: AddressColumns = {};
  const byName = new Map<string, number>();
  headers.forEach((header, index) => {
    const key = normalise(header);
    if (key && !byName.has(key)) byName.set(key, index);
  });
  for (const field of ADDRESS_FIELDS) {
    const mapped = mapping[field];
    if (mapped !== undefined && mapped !== '') {
      const exact = headers.indexOf(mapped);
      const index = exact >= 0 ? exact : byName.get(normalise(mapped));
      if (index === undefined) {
        throw new ListInputError(`The column mapping names "${mapped}" for ${field}, but the list has no such column. ${mappingHelp(headers)}`, 'MAPPING_NOT_FOUND');
      }
      columns[field] = index;
      continue;
    }
    for (const name of COMMON_NAMES[field]) {
      const index = byName.get(name);
      if (index !== undefined && !Object.values(columns).includes(index)) {
        columns[field] = index;
        break;
      }
    }
  }
  for (const index of Object.values(columns)) checkSoleColumn(headers, index);
  if (columns.address1 === undefined) {
    throw new ListInputError(`No street address column found. ${mappingHelp(headers)}`, 'NO_ADDRESS_COLUMN');
  }
  if (columns.zip === undefined && (columns.city === undefined || columns.state === undefined)) {
    throw new ListInputError(`No ZIP code column (and no city and state columns) found. ${mappingHelp(headers)}`, 'NO_ADDRESS_COLUMN');
  }
  return columns;
}

/** Parses a mapping given as JSON text or as an object; unknown fields are an error, not ignored. */
export function parseColumnMapping(input: unknown): ColumnMapping {
  if (input === undefined || input === null || input === '') return {};
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new ListInputError('The column mapping must be JSON, e.g. {"address1":"Street","zip":"Postcode"}', 'BAD_MAPPING');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ListInputError('The column mapping must be a JSON object, e.g. {"address1":"Street","zip":"Postcode"}', 'BAD_MAPPING');
  }
  const mapping: ColumnMapping = {};
  for (const [field, header] of Object.entries(value)) {
    if (!(ADDRESS_FIELDS as readonly string[]).includes(field)) {
      throw new ListInputError(`The column mapping has an unknown field "${field}"; the fields are ${ADDRESS_FIELDS.join(', ')}`, 'BAD_MAPPING');
    }
    if (typeof header !== 'string') throw new ListInputError(`The column mapping for ${field} must be a header name (text)`, 'BAD_MAPPING');
    mapping[field as AddressField] = header;
  }
  return mapping;
}
