/** The verifier is plain forms (paste, upload, address): no client JavaScript. */
export const csr = false;
