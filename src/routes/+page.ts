/** Server-rendered page made of links and plain forms: no client JavaScript (no hydration data, lighter on a phone). */
export const csr = false;
