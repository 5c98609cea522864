// The kit's screens are server-rendered forms and links: they need no JavaScript at all (faster on a phone,
// nothing to break). Conditional questions are shown and hidden by CSS (static/app.css, `.needs-N`).
export const csr = false;
