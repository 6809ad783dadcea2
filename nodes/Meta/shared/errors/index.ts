/**
 * The error layer: the catalogue of Meta's codes (one table), the NodeApiError built from a Meta
 * failure, secret scrubbing, and the Continue On Fail item every node emits. Node code imports
 * from here; files inside this folder import from the specific file, never from this barrel.
 */
export { META_ERROR_CATALOGUE, lookupMetaError, lookupMetaErrorBySubcode } from './catalogue';
export type { MetaErrorCatalogueEntry, MetaRetryClass } from './catalogue';
export {
	classifyMetaError,
	createMetaApiError,
	describeMetaError,
	getMetaErrorInfo,
	toNodeApiError,
	withCallHint,
} from './info';
export type { MetaApiErrorInput, MetaErrorDescription, MetaErrorInfo } from './info';
export { scrubSecrets, scrubValue, withoutUserInfo } from './scrub';
export { metaErrorItem } from './errorItem';
export type { MetaErrorItemOptions, MetaErrorItemStatus } from './errorItem';
