/**
 * What the trigger does with each request Meta sends. The node answers every request itself
 * (`noWebhookResponse`), so it controls the status code: 200 with the challenge for a good
 * handshake, 403 for a bad one, 401 for a delivery whose signature does not verify, 200 for a
 * verified delivery (Meta retries anything else for up to 7 days). Only verified, wanted, new
 * events start an execution; every refusal is logged with its reason and, when the user asks,
 * becomes a small item on the Rejected output (never the refused body).
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 */
import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { dropDuplicates } from './dedupe';
import type { Flattened } from './events';
import { flattenInstagram } from './instagram';
import { attachMedia } from './media';
import { readAppSecret, readOptions, readSelection, readVerifyToken } from './settings';
import type { TriggerOptions } from './settings';
import type { RejectionReason } from './verify';
import { checkHandshake, checkSignature } from './verify';
import { flattenWhatsApp } from './whatsapp';

interface Rejection {
	check: RejectionReason;
	message: string;
	httpStatus: number;
	/** Verified facts only (never from an unverified body). */
	details?: IDataObject;
}

/** Reasons that are part of normal operation, logged at a lower level. */
const ROUTINE: RejectionReason[] = ['filteredOut', 'duplicate'];

function respond(this: IWebhookFunctions, status: number, body: string): void {
	const response = this.getResponseObject();
	response.status(status);
	response.setHeader('Content-Type', 'text/plain; charset=utf-8');
	response.end(body);
}

function rejectedItem(
	this: IWebhookFunctions,
	rejection: Rejection,
	method: string,
): INodeExecutionData {
	return {
		json: {
			rejected: true,
			check: rejection.check,
			reason: rejection.message,
			httpStatus: rejection.httpStatus,
			method,
			time: new Date().toISOString(),
			...(rejection.details ?? {}),
		},
	};
}

/**
 * Logs the refusal and answers Meta; with Emit Rejected Deliveries an execution carries the
 * rejected item on the second output and nothing on the first.
 */
function reject(
	this: IWebhookFunctions,
	rejection: Rejection,
	options: Pick<TriggerOptions, 'emitRejected'>,
	method: string,
): IWebhookResponseData {
	const node = this.getNode();
	const log = ROUTINE.includes(rejection.check) ? this.logger.info : this.logger.warn;
	log.call(
		this.logger,
		`Meta Trigger "${node.name}" refused a ${method} request: ${rejection.message}`,
		{
			check: rejection.check,
			httpStatus: rejection.httpStatus,
			node: node.name,
		},
	);
	respond.call(
		this,
		rejection.httpStatus,
		rejection.httpStatus === 200 ? 'EVENT_RECEIVED' : 'Rejected',
	);
	if (!options.emitRejected) return { noWebhookResponse: true };
	return {
		noWebhookResponse: true,
		workflowData: [[], [rejectedItem.call(this, rejection, method)]],
	};
}

function safeOptions(this: IWebhookFunctions): TriggerOptions {
	try {
		return readOptions.call(this);
	} catch {
		return { emitRejected: false, duplicateWindowMinutes: 60, downloadMedia: false };
	}
}

function handshake(this: IWebhookFunctions, options: TriggerOptions): IWebhookResponseData {
	const result = checkHandshake(
		this.getQueryData() as Record<string, unknown>,
		readVerifyToken.call(this),
	);
	if (!result.ok) {
		return reject.call(
			this,
			{ check: result.reason, message: result.message, httpStatus: 403 },
			options,
			'GET',
		);
	}
	this.logger.info(`Meta Trigger "${this.getNode().name}" answered Meta's verification request`);
	respond.call(this, 200, result.challenge);
	return { noWebhookResponse: true };
}

