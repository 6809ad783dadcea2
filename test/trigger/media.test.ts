/**
 * Options > Download Media: the file of an incoming WhatsApp media message lands in the item's
 * binary `data`, fetched from the simulator (GET /{media-id}, then the signed download URL) over
 * real HTTP; a failed download keeps the item with `mediaDownloadError`; the transport's host rule
 * still keeps the token away from a foreign download URL; Meta gets its answer before the download.
 */
import { createServer } from 'http';
import type { IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import type { INodeExecutionData } from 'n8n-workflow';

import { startSimulator } from '../../simulator';
import type { RunningSimulator } from '../../simulator';
import {
	WebhookEmitter,
	inboundMessage,
	messagesChange,
	whatsappEnvelope,
} from '../../simulator/webhooks';
import type { InboundType } from '../../simulator/webhooks';
import { DEFAULT_GRAPH_API_VERSION } from '../../nodes/Meta/shared/transport';
import { appSecretProofOf, expectNoSecrets } from '../helpers/secrets';
import { CUSTOMER, parameters } from './fixtures';
import type { TriggerHarness } from './webhook-harness';
import { startTrigger } from './webhook-harness';

/** The demo scenario's app, System User token, WABA and first number. */
const APP_SECRET = 'demo0app0secret0aurora0000000001';
const TOKEN = 'EAADemoSystemUser';
const WABA_ID = '102000000000001';
const NUMBER = { phoneNumberId: '106000000000001', displayPhoneNumber: '351910000001' };
const SECRETS = [APP_SECRET, TOKEN, appSecretProofOf(APP_SECRET, TOKEN)];

const jpeg = Buffer.concat([
	Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
	Buffer.alloc(3000, 9),
	Buffer.from([0xff, 0xd9]),
]);

const emitter = new WebhookEmitter({ appSecret: APP_SECRET, maxAttempts: 1 });
let sim: RunningSimulator;
let trigger: TriggerHarness | undefined;
let imageId: string;

/** Uploads bytes the way WhatsApp Send does (multipart POST /{phone-number-id}/media). */
async function upload(data: Buffer, mimeType: string, fileName: string): Promise<string> {
	const form = new FormData();
	form.append('messaging_product', 'whatsapp');
	form.append('type', mimeType);
	form.append('file', new Blob([new Uint8Array(data)], { type: mimeType }), fileName);
	const response = await fetch(
		`${sim.baseUrl}/${DEFAULT_GRAPH_API_VERSION}/${NUMBER.phoneNumberId}/media?access_token=${TOKEN}`,
		{ method: 'POST', body: form },
	);
	const answer = (await response.json()) as { id?: string };
	expect(response.status).toBe(200);
	return String(answer.id);
}

beforeAll(async () => {
	sim = await startSimulator('demo');
	imageId = await upload(jpeg, 'image/jpeg', 'photo.jpg');
});
afterAll(async () => await sim.stop());
afterEach(async () => {
	await trigger?.close();
	trigger = undefined;
});

const inbound = (type: InboundType, mediaId: string) =>
	whatsappEnvelope(WABA_ID, [
		messagesChange(NUMBER, CUSTOMER, [inboundMessage(type, CUSTOMER, { mediaId })]),
	]);

/** The trigger answers Meta before downloading, so the execution may start a moment later. */
async function executionItems(harness: TriggerHarness): Promise<INodeExecutionData[]> {
	for (let waited = 0; harness.executions.length === 0 && waited < 10_000; waited += 20) {
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	expect(harness.executions).toHaveLength(1);
	return harness.executions[0][0];
}

async function deliver(
	type: InboundType,
	mediaId: string,
	options: { downloadMedia?: boolean; baseUrl?: string } = {},
): Promise<INodeExecutionData[]> {
	trigger = await startTrigger({
		parameters: parameters({
			events: ['whatsappMessages'],
			options: options.downloadMedia === undefined ? {} : { downloadMedia: options.downloadMedia },
		}),
		credentials: {
			metaBusinessAccessTokenApi: {
				accessToken: TOKEN,
				appSecret: APP_SECRET,
				baseUrl: options.baseUrl ?? sim.baseUrl,
			},
		},
	});
	const result = await emitter.deliver(trigger.url, inbound(type, mediaId));
	expect(result.lastStatus).toBe(200);
	const items = await executionItems(trigger);
	expectNoSecrets({ items, logs: trigger.logs }, SECRETS);
	return items;
}

/** A stand-in Graph host (to hand out a foreign or slow download URL) that records every request. */
async function stubServer(
	handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; requests: string[]; server: Server }> {
	const requests: string[] = [];
	const server = createServer((request, response) => {
		requests.push(`${request.method} ${request.url}`);
		handler(request, response);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url, requests, server };
}

async function closeServer(server: Server): Promise<void> {
	await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('Download Media', () => {
	it('puts the uploaded bytes of an incoming image into binary data, with type and file name', async () => {
		const items = await deliver('image', imageId, { downloadMedia: true });
		expect(items).toHaveLength(1);
		const item = items[0];
		expect(item.json).toMatchObject({ event: 'whatsapp.message', type: 'image', mediaId: imageId });
		expect(item.json.mediaDownloadError).toBeUndefined();
		const binary = item.binary?.data;
		expect(binary).toBeDefined();
		expect(binary!.mimeType).toBe('image/jpeg');
		expect(binary!.fileName).toBe(`${imageId}.jpg`);
		expect(Buffer.from(binary!.data, 'base64').equals(jpeg)).toBe(true);
	});

	it('takes the file name of a document from the message', async () => {
		const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
		const documentId = await upload(pdf, 'application/pdf', 'x.pdf');
		const [item] = await deliver('document', documentId, { downloadMedia: true });
		expect(item.binary?.data.fileName).toBe('invoice.pdf');
		expect(item.binary?.data.mimeType).toBe('application/pdf');
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(pdf)).toBe(true);
	});

	it.each([[undefined], [false]])('downloads nothing when the option is %s', async (option) => {
		const before = sim.control.requests().length;
		const items = await deliver('image', imageId, { downloadMedia: option });
		expect(items).toHaveLength(1);
		expect(items[0].json.mediaId).toBe(imageId);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.mediaDownloadError).toBeUndefined();
		expect(sim.control.requests().length).toBe(before);
	});

	it('keeps the item of a media id Meta does not know, with mediaDownloadError and no secret', async () => {
		const items = await deliver('image', '999000000000777', { downloadMedia: true });
		expect(items).toHaveLength(1);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json).toMatchObject({ type: 'image', mediaId: '999000000000777' });
		expect(items[0].json.mediaDownloadError).toMatch(/^Could not download media 999000000000777: /);
		expect(String(items[0].json.mediaDownloadError)).toContain('999000000000777');
		expect(
			trigger!.logs.some(
				(line) => line.level === 'warn' && line.message.includes('could not download media'),
			),
		).toBe(true);
	});

	it('never sends the token to a download URL on a foreign host', async () => {
		const foreign = await stubServer((_request, response) => {
			response.end('should never be asked');
		});
		const graph = await stubServer((_request, response) => {
			response.setHeader('Content-Type', 'application/json');
			response.end(
				JSON.stringify({
					url: `${foreign.url}/media/file.jpg`,
					mime_type: 'image/jpeg',
					id: '555000000000001',
				}),
			);
		});
		try {
			const items = await deliver('image', '555000000000001', {
				downloadMedia: true,
				baseUrl: graph.url,
			});
			expect(items).toHaveLength(1);
			expect(items[0].binary).toBeUndefined();
			expect(items[0].json.mediaDownloadError).toMatch(
				/Could not download media 555000000000001: Refused to send the credential to http:\/\/127\.0\.0\.1:\d+/,
			);
			expect(graph.requests).toHaveLength(1);
			expect(graph.requests[0]).toMatch(
				/^GET \/v\d+\.\d+\/555000000000001\?phone_number_id=106000000000001/,
			);
			expect(foreign.requests).toEqual([]);
		} finally {
			await closeServer(foreign.server);
			await closeServer(graph.server);
		}
	});

	it('answers Meta before the download finishes', async () => {
		let release: () => void = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		const graph = await stubServer((request, response) => {
			if (request.url?.startsWith('/file')) {
				void held.then(() => {
					response.setHeader('Content-Type', 'image/jpeg');
					response.end(jpeg);
				});
				return;
			}
			response.setHeader('Content-Type', 'application/json');
			response.end(
				JSON.stringify({ url: `${graph.url}/file?mid=1`, mime_type: 'image/jpeg', id: '1' }),
			);
		});
		try {
			trigger = await startTrigger({
				parameters: parameters({ events: ['whatsappMessages'], options: { downloadMedia: true } }),
				credentials: {
					metaBusinessAccessTokenApi: {
						accessToken: TOKEN,
						appSecret: APP_SECRET,
						baseUrl: graph.url,
					},
				},
			});
			const result = await emitter.deliver(trigger.url, inbound('image', '1'));
			expect(result.lastStatus).toBe(200);
			expect(trigger.executions).toHaveLength(0);
			release();
			const items = await executionItems(trigger);
			expect(Buffer.from(items[0].binary!.data.data, 'base64').equals(jpeg)).toBe(true);
		} finally {
			release();
			await closeServer(graph.server);
		}
	});
});
