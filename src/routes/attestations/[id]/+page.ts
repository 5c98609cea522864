/** The proof page is links and text: no client JavaScript (the print button uses one small static script). */
export const csr = false;
