/**
 * The request core: one Graph call with the credential n8n applies, Meta's failures turned into
 * NodeApiErrors from the catalogue (scrubbed of every secret), repeated only as the retry policy
 * allows; paging over `data`/`paging.cursors`; and batches of up to 50 operations.
 */
import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { createMetaApiError, toNodeApiError } from '../errors/info';
import { scrubValue, withoutUserInfo } from '../errors/scrub';
import type { MetaFunctions, ResolvedCredential } from './credential';
import { isAbsoluteUrl, loadCredential } from './credential';
import { batchBody, buildRequest, errorBodyOf, parseBody } from './encoding';
import { assertCredentialHost } from './hosts';
import type { FailureKind } from './retry';
import {
	DEFAULT_MAX_RETRY_WAIT_MS,
	MAX_ATTEMPTS,
	NOT_SENT_NETWORK_CODES,
	THROTTLED_BASE_DELAY_MS,
	TRANSIENT_BASE_DELAY_MS,
	answeredFailureKind,
	backoffDelay,
	defaultPolicy,
	hintedWait,
	networkCodeOf,
	policyAllows,
	transportClock,
} from './retry';
import type {
	BatchOperation,
	BatchResult,
	GraphAllItemsOptions,
	GraphRequestOptions,
	MetaGraphErrorBody,
} from './types';
import { META_CREDENTIAL_TYPES } from './types';

/**
 * Largest number of operations Meta accepts in one batch request
 * (https://developers.facebook.com/docs/graph-api/batch-requests#limits).
 */
export const GRAPH_BATCH_LIMIT = 50;

interface SendOutcome {
	response?: IN8nHttpFullResponse;
	networkError?: unknown;
}

async function send(
	this: MetaFunctions,
	credential: ResolvedCredential,
	options: GraphRequestOptions,
	request: IHttpRequestOptions,
): Promise<SendOutcome> {
	try {
		if (
			options.authScheme === 'OAuth' &&
			credential.credentialType === META_CREDENTIAL_TYPES.oAuth2
		) {
			// n8n signs OAuth2 requests as `Bearer` only; Meta's upload host wants `OAuth <token>`.
			const headers = {
				...(request.headers ?? {}),
				Authorization: `OAuth ${credential.accessToken}`,
			};
			const response = (await this.helpers.httpRequest({
				...request,
				headers,
			})) as IN8nHttpFullResponse;
			return { response };
		}
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			credential.credentialType,
			request,
		)) as IN8nHttpFullResponse;
		return { response };
	} catch (error) {
		const status = (error as { response?: { status?: number } })?.response?.status;
		const body = (error as { response?: { data?: unknown } })?.response?.data;
		if (status) {
			// Some n8n paths (OAuth2 token refresh) still throw on HTTP errors: treat as an answer.
			return {
				response: {
					statusCode: status,
					body: body as IN8nHttpFullResponse['body'],
					headers: (error as { response?: { headers?: IDataObject } }).response?.headers ?? {},
					statusMessage: '',
				},
			};
		}
		return { networkError: error };
	}
}

interface FailedAttempt {
	kind: FailureKind;
	hintedWaitMs: number;
	buildError: (retryAfterMs?: number) => Error;
}

