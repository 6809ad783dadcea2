/**
 * Defaults shared by the credentials and the transport. Kept free of imports so the credential
 * files can load it without pulling in the rest of the transport.
 */

/**
 * Newest stable Graph API version when this was written
 * (https://developers.facebook.com/docs/graph-api/changelog; see docs/graph-api.md, Versions).
 */
export const DEFAULT_GRAPH_API_VERSION = 'v26.0';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_INSTAGRAM_BASE_URL = 'https://graph.instagram.com';
