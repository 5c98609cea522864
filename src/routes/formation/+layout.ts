// Training screens are server-rendered pages and plain forms: no client JavaScript.
export const csr = false;
