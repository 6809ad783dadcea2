/**
 * metaErrorItem: the one Continue On Fail item of every node. Its top level holds only `error`,
 * `message` and `details`, the shape n8n moves to the error output.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createMetaApiError, metaErrorItem, toNodeApiError } from '../../nodes/Meta/shared/errors';
import { expectNoSecrets } from '../helpers/secrets';
import { TOKEN } from './helpers';

const node: INode = {
	id: 'node-1',
	name: 'Meta',
	type: 'n8n-nodes-meta-business.whatsAppSend',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('metaErrorItem', () => {
	it('a Meta refusal: failed, with code, subcode, fbtrace_id, title, docs link and the hint', () => {
		const error = createMetaApiError(node, {
			metaError: {
				message: 'Cannot publish media',
				type: 'OAuthException',
				code: 36003,
				error_subcode: 2207009,
				fbtrace_id: 'AbC-123_trace',
			},
			httpStatus: 400,
			itemIndex: 2,
		});
		const item = metaErrorItem(error, 2, { containerId: '17900000000000001' });
		expect(item.pairedItem).toEqual({ item: 2 });
		expect(Object.keys(item.json).sort()).toEqual(['details', 'error', 'message']);
		expect(item.json).toEqual({
			error: 'Aspect ratio not supported',
			message: error.description,
			details: {
				status: 'failed',
				code: 36003,
				subcode: 2207009,
				fbtraceId: 'AbC-123_trace',
				title: expect.any(String),
				docsUrl: expect.stringMatching(/^https:\/\//),
				itemIndex: 2,
				containerId: '17900000000000001',
			},
		});
		// The hint from the catalogue, plus Meta's numbers to quote to support.
		expect(item.json.message).toMatch(/4:5/);
		expect(item.json.message).toContain('fbtrace_id AbC-123_trace');
	});

	it('a request that may have been processed: unknown, so a workflow never resends it', () => {
		const dropped = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const error = toNodeApiError(node, dropped, { itemIndex: 0 });
		const item = metaErrorItem(error, 0, { to: '+15550100101', type: 'text' });
		expect(item.json).toMatchObject({
			error: 'socket hang up',
			details: { status: 'unknown', itemIndex: 0, to: '+15550100101', type: 'text' },
		});
		expect(item.json.details).not.toHaveProperty('code');
	});

	it('the caller may declare the outcome unknown (a 5xx answer to a send)', () => {
		const error = createMetaApiError(node, {
			metaError: { message: 'An unknown error occurred', type: 'OAuthException', code: 1 },
			httpStatus: 500,
		});
		expect(metaErrorItem(error, 4).json.details).toMatchObject({ status: 'failed', code: 1 });
		expect(metaErrorItem(error, 4, {}, { status: 'unknown' }).json.details).toMatchObject({
			status: 'unknown',
			code: 1,
			itemIndex: 4,
		});
	});

	it('bad input (NodeOperationError): failed, no code, the description as message', () => {
		const error = new NodeOperationError(node, 'Image URL must start with https://', {
			itemIndex: 1,
			description: 'Meta only fetches media over HTTPS. Change the URL to https://...',
		});
		const item = metaErrorItem(error, 1, { ready: false });
		expect(item).toEqual({
			json: {
				error: 'Image URL must start with https://',
				message: 'Meta only fetches media over HTTPS. Change the URL to https://...',
				details: { status: 'failed', itemIndex: 1, ready: false },
			},
			pairedItem: { item: 1 },
		});
	});

	it('without a description or hint the message is empty, and the error text is never empty', () => {
		const item = metaErrorItem(new NodeOperationError(node, ''), 0);
		expect(item.json.message).toBe('');
		// n8n only routes an item whose `error` is truthy to the error output.
		expect(item.json.error).toEqual(expect.stringMatching(/\S/));
	});

	it('extra details cannot overwrite the fields workflows branch on', () => {
		const error = createMetaApiError(node, {
			metaError: { message: 'Re-engagement message', type: 'OAuthException', code: 131047 },
			httpStatus: 400,
		});
		const item = metaErrorItem(error, 3, {
			status: 'accepted',
			code: 0,
			itemIndex: 9,
			to: '+1555',
		});
		expect(item.json.details).toMatchObject({
			status: 'failed',
			code: 131047,
			itemIndex: 3,
			to: '+1555',
		});
	});

	it('carries no token, even one echoed by a validation message', () => {
		const error = new NodeOperationError(node, `Recipient "${TOKEN}" is not a phone number`, {
			description: `Remove ${TOKEN} from the field`,
		});
		const item = metaErrorItem(error, 0);
		expectNoSecrets(item, [TOKEN]);
		expect(item.json.error).toContain('[redacted]');
	});
});