export async function graphRequest<T = any>(
	this: MetaFunctions,
	options: GraphRequestOptions,
): Promise<T> {
	const { resolved: credential, secrets } = await loadCredential.call(this);
	// A URL from Meta's answer (upload URI, media download URL) gets the token only on Meta's hosts.
	if (isAbsoluteUrl(options.path)) {
		assertCredentialHost(this.getNode(), options.path, credential.baseUrl, options.itemIndex);
	}
	const request = buildRequest(credential, options);
	const policy = defaultPolicy(options);
	const maxWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
	let waitedMs = 0;
	for (let attempt = 0; ; attempt++) {
		const outcome = await send.call(this, credential, options, request);
		const attempts = attempt + 1;
		let failure: FailedAttempt;
		if (outcome.response) {
			const { statusCode, headers } = outcome.response;
			const body = parseBody(outcome.response.body, Boolean(options.binary) && statusCode < 400);
			const metaError =
				statusCode >= 400 || (body as IDataObject | undefined)?.error
					? errorBodyOf(body)
					: undefined;
			if (statusCode < 400 && !metaError) {
				if (options.returnFullResponse) {
					return { body, headers, statusCode } as T;
				}
				return body as T;
			}
			const code = metaError?.code !== undefined ? Number(metaError.code) : undefined;
			const kind =
				code !== undefined && options.callerHandlesCodes?.includes(code)
					? 'never'
					: answeredFailureKind(statusCode, metaError);
			const fallbackMessage =
				typeof body === 'string' && body.trim()
					? `Meta answered HTTP ${statusCode}: ${body.trim().slice(0, 200)}`
					: `Meta answered HTTP ${statusCode}`;
			failure = {
				kind,
				hintedWaitMs: hintedWait(kind, headers as Record<string, unknown>),
				buildError: (retryAfterMs) =>
					createMetaApiError(this.getNode(), {
						metaError: metaError ?? { message: fallbackMessage },
						httpStatus: statusCode,
						outcome: 'failed',
						itemIndex: options.itemIndex,
						attempts,
						retryAfterMs,
						secrets,
					}),
			};
		} else {
			failure = networkFailure.call(this, outcome.networkError, {
				credential,
				options,
				policy,
				attempts,
				secrets,
			});
		}
		if (!policyAllows(policy, failure.kind) || attempts >= MAX_ATTEMPTS) {
			throw failure.buildError(failure.hintedWaitMs || undefined);
		}
		const waitMs =
			failure.hintedWaitMs > 0
				? failure.hintedWaitMs
				: backoffDelay(
						attempt,
						failure.kind === 'throttled' ? THROTTLED_BASE_DELAY_MS : TRANSIENT_BASE_DELAY_MS,
					);
		if (waitedMs + waitMs > maxWaitMs) {
			throw failure.buildError(waitMs);
		}
		waitedMs += waitMs;
		await transportClock.sleep(waitMs);
	}
}

/** A request that got no answer: never sent, sent and lost, or never prepared. */
function networkFailure(
	this: MetaFunctions,
	networkError: unknown,
	context: {
		credential: ResolvedCredential;
		options: GraphRequestOptions;
		policy: ReturnType<typeof defaultPolicy>;
		attempts: number;
		secrets: string[];
	},
): FailedAttempt {
	const { credential, options, policy, attempts, secrets } = context;
	const networkCode = networkCodeOf(networkError);
	if (!networkCode) {
		// Not a network failure: n8n could not prepare the request (credential missing, the
		// credential's token exchange refused...). Nothing was sent to Meta.
		const failure = networkError as { message?: string; description?: string };
		throw createMetaApiError(this.getNode(), {
			outcome: 'failed',
			message: failure?.message || 'The request to Meta could not be prepared',
			description:
				failure?.description ||
				'Nothing was sent to Meta. Check the credential selected in this node.',
			itemIndex: options.itemIndex,
			attempts,
			secrets,
		});
	}
	// Refused or unresolvable connections never reached Meta; anything else (reset, timeout,
	// hang-up) may have.
	const ambiguous = !NOT_SENT_NETWORK_CODES.has(networkCode);
	const unknownOutcome = ambiguous && options.method !== 'GET' && policy !== 'idempotent';
	return {
		// A read (or a write the caller marked idempotent) can be sent again; anything else may
		// already have happened at Meta and is reported as such.
		kind: policy === 'idempotent' ? 'transient' : 'never',
		hintedWaitMs: 0,
		buildError: () =>
			createMetaApiError(this.getNode(), {
				outcome: unknownOutcome ? 'unknown' : 'failed',
				message: unknownOutcome
					? `The connection to Meta dropped after the request was sent (${networkCode})`
					: `Could not reach Meta (${networkCode})`,
				description: unknownOutcome
					? 'The request reached the network but no answer came back, so Meta may or may not have carried it out. It was not repeated automatically, to avoid doing it twice. Check in Meta (the Instagram profile, the WhatsApp chat) before running it again.'
					: `Check the Graph API Base URL in the credential (${withoutUserInfo(credential.baseUrl)}) and this machine's network connection, then run the workflow again.`,
				networkCode,
				itemIndex: options.itemIndex,
				attempts,
				secrets,
			}),
	};
}

