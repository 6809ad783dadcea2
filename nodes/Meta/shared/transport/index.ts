/**
 * The only place HTTP happens. BASELINE written by the coordinator so every node can start:
 * the foundation work (issue 2) completes retries, usage headers, batch and error mapping here
 * WITHOUT changing these exported signatures.
 */
import { createHmac } from 'crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { toNodeApiError } from '../errors';
import type {
	BatchOperation,
	BatchResult,
	GraphAllItemsOptions,
	GraphRequestOptions,
	MetaAuthentication,
} from './types';
import { META_CREDENTIAL_TYPES } from './types';

export * from './types';

import {
	DEFAULT_GRAPH_API_VERSION,
	DEFAULT_GRAPH_BASE_URL,
	DEFAULT_INSTAGRAM_BASE_URL,
} from './constants';

export { DEFAULT_GRAPH_API_VERSION, DEFAULT_GRAPH_BASE_URL, DEFAULT_INSTAGRAM_BASE_URL };

export type MetaFunctions = IExecuteFunctions | ILoadOptionsFunctions;

export interface ResolvedCredential {
	credentialType: string;
	baseUrl: string;
	version: string;
	accessToken: string;
	appSecret?: string;
}

/** The credential type the node's `authentication` parameter selects. */
export function getCredentialType(this: MetaFunctions): string {
	let authentication: MetaAuthentication = 'accessToken';
	try {
		authentication = this.getNodeParameter('authentication', 0, 'accessToken') as MetaAuthentication;
	} catch {
		authentication = 'accessToken';
	}
	return META_CREDENTIAL_TYPES[authentication] ?? META_CREDENTIAL_TYPES.accessToken;
}

export async function resolveCredential(this: MetaFunctions): Promise<ResolvedCredential> {
	const credentialType = getCredentialType.call(this);
	const credentials = await this.getCredentials(credentialType);
	const oauthTokenData = credentials.oauthTokenData as IDataObject | undefined;
	const accessToken = String(
		(credentials.accessToken as string | undefined) ?? oauthTokenData?.access_token ?? '',
	);
	const defaultBase =
		credentialType === META_CREDENTIAL_TYPES.instagramLogin
			? DEFAULT_INSTAGRAM_BASE_URL
			: DEFAULT_GRAPH_BASE_URL;
	const appSecret = (credentials.appSecret as string | undefined) || undefined;
	return {
		credentialType,
		baseUrl: String(credentials.baseUrl || defaultBase).replace(/\/+$/, ''),
		version: String(credentials.graphApiVersion || DEFAULT_GRAPH_API_VERSION),
		accessToken,
		appSecret,
	};
}

export function appSecretProof(appSecret: string, accessToken: string): string {
	return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

export function buildUrl(credential: ResolvedCredential, path: string): string {
	if (/^https?:\/\//i.test(path)) return path;
	const cleanPath = path.startsWith('/') ? path : `/${path}`;
	return `${credential.baseUrl}/${credential.version}${cleanPath}`;
}

export async function graphRequest<T = any>(
	this: MetaFunctions,
	options: GraphRequestOptions,
): Promise<T> {
	const credential = await resolveCredential.call(this);
	const qs: IDataObject = { ...(options.qs ?? {}) };
	if (credential.appSecret && credential.accessToken) {
		qs.appsecret_proof = appSecretProof(credential.appSecret, credential.accessToken);
	}
	const request: IHttpRequestOptions = {
		method: options.method,
		url: buildUrl(credential, options.path),
		qs,
		headers: { ...(options.headers ?? {}) },
		json: !options.binary,
		timeout: options.timeoutMs ?? 60000,
		returnFullResponse: options.returnFullResponse,
	};
	if (options.binary) request.encoding = 'arraybuffer';
	if (options.body !== undefined) {
		if (options.bodyType === 'form') {
			request.headers!['Content-Type'] = 'application/x-www-form-urlencoded';
			request.body = options.body;
		} else {
			request.body = options.body;
		}
	}
	try {
		const response = await this.helpers.httpRequestWithAuthentication.call(
			this,
			credential.credentialType,
			request,
		);
		if (options.returnFullResponse) {
			return { body: response.body, headers: response.headers, statusCode: response.statusCode } as T;
		}
		return response as T;
	} catch (error) {
		throw toNodeApiError(this.getNode(), error, { itemIndex: options.itemIndex });
	}
}

export async function graphRequestAllItems<T = IDataObject>(
	this: MetaFunctions,
	options: GraphRequestOptions,
	allItems: GraphAllItemsOptions = {},
): Promise<T[]> {
	const results: T[] = [];
	const pageSize = allItems.pageSize ?? 100;
	let after: string | undefined;
	do {
		const qs: IDataObject = { ...(options.qs ?? {}), limit: pageSize };
		if (after) qs.after = after;
		const page = await graphRequest.call<MetaFunctions, [GraphRequestOptions], Promise<any>>(this, { ...options, qs });
		const data = (page?.data ?? []) as T[];
		results.push(...data);
		after = page?.paging?.next ? page?.paging?.cursors?.after : undefined;
		if (allItems.limit !== undefined && results.length >= allItems.limit) {
			return results.slice(0, allItems.limit);
		}
	} while (after);
	return results;
}

export async function graphBatch<T = IDataObject>(
	this: MetaFunctions,
	operations: BatchOperation[],
	itemIndex?: number,
): Promise<Array<BatchResult<T>>> {
	const results: Array<BatchResult<T>> = [];
	for (let start = 0; start < operations.length; start += 50) {
		const chunk = operations.slice(start, start + 50);
		const batch = chunk.map((operation) => ({
			method: operation.method,
			relative_url: operation.relativeUrl,
			...(operation.body ? { body: new URLSearchParams(operation.body as Record<string, string>).toString() } : {}),
			...(operation.name ? { name: operation.name } : {}),
			...(operation.dependsOn ? { depends_on: operation.dependsOn } : {}),
		}));
		const response = (await graphRequest.call(this, {
			method: 'POST',
			path: '/',
			body: { batch: JSON.stringify(batch), include_headers: 'false' },
			bodyType: 'form',
			retry: 'none',
			itemIndex,
		})) as Array<{ code: number; body?: string } | null>;
		for (const entry of response) {
			if (entry === null) {
				results.push({ code: 0, incomplete: true });
				continue;
			}
			const parsed = entry.body ? JSON.parse(entry.body) : undefined;
			if (entry.code >= 400 || parsed?.error) {
				results.push({ code: entry.code, error: parsed?.error });
			} else {
				results.push({ code: entry.code, body: parsed });
			}
		}
	}
	return results;
}
