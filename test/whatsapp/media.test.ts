/**
 * Media resource (Upload, Get, Download to binary, Delete), Send Media from binary data (uploaded
 * first) and by media ID, media validation before any request, and the pickers' list searches.
 */
import { createHash } from 'crypto';

import { WhatsAppSend } from '../../nodes/Meta/WhatsApp/WhatsAppSend.node';
import { binaryItem, callListSearch } from '../helpers/harness';
import type { RunningSimulator } from '../../simulator';
import {
	MANAGE_ONLY_TOKEN,
	PHONE_ID,
	TEST_PHONE_ID,
	WABA_ID,
	credentialsFor,
	locator,
	messageParameters,
	messageRequests,
	runWhatsApp,
	sentLog,
	useWhatsAppSimulator,
} from './fixtures';

let sim: RunningSimulator;
useWhatsAppSimulator((started) => (sim = started));

const jpeg = Buffer.concat([
	Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
	Buffer.alloc(2048, 7),
	Buffer.from([0xff, 0xd9]),
]);
/** WebP bytes with a VP8X chunk; `animated` sets its animation flag. */
function webp(size: number, animated: boolean): Buffer {
	const data = Buffer.alloc(size);
	data.write('RIFF', 0, 'latin1');
	data.writeUInt32LE(size - 8, 4);
	data.write('WEBPVP8X', 8, 'latin1');
	data.writeUInt32LE(10, 16);
	data[20] = animated ? 0x02 : 0;
	return data;
}
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function upload(content: Buffer, mimeType: string, fileName: string): Promise<string> {
	const { outputs, error } = await runWhatsApp(
		sim,
		{
			resource: 'media',
			operation: 'upload',
			phoneNumberId: locator(PHONE_ID),
			binaryPropertyName: 'data',
		},
		{ items: [binaryItem(content, { mimeType, fileName })] },
	);
	expect(error).toBeUndefined();
	return String(outputs[0][0].json.id);
}

