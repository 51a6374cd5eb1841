// A mail server on 127.0.0.1 that keeps what it receives, for tests of workflows that send email
// (n8n's Send Email with an SMTP credential): the npm packages smtp-server (the SMTP side) and
// mailparser (the message, its HTML and links), devDependencies that `npm ci` installs. Plain SMTP
// without STARTTLS or AUTH, so n8n's credential needs only host and port.
import type { AddressInfo } from 'node:net';

import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

import { sleep } from './process';

export interface CapturedMail {
	from: string;
	to: string[];
	subject: string;
	html: string;
	text: string;
	/** Every href in the HTML, in order. */
	links: string[];
}

export interface SmtpCapture {
	host: string;
	port: number;
	mails: CapturedMail[];
	/** The first mail (received so far or later) that `matches`, within `timeoutMs`. */
	waitForMail(matches: (mail: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
	close(): Promise<void>;
}

/** `port` 0 (default): any free one; `onMail` hears of each mail as it arrives. */
export async function startSmtpCapture(
	options: { port?: number; onMail?: (mail: CapturedMail) => void } = {},
): Promise<SmtpCapture> {
	const mails: CapturedMail[] = [];
	const server = new SMTPServer({
		disabledCommands: ['STARTTLS', 'AUTH'],
		authOptional: true,
		logger: false,
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((parsed) => {
					const html = typeof parsed.html === 'string' ? parsed.html : '';
					const mail: CapturedMail = {
						from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
						to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
						subject: parsed.subject ?? '',
						html,
						text: parsed.text ?? '',
						links: [...html.matchAll(/href="([^"]+)"/g)].map((match) => decodeEntities(match[1])),
					};
					mails.push(mail);
					options.onMail?.(mail);
					callback();
				})
				.catch((error: Error) => callback(error));
		},
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const { port } = server.server.address() as AddressInfo;
	return {
		host: '127.0.0.1',
		port,
		mails,
		async waitForMail(matches, timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const found = mails.find(matches);
				if (found) return found;
				if (Date.now() > deadline) {
					throw new Error(
						`no matching mail within ${timeoutMs / 1000}s (received: ${mails.map((m) => `"${m.subject}" to ${m.to.join(', ')}`).join('; ') || 'none'})`,
					);
				}
				await sleep(250);
			}
		},
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

function decodeEntities(text: string): string {
	return text
		.replace(/&amp;/g, '&')
		.replace(/&quot;/g, '"')
		.replace(/&#x3D;/g, '=');
}
