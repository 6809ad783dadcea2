import type { GraphErrorSpec } from '../types';

/** Thrown by `ctx.fail()` (and by the engine); rendered as Meta's `{"error":{...}}` envelope. */
export class GraphError extends Error {
	constructor(readonly spec: GraphErrorSpec) {
		super(spec.message);
	}
}

export function isGraphErrorSpec(value: unknown): value is GraphErrorSpec {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as GraphErrorSpec).code === 'number' &&
		typeof (value as GraphErrorSpec).message === 'string'
	);
}

export function toGraphError(thrown: unknown): GraphError | undefined {
	if (thrown instanceof GraphError) return thrown;
	if (isGraphErrorSpec(thrown)) return new GraphError(thrown);
	return undefined;
}

const TRACE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
let traceCounter = Math.floor(Math.random() * 1e9);

/** fbtrace_id look-alike: 11 url-safe characters, unique per process. */
export function newTraceId(): string {
	let n = traceCounter++;
	let out = 'A';
	for (let i = 0; i < 10; i++) {
		out += TRACE_ALPHABET[(n + i * 7) & 63];
		n = Math.floor(n / 3) + i;
	}
	return out;
}

/** HTTP status Meta uses for a code when the spec does not say (https://developers.facebook.com/docs/graph-api/guides/error-handling). */
export function defaultStatus(code: number): number {
	if (code === 1 || code === 131000) return 500;
	if (code === 2 || code === 131016 || code === 133004) return 503;
	return 400;
}

export function errorEnvelope(spec: GraphErrorSpec, traceId: string): Record<string, unknown> {
	const error: Record<string, unknown> = {
		message: spec.message,
		type: spec.type ?? 'OAuthException',
		code: spec.code,
	};
	if (spec.subcode !== undefined) error.error_subcode = spec.subcode;
	if (spec.isTransient !== undefined) error.is_transient = spec.isTransient;
	if (spec.userTitle !== undefined) error.error_user_title = spec.userTitle;
	if (spec.userMsg !== undefined) error.error_user_msg = spec.userMsg;
	if (spec.details !== undefined) {
		error.error_data = { messaging_product: 'whatsapp', details: spec.details };
	}
	error.fbtrace_id = traceId;
	return { error };
}

export function unknownObject(id: string, method = 'get'): GraphErrorSpec {
	return {
		code: 100,
		subcode: 33,
		type: 'GraphMethodException',
		message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
	};
}

export function nonexistingField(field: string, kind: string): GraphErrorSpec {
	return {
		code: 100,
		message: `(#100) Tried accessing nonexisting field (${field}) on node type (${kind})`,
	};
}

export function missingParameter(name: string): GraphErrorSpec {
	return { code: 100, message: `(#100) The parameter ${name} is required` };
}