export async function graphRequestAllItems<T = IDataObject>(
	this: MetaFunctions,
	options: GraphRequestOptions,
	allItems: GraphAllItemsOptions = {},
): Promise<T[]> {
	const results: T[] = [];
	const pageSize = allItems.pageSize ?? 100;
	const seenCursors = new Set<string>();
	let after: string | undefined;
	do {
		const remaining =
			allItems.limit !== undefined ? Math.max(allItems.limit - results.length, 1) : undefined;
		const qs: IDataObject = {
			...(options.qs ?? {}),
			limit: remaining !== undefined ? Math.min(pageSize, remaining) : pageSize,
		};
		if (after) qs.after = after;
		const page = (await graphRequest.call(this, { ...options, qs })) as {
			data?: T[];
			paging?: { next?: string; cursors?: { after?: string } };
		};
		results.push(...(Array.isArray(page?.data) ? page.data : []));
		if (allItems.limit !== undefined && results.length >= allItems.limit) {
			return results.slice(0, allItems.limit);
		}
		after = page?.paging?.next ? page?.paging?.cursors?.after : undefined;
		// A cursor seen before would loop forever; Meta's paging is over.
		if (after && seenCursors.has(after)) after = undefined;
		if (after) seenCursors.add(after);
	} while (after);
	return results;
}

export async function graphBatch<T = IDataObject>(
	this: MetaFunctions,
	operations: BatchOperation[],
	itemIndex?: number,
): Promise<Array<BatchResult<T>>> {
	const results: Array<BatchResult<T>> = [];
	let secrets: string[] | undefined;
	const readOnly = operations.every((operation) => operation.method === 'GET');
	for (let start = 0; start < operations.length; start += GRAPH_BATCH_LIMIT) {
		const chunk = operations.slice(start, start + GRAPH_BATCH_LIMIT);
		const batch = chunk.map((operation) => {
			const body = batchBody(operation);
			return {
				method: operation.method,
				relative_url: operation.relativeUrl.replace(/^\/+/, ''),
				...(body !== undefined ? { body } : {}),
				...(operation.name ? { name: operation.name } : {}),
				...(operation.dependsOn ? { depends_on: operation.dependsOn } : {}),
				...(operation.omitResponseOnSuccess !== undefined
					? { omit_response_on_success: operation.omitResponseOnSuccess }
					: {}),
			};
		});
		const response = (await graphRequest.call(this, {
			method: 'POST',
			path: '/',
			body: { batch: JSON.stringify(batch), include_headers: 'false' },
			bodyType: 'form',
			// Reads only: the whole batch may be sent again. Any write: the caller decides.
			retry: readOnly ? 'idempotent' : 'none',
			itemIndex,
		})) as Array<{ code: number; body?: string | null } | null> | unknown;
		if (!Array.isArray(response)) {
			throw toNodeApiError(
				this.getNode(),
				{ message: 'Meta answered the batch request with something other than a list' },
				{ itemIndex },
			);
		}
		for (let index = 0; index < chunk.length; index++) {
			const entry = response[index] as { code: number; body?: string | null } | null | undefined;
			if (entry === null || entry === undefined) {
				results.push({ code: 0, incomplete: true });
				continue;
			}
			let parsed: unknown = entry.body ?? undefined;
			if (typeof entry.body === 'string') {
				try {
					parsed = JSON.parse(entry.body);
				} catch {
					parsed = entry.body;
				}
			}
			const parsedError = (parsed as { error?: MetaGraphErrorBody } | undefined)?.error;
			if (entry.code >= 400 || parsedError) {
				secrets ??= (await loadCredential.call(this)).secrets;
				results.push({
					code: entry.code,
					error: scrubValue(parsedError ?? { message: `HTTP ${entry.code}` }, secrets),
				});
			} else {
				results.push({ code: entry.code, body: parsed as T });
			}
		}
	}
	return results;
}
