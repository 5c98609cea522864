/** Sign-in and account pages ship no client JavaScript: plain forms, smaller attack surface, fast on a poor connection. */
export const csr = false;
