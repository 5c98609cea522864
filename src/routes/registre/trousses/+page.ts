// Plain forms and links: no client JavaScript (as the kit screens).
export const csr = false;
