/** parse-address ships no types: the one function the address evaluation calls. */
declare module 'parse-address' {
  export function parseLocation(address: string): Record<string, string | undefined> | null;
}
