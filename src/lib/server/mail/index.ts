import nodemailer from 'nodemailer';
import type { Config } from '../config';
import { logger } from '../log';

export interface OutgoingMail {
	to: string;
	subject: string;
	text: string;
}

export interface Mailer {
	send(mail: OutgoingMail): Promise<void>;
}

/**
 * SMTP when SMTP_URL is set; otherwise the demo prints each message to the console (the demo has no
 * mail server). Messages never contain case content: only links and account notices.
 */
export function createMailer(config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM'>): Mailer {
	if (config.SMTP_URL) {
		const transport = nodemailer.createTransport(config.SMTP_URL);
		return {
			async send(mail) {
				await transport.sendMail({ from: config.MAIL_FROM, ...mail });
			}
		};
	}
	return {
		async send(mail) {
			logger.info('mail.console', { to: mail.to, subject: mail.subject });
			process.stdout.write(`\n----- email (console transport) -----\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n-------------------------------------\n`);
		}
	};
}
