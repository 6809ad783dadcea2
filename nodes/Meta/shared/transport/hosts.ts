/**
 * Where the credential may go. Every request of the transport carries the token (n8n adds it, or
 * the upload host's `OAuth` header does), and some URLs come from Meta's answers rather than from
 * the credential: the resumable upload URI of an Instagram container, the download URL of a
 * WhatsApp media object. A tampered or unexpected answer must not make the node hand the token to
 * another host, or send it in clear text. So an absolute URL is only called when it is https on
 * one of Meta's hosts, or on the very origin the user configured as Graph API Base URL (a proxy or
 * the simulator, which the user chose to trust with the token).
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Meta's hosts that legitimately receive the token: the Graph hosts, Instagram's resumable upload
 * host, and the media hosts WhatsApp's media URLs point at (lookaside.fbsbx.com, see
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media). An
 * entry starting with a dot also admits every subdomain (and the name itself).
 */
export const META_CREDENTIAL_HOSTS: readonly string[] = [
	'graph.facebook.com',
	'graph.instagram.com',
	'rupload.facebook.com',
	'lookaside.fbsbx.com',
	'.facebook.com',
	'.fbsbx.com',
	'.fbcdn.net',
	'.instagram.com',
	'.cdninstagram.com',
	'.whatsapp.net',
	'.whatsapp.com',
];

/** Whether `hostname` is one of Meta's hosts listed above. */
export function isMetaHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return META_CREDENTIAL_HOSTS.some((entry) =>
		entry.startsWith('.') ? host === entry.slice(1) || host.endsWith(entry) : host === entry,
	);
}

function parse(url: string): URL | undefined {
	try {
		return new URL(url);
	} catch {
		return undefined;
	}
}

/** Why the credential may not go to `url`, or undefined when it may. */
export function credentialHostProblem(url: string, baseUrl: string): string | undefined {
	const target = parse(url);
	if (!target) return 'it is not a valid URL';
	const base = parse(baseUrl);
	if (base && target.origin === base.origin) return undefined;
	const metaHost = isMetaHost(target.hostname);
	if (metaHost && target.protocol === 'https:') return undefined;
	if (metaHost)
		return `it uses ${target.protocol.replace(/:$/, '')} instead of https, so the access token would travel unencrypted`;
	return `${target.hostname} is not one of Meta's hosts nor the Graph API Base URL of the credential, so the access token must not be sent there`;
}

/**
 * Refuses, before anything is sent, a URL the credential must not go to.
 */
export function assertCredentialHost(
	node: INode,
	url: string,
	baseUrl: string,
	itemIndex?: number,
): void {
	const problem = credentialHostProblem(url, baseUrl);
	if (!problem) return;
	const target = parse(url);
	const shown = target ? `${target.protocol}//${target.host}` : 'an unreadable address';
	throw new NodeOperationError(node, `Refused to send the credential to ${shown}: ${problem}`, {
		...(itemIndex !== undefined ? { itemIndex } : {}),
		description: `Nothing was sent. The address came from Meta's answer or the node's input (${shown}). The access token is only sent over https to Meta's own hosts (${META_CREDENTIAL_HOSTS.filter((host) => !host.startsWith('.')).join(', ')} and subdomains of facebook.com, fbsbx.com, fbcdn.net, instagram.com, cdninstagram.com, whatsapp.net, whatsapp.com) or to the Graph API Base URL set in the credential. If you use a proxy, set it as the Graph API Base URL.`,
	});
}