describe('Media resource', () => {
	it('uploads binary data as multipart and returns the media id', async () => {
		const { outputs, error } = await runWhatsApp(
			sim,
			{
				resource: 'media',
				operation: 'upload',
				phoneNumberId: locator(PHONE_ID),
				binaryPropertyName: 'data',
			},
			{ items: [binaryItem(pdf, { mimeType: 'application/pdf', fileName: 'invoice.pdf' })] },
		);
		expect(error).toBeUndefined();
		const json = outputs[0][0].json;
		expect(json).toMatchObject({
			mediaType: 'document',
			mimeType: 'application/pdf',
			fileName: 'invoice.pdf',
			fileSize: pdf.length,
			phoneNumberId: PHONE_ID,
		});
		const stored = sim.control.world().state.whatsapp.media.get(String(json.id));
		expect(stored.data.equals(pdf)).toBe(true);
		expect(stored.filename).toBe('invoice.pdf');
	});

	it('honours the File Name and MIME Type options', async () => {
		const { outputs, error } = await runWhatsApp(
			sim,
			{
				resource: 'media',
				operation: 'upload',
				phoneNumberId: locator(PHONE_ID),
				binaryPropertyName: 'data',
				options: { fileName: 'notes.txt', mimeType: 'text/plain' },
			},
			{
				items: [
					binaryItem(Buffer.from('hello'), {
						mimeType: 'application/octet-stream',
						fileName: 'blob',
					}),
				],
			},
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			mediaType: 'document',
			mimeType: 'text/plain',
			fileName: 'notes.txt',
		});
		const stored = sim.control.world().state.whatsapp.media.get(String(outputs[0][0].json.id));
		expect(stored).toMatchObject({ mimeType: 'text/plain', filename: 'notes.txt' });
	});

	it('refuses a file type WhatsApp does not accept, before any request', async () => {
		const { error } = await runWhatsApp(
			sim,
			{
				resource: 'media',
				operation: 'upload',
				phoneNumberId: locator(PHONE_ID),
				binaryPropertyName: 'data',
			},
			{ items: [binaryItem(Buffer.from('GIF89a'), { mimeType: 'image/gif', fileName: 'a.gif' })] },
		);
		expect(error?.message).toMatch(/WhatsApp does not accept files of type 'image\/gif'/);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('gets the URL and metadata', async () => {
		const id = await upload(jpeg, 'image/jpeg', 'photo.jpg');
		const { outputs } = await runWhatsApp(sim, {
			resource: 'media',
			operation: 'get',
			mediaId: id,
		});
		expect(outputs[0][0].json).toMatchObject({
			id,
			messaging_product: 'whatsapp',
			mime_type: 'image/jpeg',
			sha256: createHash('sha256').update(jpeg).digest('hex'),
			file_size: jpeg.length,
			url: expect.stringContaining('/whatsapp_business/attachments'),
		});
	});

	it('downloads to binary through the authenticated URL', async () => {
		const id = await upload(jpeg, 'image/jpeg', 'photo.jpg');
		const { outputs, error } = await runWhatsApp(sim, {
			resource: 'media',
			operation: 'download',
			mediaId: id,
			binaryPropertyName: 'file',
		});
		expect(error).toBeUndefined();
		const item = outputs[0][0];
		expect(item.json).toMatchObject({ id, mimeType: 'image/jpeg', fileName: `${id}.jpg` });
		expect(item.binary?.file?.mimeType).toBe('image/jpeg');
		expect(Buffer.from(item.binary!.file.data, 'base64').equals(jpeg)).toBe(true);
		const download = sim.control
			.requests()
			.find((request) => request.path === '/whatsapp_business/attachments');
		expect(download?.status).toBe(200);
	});

	it('names the downloaded file with the File Name option', async () => {
		const id = await upload(pdf, 'application/pdf', 'invoice.pdf');
		const { outputs } = await runWhatsApp(sim, {
			resource: 'media',
			operation: 'download',
			mediaId: id,
			binaryPropertyName: 'data',
			options: { fileName: 'invoice-42.pdf' },
		});
		expect(outputs[0][0].binary?.data).toMatchObject({
			fileName: 'invoice-42.pdf',
			mimeType: 'application/pdf',
		});
		expect(outputs[0][0].json.fileName).toBe('invoice-42.pdf');
	});

	it('the download URL answers 404 without the access token', async () => {
		const id = await upload(jpeg, 'image/jpeg', 'photo.jpg');
		const { outputs } = await runWhatsApp(sim, {
			resource: 'media',
			operation: 'get',
			mediaId: id,
		});
		const response = await fetch(String(outputs[0][0].json.url));
		expect(response.status).toBe(404);
	});

	it('deletes, after which the media is gone', async () => {
		const id = await upload(jpeg, 'image/jpeg', 'photo.jpg');
		const deleted = await runWhatsApp(sim, { resource: 'media', operation: 'delete', mediaId: id });
		expect(deleted.outputs[0][0].json).toEqual({ id, deleted: true });
		const after = await runWhatsApp(
			sim,
			{ resource: 'media', operation: 'get', mediaId: id },
			{ settings: { onError: 'continueRegularOutput' } },
		);
		expect(after.outputs[0][0].json).toMatchObject({ details: { status: 'failed', code: 100 } });
	});

	it('refuses a media id that is not digits before any request', async () => {
		const { error } = await runWhatsApp(sim, {
			resource: 'media',
			operation: 'get',
			mediaId: 'abc',
		});
		expect(error?.message).toMatch(/'abc' is not a media ID/);
		expect(sim.control.requests()).toHaveLength(0);
	});
});

describe('Send Media from binary data or media id', () => {
	it('uploads the binary first, then sends it by id with the file name', async () => {
		const { outputs, error } = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'document',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
				caption: 'Your invoice',
			}),
			{ items: [binaryItem(pdf, { mimeType: 'application/pdf', fileName: 'invoice-42.pdf' })] },
		);
		expect(error).toBeUndefined();
		const json = outputs[0][0].json;
		expect(json).toMatchObject({
			status: 'accepted',
			type: 'document',
			mediaId: expect.any(String),
		});
		const paths = sim.control.requests().map((request) => `${request.method} ${request.path}`);
		expect(paths).toEqual([`POST /${PHONE_ID}/media`, `POST /${PHONE_ID}/messages`]);
		expect(sentLog(sim)[0].payload.document).toEqual({
			id: json.mediaId,
			caption: 'Your invoice',
			filename: 'invoice-42.pdf',
		});
	});

	it('a failed upload is reported as failed (nothing was sent), not as unknown', async () => {
		sim.control.injectFault({ kind: 'http500', method: 'POST', path: '/media$' });
		const { outputs } = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'document',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
			}),
			{
				items: [binaryItem(pdf, { mimeType: 'application/pdf', fileName: 'a.pdf' })],
				settings: { onError: 'continueRegularOutput' },
			},
		);
		expect(outputs[0][0].json).toMatchObject({ details: { status: 'failed', type: 'document' } });
		expect(String(outputs[0][0].json.error)).toMatch(
			/^Upload of the media failed, so nothing was sent/,
		);
		expect(messageRequests(sim)).toHaveLength(0);
		expect(sentLog(sim)).toHaveLength(0);
	});

	it('sends an uploaded media id', async () => {
		const id = await upload(jpeg, 'image/jpeg', 'photo.jpg');
		sim.control.clearRequests();
		const { error } = await runWhatsApp(
			sim,
			messageParameters('sendMedia', { mediaType: 'image', mediaSource: 'mediaId', mediaId: id }),
		);
		expect(error).toBeUndefined();
		expect(messageRequests(sim)[0].body).toMatchObject({ type: 'image', image: { id } });
	});

	it('refuses media of the wrong type or size before any request', async () => {
		const wrongType = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'image',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
			}),
			{ items: [binaryItem(pdf, { mimeType: 'application/pdf', fileName: 'a.pdf' })] },
		);
		expect(wrongType.error?.message).toMatch(
			/WhatsApp does not accept a application\/pdf as an image/,
		);
		const bigSticker = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'sticker',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
			}),
			{
				items: [
					binaryItem(Buffer.alloc(600 * 1024, 1), { mimeType: 'image/webp', fileName: 's.webp' }),
				],
			},
		);
		expect(bigSticker.error?.message).toMatch(
			/The static sticker is 600 KB; WhatsApp accepts at most 100 KB/,
		);
		const bigAnimated = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'sticker',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
			}),
			{
				items: [binaryItem(webp(600 * 1024, true), { mimeType: 'image/webp', fileName: 's.webp' })],
			},
		);
		expect(bigAnimated.error?.message).toMatch(
			/The sticker is 600 KB; WhatsApp accepts at most 500 KB/,
		);
		expect(sim.control.requests()).toHaveLength(0);
	});

	it('uploads an animated sticker up to 500 KB (a static one only up to 100 KB)', async () => {
		const { outputs, error } = await runWhatsApp(
			sim,
			messageParameters('sendMedia', {
				mediaType: 'sticker',
				mediaSource: 'binary',
				binaryPropertyName: 'data',
			}),
			{
				items: [binaryItem(webp(300 * 1024, true), { mimeType: 'image/webp', fileName: 's.webp' })],
			},
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			status: 'accepted',
			type: 'sticker',
			mediaId: expect.any(String),
		});
	});
});

