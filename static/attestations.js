// Proof page: the print button (shown only when JavaScript runs; the browser's own print works without it).
for (const button of document.querySelectorAll('button[data-print]')) {
	button.hidden = false;
	button.addEventListener('click', () => window.print());
}
