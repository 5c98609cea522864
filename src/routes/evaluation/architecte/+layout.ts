// The Architecte screens are server-rendered forms and links (radio buttons + submit): no client JavaScript.
export const csr = false;
