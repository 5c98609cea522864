/**
 * Starts the real SMTP server the app sends to (SMTP_URL in playwright.config.ts). Playwright starts the
 * web server before global setup; that is fine because nodemailer opens a connection per message and no
 * message is sent before a spec asks for one. The returned function is the global teardown.
 */
import { SMTP_PORT } from './constants';
import { startMailServer } from './mail';

export default async function globalSetup(): Promise<() => Promise<void>> {
	return startMailServer(SMTP_PORT);
}
