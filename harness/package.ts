// This repository's n8n community package, as the harnesses need to know it: where it is, its name,
// the node and credential files package.json declares to n8n (built, and their TypeScript sources),
// the credential that points at the local sandbox, and the example workflows.
import * as fs from 'node:fs';
import * as path from 'node:path';

import packageJson from '../package.json';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const PACKAGE_NAME = packageJson.name;
/** n8n's name for the Electio node type: `<package>.<node name>`. */
export const ELECTIO_NODE_TYPE = `${PACKAGE_NAME}.electio`;
export const CREDENTIAL_TYPE = 'electioApi';
/** Fixed id and name of the sandbox credential; the example workflows refer to it. */
export const SANDBOX_CREDENTIAL = { id: 'electioSandboxCred', name: 'Electio sandbox (local)' };
/**
 * The SMTP credential examples/quote-approval-by-email.json sends with: the harness points it at a
 * local mail catcher (harness/smtp.ts); a user picks their own mail server instead.
 */
export const SMTP_CREDENTIAL = { id: 'electioSmtpLocal', name: 'SMTP: local mail catcher' };

/** The built node and credential files n8n loads (package.json `n8n.nodes` and `n8n.credentials`), from the root. */
export const BUILT_FILES = {
	nodes: packageJson.n8n.nodes,
	credentials: packageJson.n8n.credentials,
};

/**
 * The TypeScript source of each built file (`dist/x.js` → `<root>/x.ts`): a node added to
 * package.json is known to the harnesses with nothing else to change.
 */
export function sourceFiles(builtFiles: string[]): string[] {
	return builtFiles.map((file) =>
		path.join(REPO_ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.ts')),
	);
}

/** Reads an example workflow from examples/. */
export function readExample(name: string): Record<string, any> {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8'));
}

export const EXAMPLES = [
	'quotes-flow.json',
	'erp-webhook-to-label.json',
	'daily-manifest.json',
	'ai-agent-tool.json',
	'delivery-notifications.json',
	'contact-centre.json',
	'in-store-booking.json',
	'quote-approval-by-email.json',
	'fix-failed-allocation.json',
	'half-done-orders.json',
];

/**
 * The examples the harness publishes (activates) when it imports them: a person reaches them by a
 * URL (their Form Trigger's form, the approval webhook), which exists only for a published workflow.
 */
export const PUBLISHED_EXAMPLES = [
	'in-store-booking.json',
	'quote-approval-by-email.json',
	'fix-failed-allocation.json',
];
