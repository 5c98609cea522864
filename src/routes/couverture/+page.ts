/** A public list with a GET search form: no client JavaScript needed (smaller page, no hydration data). */
export const csr = false;
