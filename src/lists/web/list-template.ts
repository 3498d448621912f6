/**
 * A list a mailer can start from: the column names the cleanse finds by itself (address-columns.ts)
 * and one example row. Columns other than the address ones are kept as they are.
 */
export const LIST_TEMPLATE_CSV = [
  'first_name,last_name,address1,address2,city,state,zip,zip4',
  'Ann,Example,123 Main St,Apt 4B,Austin,TX,78701,',
  '',
].join('\r\n');