async function rawBodyOf(this: IWebhookFunctions): Promise<Buffer | undefined> {
	const request = this.getRequestObject();
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') {
		await request.readRawBody();
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

async function delivery(
	this: IWebhookFunctions,
	options: TriggerOptions,
): Promise<IWebhookResponseData> {
	const appSecret = await readAppSecret.call(this);
	if (!appSecret) {
		// A set-up problem, not Meta's: 500 makes Meta retry, so nothing is lost once it is fixed.
		return reject.call(
			this,
			{
				check: 'noAppSecret',
				message:
					'the credential has no App Secret, so no delivery can be verified. Add it to the credential.',
				httpStatus: 500,
			},
			options,
			'POST',
		);
	}
	const rawBody = await rawBodyOf.call(this);
	if (!rawBody) {
		return reject.call(
			this,
			{
				check: 'noRawBody',
				message:
					'n8n did not hand over the request body as received, so its signature cannot be checked',
				httpStatus: 500,
			},
			options,
			'POST',
		);
	}
	const signature = checkSignature(this.getHeaderData()['x-hub-signature-256'], rawBody, appSecret);
	if (!signature.ok) {
		return reject.call(
			this,
			{
				check: signature.reason,
				message: `${signature.message}. Check that the credential holds the secret of the app that sends these webhooks.`,
				httpStatus: 401,
				details: { bodyBytes: rawBody.length },
			},
			options,
			'POST',
		);
	}
	let body: IDataObject;
	try {
		const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
			throw new Error('not an object');
		body = parsed as IDataObject;
	} catch {
		return reject.call(
			this,
			{ check: 'invalidJson', message: 'the signed body is not a JSON object', httpStatus: 400 },
			options,
			'POST',
		);
	}
	const object = typeof body.object === 'string' ? body.object : '';
	const selection = readSelection.call(this);
	let flattened: Flattened;
	if (object === 'whatsapp_business_account') flattened = flattenWhatsApp(body, selection);
	else if (object === 'instagram') flattened = flattenInstagram(body, selection);
	else {
		return reject.call(
			this,
			{
				check: 'unknownObject',
				message: `the delivery is about "${object.slice(0, 60) || 'nothing'}", which this node does not handle (it handles whatsapp_business_account and instagram). Remove that object from the app's webhook subscriptions, or point it elsewhere.`,
				httpStatus: 200,
				details: { object: object.slice(0, 60) },
			},
			options,
			'POST',
		);
	}
	if (flattened.events.length === 0) {
		return reject.call(
			this,
			{
				check: 'filteredOut',
				message: `none of the ${flattened.filteredOut} event(s) in the delivery matches the node's Events and Filters`,
				httpStatus: 200,
				details: { object, filteredOut: flattened.filteredOut },
			},
			{ emitRejected: false },
			'POST',
		);
	}
	const { fresh, duplicates } = dropDuplicates(
		this.getWorkflowStaticData('node'),
		flattened.events,
		options.duplicateWindowMinutes,
		Date.now(),
	);
	const rejected: INodeExecutionData[] = [];
	if (duplicates.length > 0) {
		const duplicate: Rejection = {
			check: 'duplicate',
			message: `${duplicates.length} event(s) were already received within the last ${options.duplicateWindowMinutes} minute(s) and were dropped`,
			httpStatus: 200,
			details: { object, eventIds: duplicates.map((event) => event.eventId) },
		};
		if (fresh.length === 0) return reject.call(this, duplicate, options, 'POST');
		this.logger.info(`Meta Trigger "${this.getNode().name}": ${duplicate.message}`, {
			check: 'duplicate',
		});
		if (options.emitRejected) rejected.push(rejectedItem.call(this, duplicate, 'POST'));
	}
	// Meta has its answer before any media download, so a large file never delays it.
	respond.call(this, 200, 'EVENT_RECEIVED');
	let items: INodeExecutionData[] = fresh.map((event) => ({
		json: { eventId: event.eventId, ...event.json },
	}));
	if (options.downloadMedia) items = await attachMedia.call(this, items);
	return {
		noWebhookResponse: true,
		workflowData: options.emitRejected ? [items, rejected] : [items],
	};
}

/** The node's `webhook()`: the handshake on GET, deliveries on POST. */
export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = safeOptions.call(this);
	const method = this.getRequestObject().method?.toUpperCase() ?? 'POST';
	if (method === 'GET') return handshake.call(this, options);
	return await delivery.call(this, options);
}
