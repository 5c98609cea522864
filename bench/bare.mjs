/**
 * The machine ceiling for `npm run bench`: plain node:http answering one fixed, small HTML page.
 * Started as a child process by bench/run.mjs (so it gets its own event loop, like the app servers).
 * Usage: node bench/bare.mjs <port>
 */
import { createServer } from 'node:http';

const page = Buffer.from(
	'<!doctype html>\n<html lang="fr">\n<head><meta charset="utf-8"><title>Bare</title></head>\n' +
		'<body><h1>Bonjour</h1><p>Plain node:http: the ceiling of this machine.</p></body>\n</html>\n'
);
const port = Number(process.argv[2] ?? 0);

const server = createServer((req, res) => {
	res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length });
	res.end(page);
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1');

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		server.closeAllConnections();
		server.close(() => process.exit(0));
	});
}
