/**
 * The only place HTTP happens. Every request is authenticated by n8n
 * (`httpRequestWithAuthentication`) with the credential the node's `authentication` parameter
 * selects; version and base URL come from that credential; `appsecret_proof` is added whenever
 * the credential holds the app secret; the token only goes to Meta's hosts or the configured base
 * URL. Failures become NodeApiErrors from the error catalogue, scrubbed of every secret, and are
 * repeated only as Meta's own classification allows.
 *
 *   credential.ts  which credential, its token, secrets, base URL and version
 *   hosts.ts       where the credential may be sent
 *   encoding.ts    query, form, multipart and binary bodies; answer decoding
 *   retry.ts       retry policy, backoff, usage headers
 *   request.ts     graphRequest, graphRequestAllItems, graphBatch
 *   answer.ts      the one check of a success answer
 */
export * from './types';
export {
	DEFAULT_GRAPH_API_VERSION,
	DEFAULT_GRAPH_BASE_URL,
	DEFAULT_INSTAGRAM_BASE_URL,
} from './constants';
export { appSecretProof } from './tokens';
export { buildUrl, getCredentialType, resolveCredential } from './credential';
export type { MetaFunctions, ResolvedCredential } from './credential';
export { META_CREDENTIAL_HOSTS, credentialHostProblem, isMetaHost } from './hosts';
export {
	DEFAULT_MAX_RETRY_WAIT_MS,
	MAX_ATTEMPTS,
	backoffDelay,
	transportClock,
	usageExhausted,
	waitFromHeaders,
} from './retry';
export { GRAPH_BATCH_LIMIT, graphBatch, graphRequest, graphRequestAllItems } from './request';
export { answerObject, requireAnswerField, unreadableAnswerError } from './answer';
export type { AnswerCheck } from './answer';