describe('pickers', () => {
	const parameters = { authentication: 'accessToken', resource: 'message', operation: 'sendText' };

	it('lists WhatsApp Business Accounts from the business portfolios', async () => {
		const result = await callListSearch(WhatsAppSend, 'searchWhatsAppBusinessAccounts', {
			parameters: { ...parameters, operation: 'sendTemplate' },
			credentials: credentialsFor(sim),
		});
		expect(result.results.map((entry) => entry.value)).toEqual([
			'102000000000001',
			'102000000000002',
		]);
		expect(result.results[0].name).toBe('Cafe Aurora WhatsApp (102000000000001)');
		expect(result.results[1].description).toBe('Shared with Aurora Group');
	});

	it('lists phone numbers with display number, verified name, quality rating and status', async () => {
		const result = await callListSearch(WhatsAppSend, 'searchPhoneNumbers', {
			parameters,
			credentials: credentialsFor(sim),
		});
		const byId = Object.fromEntries(result.results.map((entry) => [entry.value, entry.name]));
		expect(byId[PHONE_ID]).toBe('+351 910 000 001 · Cafe Aurora · quality GREEN · CONNECTED');
		expect(byId[TEST_PHONE_ID]).toBe('+1 555-010-0003 · Test Number · quality GREEN · CONNECTED');
		expect(Object.keys(byId)).toHaveLength(3);
	});

	it('lists only the selected WABA’s numbers and filters by text', async () => {
		const result = await callListSearch(WhatsAppSend, 'searchPhoneNumbers', {
			parameters: { ...parameters, operation: 'sendTemplate', wabaId: locator(WABA_ID) },
			credentials: credentialsFor(sim),
			filter: 'aurora',
		});
		expect(result.results.map((entry) => entry.value)).toEqual([PHONE_ID]);
	});

	it('without business_management, the WABAs come from the token grants (Embedded Signup tokens)', async () => {
		const world = sim.control.world();
		world.tokens.set('EAAEmbeddedSignup', {
			token: 'EAAEmbeddedSignup',
			type: 'SYSTEM_USER',
			appId: '1234567890123456',
			userId: '61550000000000001',
			scopes: ['whatsapp_business_management', 'whatsapp_business_messaging'],
			granularScopes: [
				{ scope: 'whatsapp_business_management', targetIds: [WABA_ID] },
				{ scope: 'whatsapp_business_messaging', targetIds: [WABA_ID] },
			],
		});
		const wabas = await callListSearch(WhatsAppSend, 'searchWhatsAppBusinessAccounts', {
			parameters: { ...parameters, operation: 'sendTemplate' },
			credentials: credentialsFor(sim, 'EAAEmbeddedSignup'),
		});
		expect(wabas.results).toEqual([
			expect.objectContaining({
				value: WABA_ID,
				name: `Cafe Aurora WhatsApp (${WABA_ID})`,
				description: 'Granted to this token',
			}),
		]);
		const phones = await callListSearch(WhatsAppSend, 'searchPhoneNumbers', {
			parameters,
			credentials: credentialsFor(sim, 'EAAEmbeddedSignup'),
		});
		expect(phones.results.map((entry) => entry.value).sort()).toEqual(
			[PHONE_ID, TEST_PHONE_ID].sort(),
		);
	});

	it('a token that reaches no WABA at all: the list search fails with Meta’s permission error', async () => {
		sim.control.world().tokens.get(MANAGE_ONLY_TOKEN)!.scopes = ['whatsapp_business_management'];
		await expect(
			callListSearch(WhatsAppSend, 'searchPhoneNumbers', {
				parameters,
				credentials: credentialsFor(sim, MANAGE_ONLY_TOKEN),
			}),
		).rejects.toThrow(/business_management|permission/i);
	});
});
