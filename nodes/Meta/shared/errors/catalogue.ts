/**
 * Every Meta error code and subcode this package knows, by number, from Meta's error pages:
 * https://developers.facebook.com/docs/graph-api/guides/error-handling,
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes and
 * https://developers.facebook.com/docs/graph-api/overview/rate-limiting.
 * Node code and the transport decide on these numbers, never on Meta's message text, and read the
 * table only through `lookupMetaError` / `lookupMetaErrorBySubcode`.
 *
 * `retry` is what Meta's own guidance allows:
 * - `transient`: a temporary fault on Meta's side; repeating an idempotent request may succeed.
 * - `throttled`: a rate limit; Meta did nothing, so any request may be repeated after waiting.
 * - `never`: repeating the same request cannot succeed (or could duplicate an effect).
 */

export type MetaRetryClass = 'transient' | 'throttled' | 'never';

export interface MetaErrorCatalogueEntry {
	/** Short name of the problem, shown as the error's title in n8n. */
	title: string;
	/** What happened and what to do next, in words for someone who does not read API docs. */
	hint: string;
	retry: MetaRetryClass;
	docsUrl: string;
}

const GRAPH_ERRORS_URL = 'https://developers.facebook.com/docs/graph-api/guides/error-handling';
const RATE_LIMIT_URL = 'https://developers.facebook.com/docs/graph-api/overview/rate-limiting';
const TOKEN_URL = 'https://developers.facebook.com/docs/facebook-login/guides/access-tokens';
const INSTAGRAM_ERRORS_URL =
	'https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes';
const INSTAGRAM_PUBLISH_URL =
	'https://developers.facebook.com/docs/instagram-platform/content-publishing';
const WHATSAPP_ERRORS_URL =
	'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes';
const WHATSAPP_TEMPLATES_URL =
	'https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates';

const RECONNECT =
	'Create a new token (Business Settings > Users > System Users > Generate New Token) or reconnect the OAuth2 credential in n8n, then run the workflow again.';

function entry(
	title: string,
	hint: string,
	retry: MetaRetryClass,
	docsUrl: string,
): MetaErrorCatalogueEntry {
	return { title, hint, retry, docsUrl };
}

/**
 * Keys: `"<code>"`, `"<code>/<subcode>"`, a star in place of the code before `/<subcode>` (a
 * subcode Meta sends with varying codes), or `"<from>..<to>"` (every code of a range Meta
 * documents as one family, used when the exact code has no entry of its own).
 */
export const META_ERROR_CATALOGUE: Readonly<Record<string, MetaErrorCatalogueEntry>> = {
	// Generic Graph codes
	'1': entry(
		'Meta had a temporary problem',
		'Meta could not answer this time (an unknown or temporary error). Transient errors are retried automatically. If it keeps happening, ask for less data at once: lower Limit or request fewer fields.',
		'transient',
		GRAPH_ERRORS_URL,
	),
	'2': entry(
		'Meta service temporarily unavailable',
		'Meta is briefly down or overloaded. The request is retried automatically; if the workflow still fails, run it again in a few minutes.',
		'transient',
		GRAPH_ERRORS_URL,
	),
	'3': entry(
		'The app cannot use this feature',
		'The Meta app behind your token lacks the capability or permission this call needs. In the App Dashboard, check that the product (Instagram, WhatsApp, Pages) is added to the app and that the permission has Advanced Access where needed.',
		'never',
		GRAPH_ERRORS_URL,
	),
	'4': entry(
		'App request limit reached',
		"Your Meta app made too many calls in the last hour (app-level rate limit). Nothing was done. The node waits and retries when it can; otherwise wait until usage drops (up to an hour) and spread the workflow's calls over time.",
		'throttled',
		RATE_LIMIT_URL,
	),
	'10': entry(
		'Permission denied',
		'The token is missing a permission this action needs, or it was removed. Reconnect and grant every permission asked for (for a System User, tick the permission when generating the token). If the app is in Development mode or lacks Advanced Access for the permission, only people with a role on the app can use it. Instagram: "The user is not an Instagram Business" means the account must be switched to a professional (Business or Creator) account.',
		'never',
		GRAPH_ERRORS_URL,
	),
	'17': entry(
		'User request limit reached',
		'The person or System User behind the token made too many calls. Nothing was done. The node waits and retries when it can; otherwise wait a while and run less often.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'32': entry(
		'Page request limit reached',
		'Too many calls were made to this Facebook Page with a user token. Nothing was done. The node waits and retries when it can; otherwise wait and run less often, or use a Page or System User token.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'100': entry(
		'Invalid parameter',
		"Meta rejected a value in the request: a missing or misspelled field, a value that is too long, or an ID that does not exist. Check the node fields named in Meta's message. If the message mentions appsecret_proof, the App Secret in the credential does not belong to the app that issued the token.",
		'never',
		GRAPH_ERRORS_URL,
	),
	'100/33': entry(
		'Object not found or not accessible',
		"The ID does not exist, or the token cannot see it. Check that the ID is right (pick it from the list instead of typing it) and that the token's user or System User has been given access to that asset in Business Settings (Accounts > Pages / Instagram accounts / WhatsApp accounts > Assign people). The credential type matters: an Instagram Login credential reaches only the Instagram account that logged in, and a Facebook Login credential only what that person manages.",
		'never',
		GRAPH_ERRORS_URL,
	),
	'102': entry(
		'Session is no longer valid',
		`Meta ended the login session behind this token. ${RECONNECT}`,
		'never',
		TOKEN_URL,
	),
	'190': entry(
		'Access token invalid or expired',
		`Meta no longer accepts this token: it is incomplete, expired or revoked. ${RECONNECT} For a token that does not expire, use a System User token generated with "Never" as expiry.`,
		'never',
		TOKEN_URL,
	),
	'200': entry(
		'Missing permission or asset access',
		'The token lacks a permission, or its user or System User has no access to this Page, Instagram account or WhatsApp Business Account. In Business Settings, assign the asset to the System User (with full control for publishing and messaging), then generate a new token with the permissions ticked.',
		'never',
		GRAPH_ERRORS_URL,
	),
	'341': entry(
		'Application limit reached',
		'Meta has temporarily limited your app. Nothing was done. Wait before trying again and lower how often the workflow runs.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'368': entry(
		'Temporarily blocked for a policy violation',
		'Meta blocked this action because the account, app or WhatsApp Business Account was flagged for a policy violation. Check Account Quality in Meta Business Suite (or WhatsApp Manager > Account health), follow the steps shown there, then try again later.',
		'never',
		GRAPH_ERRORS_URL,
	),
	'506': entry(
		'Duplicate post',
		'The same content was just posted. Change the text or media before posting again.',
		'never',
		GRAPH_ERRORS_URL,
	),
	'613': entry(
		'Calls exceeded the rate limit',
		'This endpoint has its own limit and it was exceeded. Nothing was done. The node waits and retries when it can; otherwise spread the calls out over time.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'613/1996': entry(
		'Inconsistent request volume',
		'Meta throttled the app because its call volume jumps around. Nothing was done. Spread calls evenly over time (for example with Loop Over Items and a Wait node).',
		'throttled',
		RATE_LIMIT_URL,
	),
	'1609005': entry(
		'Error posting link',
		'Meta could not read the link in the post. Check that the URL is public, correct and reachable without a login.',
		'never',
		GRAPH_ERRORS_URL,
	),
	'2500': entry(
		'No access token was sent',
		'Meta received the request without a usable access token. Open the credential, paste the token again and save it.',
		'never',
		TOKEN_URL,
	),

	// Code 190 subcodes (token problems)
	'190/458': entry(
		'App not authorized by the user',
		`The person behind the token removed the app or never authorized it. Reconnect the credential (or log in again through the app) and accept every permission. ${RECONNECT}`,
		'never',
		TOKEN_URL,
	),
	'190/459': entry(
		'Facebook account checkpointed',
		'Facebook locked the account behind the token for a security check. That person must log in at facebook.com and complete the check, then reconnect the credential.',
		'never',
		TOKEN_URL,
	),
	'190/460': entry(
		'Password changed',
		'The token stopped working because the Facebook password was changed or Facebook reset the session for security. Reconnect the credential (or generate a new token) to continue.',
		'never',
		TOKEN_URL,
	),
	'190/463': entry(
		'Access token expired',
		'The token has expired. User tokens last one to two hours (short-lived) or about 60 days (long-lived). Reconnect the credential, or switch to a System User token generated with "Never" as expiry, or a Page token from a long-lived user token, which do not expire.',
		'never',
		TOKEN_URL,
	),
	'190/464': entry(
		'Facebook account not confirmed',
		'The Facebook account behind the token has not been confirmed. That person must confirm it on facebook.com, then reconnect the credential.',
		'never',
		TOKEN_URL,
	),
	'190/467': entry(
		'Access token revoked',
		`The token was invalidated (the user logged out or it was revoked). ${RECONNECT}`,
		'never',
		TOKEN_URL,
	),
	'190/492': entry(
		'No role on the Page any more',
		'The person behind this Page token no longer has a role on the Facebook Page. A Page admin must give them access again (Page settings > Page access, or Business Settings > Pages), then get a fresh Page token by reconnecting.',
		'never',
		TOKEN_URL,
	),

	// Instagram content publishing
	'-1': entry(
		'Instagram server error',
		'Instagram had an internal error. Run the step again; if it keeps failing, try again later.',
		'transient',
		INSTAGRAM_ERRORS_URL,
	),
	'-2/2207003': entry(
		'Timed out downloading the media',
		'Instagram took too long to download the media from your URL. Host it somewhere fast and public (no redirects or login), then publish again; a new container is created.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'-2/2207020': entry(
		'Media container expired',
		'Containers must be published within 24 hours of being created. Create the post again so a new container is made.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'-1/2207001': entry(
		'Instagram server error',
		'Instagram had an internal error. Run the step again; if it keeps failing, try again later.',
		'transient',
		INSTAGRAM_ERRORS_URL,
	),
	'-1/2207032': entry(
		'Failed to create the media',
		"Instagram could not create the media. Run the step again; if it keeps failing, check the file against Instagram's media requirements.",
		'transient',
		INSTAGRAM_ERRORS_URL,
	),
	'-1/2207053': entry(
		'Unknown upload error',
		"The video upload failed on Instagram's side. Create the post again (a new container and upload); if it repeats, re-encode the video as MP4 (H.264/AAC).",
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'1/2207057': entry(
		'Thumbnail offset outside the video',
		"The Thumbnail Offset is longer than the video. Set it to a time (in milliseconds) within the video's length.",
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'4/2207051': entry(
		'Action blocked by Instagram',
		'Instagram blocked this publish as possible spam or because the account is restricted. Do not retry right away: open the Instagram app to see any warning, review the content, and try later.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'9/2207042': entry(
		'Daily publishing limit reached',
		'The Instagram account reached its limit of posts published through the API in the last 24 hours. Wait until older posts fall out of the 24-hour window (the Meta Asset Check node shows the quota) and publish again.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'24/2207006': entry(
		'Media not found',
		'Instagram cannot find this media container: it was never created with this token, or the token expired. Create the post again and check the credential.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'24/2207008': entry(
		'Container not ready or expired',
		'Instagram does not see the container yet, or it has expired. Wait 30 seconds to 2 minutes and publish again; if it still fails, create the post again.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'25/2207050': entry(
		'Instagram account restricted',
		'The Instagram account is restricted, checkpointed or inactive. Its owner must open the Instagram app and resolve the notice, then try again.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	// Instagram messaging and private replies (Instagram Engage). Meta's Instagram messaging pages
	// document the windows, not these numbers: they are Messenger Platform's, which the Instagram
	// messaging API shares (https://developers.facebook.com/docs/messenger-platform/error-codes).
	'10/2018278': entry(
		'Outside the messaging window',
		'Instagram only lets a business message a person within 24 hours of their last message (7 days with the Human Agent tag), and send a private reply within 7 days of the comment. Wait until the person writes again; there is nothing to retry.',
		'never',
		'https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api',
	),
	'10900': entry(
		'Comment already answered privately',
		'Instagram allows one private reply per comment, and this comment already has one. Nothing was sent; answer in the conversation instead.',
		'never',
		'https://developers.facebook.com/docs/instagram-platform/private-replies',
	),
	'210': entry(
		'A Page access token is required',
		"With Facebook Login, Instagram messaging and private replies need a Page access token or a System User token with the Page assigned, not a person's user token. Use the Meta Business Access Token credential with such a token.",
		'never',
		TOKEN_URL,
	),
	'100/2018001': entry(
		'No matching Instagram user',
		'Instagram found no conversation with this person: they have never written to the account, or the id is not the Instagram-scoped id from a webhook or conversation. Use the sender id the Meta Trigger gives.',
		'never',
		'https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api',
	),
	'100/2207023': entry(
		'Unsupported media type',
		'The media type is not one Instagram accepts for this post. Choose Image, Reel, Story or Carousel and give a matching file.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'100/2207028': entry(
		'Wrong number of carousel items',
		'A carousel needs between 2 and 10 images or videos. Add or remove items.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'100/2207035': entry(
		'Product tag positions on a video',
		'Product tags on videos cannot have x/y positions. Remove the positions from the product tags.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'100/2207036': entry(
		'Product tag positions missing',
		'Product tags on images need x and y positions (0 to 1). Add them to each tag.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'100/2207037': entry(
		'Invalid product tags',
		"One or more product tags are invalid. Check the product IDs belong to the account's catalog and are approved.",
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'100/2207040': entry(
		'Too many mentions',
		'The caption mentions more than 20 accounts. Remove some @mentions.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'352/2207026': entry(
		'Unsupported video format',
		"Instagram cannot use this video. Re-encode it as MP4 or MOV (H.264 video, AAC audio) within Instagram's size, length and resolution limits.",
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'9004/2207052': entry(
		'Media could not be fetched from the URL',
		'Instagram could not download the media from the URL. It must be a public, direct link to the file (no login, no web page, no expiring link); for a video, you can also send the file as binary data.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'9007/2207027': entry(
		'Media not ready for publishing',
		'Instagram has not finished processing the media. Wait until the container status is FINISHED, then publish.',
		'never',
		INSTAGRAM_PUBLISH_URL,
	),
	'36000/2207004': entry(
		'Image too large',
		'The image is larger than 8 MB. Compress or resize it and try again.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'36001/2207005': entry(
		'Unsupported image format',
		'Instagram accepts JPEG images for feed posts. Convert the image to JPEG and try again.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'36003/2207009': entry(
		'Aspect ratio not supported',
		'Feed images must be between 4:5 (portrait) and 1.91:1 (landscape). Crop the image and try again.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'36004/2207010': entry(
		'Caption too long',
		"The caption exceeds Instagram's limits: 2,200 characters, 30 hashtags, 20 @mentions. Shorten it.",
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	// Seen in production, not in Meta's table: looked up by subcode whatever the code.
	'*/2207077': entry(
		'Video download failed',
		'Instagram could not download the video. Check that the URL is public and direct, or send the file as binary data.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'*/2207081': entry(
		'Trial reels not supported',
		'This Instagram account cannot publish trial reels. Turn the trial option off.',
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'*/2207082': entry(
		'Media upload failed',
		"The media upload failed on Instagram's side. Create the post again.",
		'never',
		INSTAGRAM_ERRORS_URL,
	),
	'*/2207085': entry(
		'Video could not be processed',
		"Instagram could not process the video (format, length or resolution). Re-encode it within Instagram's video requirements.",
		'never',
		INSTAGRAM_ERRORS_URL,
	),

	// Rate limits (Business Use Case)
	'80000': entry(
		'Ads Insights rate limit reached',
		'Too many Ads Insights calls for this ad account. Nothing was done. Wait for the time Meta gives and retry.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'80001': entry(
		'Page rate limit reached',
		'Too many calls to this Facebook Page. Nothing was done. The node waits and retries when it can; otherwise wait and run less often.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'80002': entry(
		'Instagram rate limit reached',
		'Too many calls to this Instagram account. Nothing was done. The node waits and retries when it can; otherwise wait (Meta says how long) and run less often.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'80003': entry(
		'Custom Audience rate limit reached',
		'Too many Custom Audience calls. Nothing was done. Wait and retry.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'80004': entry(
		'Ads Management rate limit reached',
		'Too many Ads Management calls for this ad account. Nothing was done. Wait and retry.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'80005': entry(
		'Lead Ads rate limit reached',
		'Too many Lead Ads calls. Nothing was done. Wait and retry.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'80006': entry(
		'Messenger rate limit reached',
		'Too many Messenger calls for this Page. Nothing was done. Wait and retry.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'80007': entry(
		'WhatsApp Business Account rate limit reached',
		'The WhatsApp Business Account made too many calls. Nothing was done. The node waits and retries when it can; otherwise slow the workflow down.',
		'throttled',
		WHATSAPP_ERRORS_URL,
	),
	'80008': entry(
		'WhatsApp Business Management rate limit reached',
		'Too many management calls (templates, phone numbers) for this WhatsApp Business Account: the limit is about 200 per hour. Nothing was done. Wait and retry.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'80009': entry(
		'Catalog management rate limit reached',
		'Too many catalog calls. Nothing was done. Wait and retry.',
		'throttled',
		RATE_LIMIT_URL,
	),
	'80014': entry(
		'Catalog batch rate limit reached',
		'Too many catalog batch calls. Nothing was done. Wait and retry.',
		'throttled',
		RATE_LIMIT_URL,
	),

	// WhatsApp Cloud API
	'0': entry(
		'Authentication failed',
		`Meta could not authenticate the app user: the token expired or was invalidated. ${RECONNECT}`,
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'33': entry(
		'Phone number deleted',
		'This business phone number was deleted. Pick the phone number ID again from the list (WhatsApp Manager > Phone numbers).',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'130403': entry(
		'Recipient blocked by the business',
		'Your business blocked this WhatsApp user. Unblock them in WhatsApp Manager before messaging them.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'130429': entry(
		'WhatsApp throughput limit reached',
		'The phone number sent messages faster than its throughput allows. Nothing was sent. The node waits and retries; for large sends, lower the messages per second.',
		'throttled',
		WHATSAPP_ERRORS_URL,
	),
	'130472': entry(
		'Recipient in a Meta experiment',
		'Meta held this marketing message back because the user is in an experiment group. Nothing to fix; do not resend.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'130497': entry(
		'Country not allowed',
		"This WhatsApp Business Account cannot message users in the recipient's country. Nothing to fix in the workflow.",
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131000': entry(
		'Something went wrong at WhatsApp',
		"WhatsApp had an unknown error. Reads are retried automatically. A message send is not repeated automatically because it may have gone out: check the recipient's chat or the status webhook before sending again. If it persists, contact Meta support with the fbtrace_id.",
		'transient',
		WHATSAPP_ERRORS_URL,
	),
	'131005': entry(
		'Access denied',
		'The token lacks WhatsApp permission for this account. Generate a System User token with whatsapp_business_messaging and whatsapp_business_management ticked, and assign the WhatsApp account to that System User in Business Settings.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131008': entry(
		'Required parameter missing',
		"A required field of the message is empty. Check the node fields named in Meta's message.",
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131009': entry(
		'Parameter value not valid',
		"A value in the message is not valid: often the recipient phone number (use the full international number, digits only, e.g. 15551234567), a message ID, or a media ID. Check the fields named in Meta's message.",
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131016': entry(
		'WhatsApp service unavailable',
		'WhatsApp is temporarily unavailable. Reads are retried automatically; run the workflow again in a few minutes.',
		'transient',
		WHATSAPP_ERRORS_URL,
	),
	'131021': entry(
		'Recipient is the sender',
		'The recipient number is the business number itself. Send to a different number.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131026': entry(
		'Message undeliverable',
		'WhatsApp could not deliver the message: the number may not use WhatsApp, has not accepted the latest terms, or runs an old app version. Reach the person another way; do not keep resending.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131030': entry(
		'Recipient not in the allowed list',
		'Test phone numbers can only message numbers on their allowed list. Add the recipient in the App Dashboard (WhatsApp > API Setup > To), or use a registered business number.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131031': entry(
		'Business account locked',
		'The WhatsApp Business Account is restricted or locked (for example a policy problem or a wrong two-step verification PIN). Check WhatsApp Manager > Account health and follow the steps shown.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131037': entry(
		'Display name not approved',
		"The phone number's display name needs approval before it can send. Check the name status in WhatsApp Manager > Phone numbers.",
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131042': entry(
		'Payment problem',
		'WhatsApp cannot charge for this message: there is a problem with the payment method or credit line. Fix billing in Business Settings > WhatsApp accounts > Payment settings.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131045': entry(
		'Phone number not registered correctly',
		'The business phone number is not registered for the Cloud API. Register it (WhatsApp Manager > Phone numbers) and try again.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131047': entry(
		'More than 24 hours since the customer last wrote',
		"Free-form messages are only allowed within 24 hours of the customer's last message. Send an approved template instead.",
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131048': entry(
		'Spam rate limit hit',
		"Too many of this number's messages were blocked or reported, so Meta limits its sending. Improve message quality (check the quality rating in WhatsApp Manager) and send fewer messages for a while.",
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131049': entry(
		'Meta chose not to deliver',
		"Meta did not deliver this marketing message to keep the user's experience healthy (per-user marketing limit). Wait at least 24 hours before sending this user another marketing template; do not retry right away.",
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131050': entry(
		'User opted out of marketing messages',
		'This user stopped marketing messages from your business. Do not resend marketing templates to them.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131051': entry(
		'Unsupported message type',
		'This message type is not supported. Choose a supported type (text, media, template, interactive, location, contacts, reaction).',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131052': entry(
		'Media download error',
		'WhatsApp could not download media the user sent (for example larger than 100 MB). Ask the user to send it again.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131053': entry(
		'Media upload error',
		'WhatsApp could not process the media: the file type does not match its MIME type, or the type or size is not supported. Check the file and its MIME type.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131055': entry(
		'Method not allowed',
		'This endpoint only accepts marketing template messages. Send a marketing template or use the normal messages endpoint.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131056': entry(
		'Too many messages to the same user',
		'Your number sent too many messages to this one user in a short time. Nothing was sent. Wait before messaging them again; other recipients are not affected.',
		'throttled',
		WHATSAPP_ERRORS_URL,
	),
	'131057': entry(
		'Account in maintenance mode',
		'The WhatsApp account is in maintenance (for example a throughput upgrade). Try again in a few minutes.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131063': entry(
		'Marketing templates disabled on Cloud API',
		'Marketing templates are turned off for this WhatsApp Business Account on the Cloud API. Re-enable them in WhatsApp Manager or use the Marketing Messages API.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'131064': entry(
		'Messaging limited by template misclassification',
		'Meta limited messaging because templates were used in the wrong category. Fix the template categories and wait for the limit to lift.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'132000': entry(
		'Wrong number of template parameters',
		'The number of variables sent does not match the template. Fill every {{n}} variable of the template (body, header and buttons).',
		'never',
		WHATSAPP_TEMPLATES_URL,
	),
	'132001': entry(
		'Template does not exist in this language',
		'No approved template with this name exists in the chosen language. Pick the template and language from the list (only APPROVED ones are shown).',
		'never',
		WHATSAPP_TEMPLATES_URL,
	),
	'132005': entry(
		'Template text too long',
		'With the variables filled in, the template text is too long. Shorten the variable values.',
		'never',
		WHATSAPP_TEMPLATES_URL,
	),
	'132007': entry(
		'Template violates format policy',
		"The filled-in template breaks WhatsApp's formatting or content policy. Change the variable values or edit the template.",
		'never',
		WHATSAPP_TEMPLATES_URL,
	),
	'132012': entry(
		'Template parameter format mismatch',
		"A variable has the wrong type for the template (for example text where the header expects an image). Match each parameter to the template's definition.",
		'never',
		WHATSAPP_TEMPLATES_URL,
	),
	'132015': entry(
		'Template paused',
		'Meta paused this template because of low quality. Edit it in WhatsApp Manager > Message templates or wait for it to be unpaused, or use another template.',
		'never',
		WHATSAPP_TEMPLATES_URL,
	),
	'132016': entry(
		'Template disabled',
		'The template was disabled permanently after being paused too often. Create a new template.',
		'never',
		WHATSAPP_TEMPLATES_URL,
	),
	'132018': entry(
		'Template parameter problem',
		'There is a problem with the template parameters. Check each variable against the template definition.',
		'never',
		WHATSAPP_TEMPLATES_URL,
	),
	'132068': entry(
		'Flow blocked',
		'The WhatsApp Flow in this message is blocked. Fix the Flow in WhatsApp Manager > Flows.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'132069': entry(
		'Flow throttled',
		"The WhatsApp Flow in this message is throttled. Fix the Flow's health issues and try later.",
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'133000': entry(
		'Incomplete deregistration',
		'A previous deregistration of this phone number did not finish. Deregister it again, then register it.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'133004': entry(
		'Server temporarily unavailable',
		"WhatsApp's server is briefly unavailable. The request is retried when safe; otherwise try again in a few minutes.",
		'transient',
		WHATSAPP_ERRORS_URL,
	),
	'133005': entry(
		'Two-step verification PIN mismatch',
		'The two-step verification PIN is wrong. Use the PIN set in WhatsApp Manager > Phone numbers > Two-step verification, or reset it there.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'133006': entry(
		'Phone number needs re-verification',
		'The phone number must be verified again before it can be used. Verify it in WhatsApp Manager > Phone numbers.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'133008': entry(
		'Too many PIN guesses',
		'Too many wrong two-step verification PINs were tried. Wait before trying again.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'133009': entry(
		'PIN entered too fast',
		'Two-step verification PINs were tried too quickly. Wait before trying again.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'133010': entry(
		'Phone number not registered',
		'The phone number is not registered on the WhatsApp Cloud API. Register it (WhatsApp Manager > Phone numbers, or POST /<phone-number-id>/register) before sending.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'133015': entry(
		'Phone number recently deleted',
		'This phone number was deleted moments ago. Wait 5 minutes before registering it again.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'133016': entry(
		'Too many registration attempts',
		'The number was registered and deregistered too often. Wait before trying again.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'134011': entry(
		'WhatsApp Payments terms not accepted',
		'The WhatsApp Payments terms of service must be accepted before using this feature. Accept them in WhatsApp Manager.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'134100': entry(
		'Marketing Messages API: not allowed',
		'This request is only valid on the Marketing Messages API, or is not allowed there. Check the endpoint and the message type.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'134101': entry(
		'Marketing Messages API: not eligible',
		'The account is not set up for the Marketing Messages API. Complete onboarding in WhatsApp Manager or use the normal messages endpoint.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'134102': entry(
		'Marketing Messages API: server error',
		'The Marketing Messages API had an internal error. Try again later.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'135000': entry(
		'Generic user error',
		'WhatsApp could not process the request parameters. Check the message fields; if they look right, contact Meta support with the fbtrace_id.',
		'never',
		WHATSAPP_ERRORS_URL,
	),
	'2388019': entry(
		'Message template limit reached',
		'The WhatsApp Business Account has the maximum number of templates (250). Delete unused templates in WhatsApp Manager > Message templates.',
		'never',
		WHATSAPP_TEMPLATES_URL,
	),
	'2494100': entry(
		'Account in maintenance (migration)',
		'The WhatsApp account is being migrated. Try again in a few minutes.',
		'never',
		WHATSAPP_ERRORS_URL,
	),

	// Code ranges Meta documents as one family
	'200..299': entry(
		'Missing permission or asset access',
		'The token lacks a permission, or its user or System User has no access to this Page, Instagram account or WhatsApp Business Account. In Business Settings, assign the asset to the System User (with full control for publishing and messaging), then generate a new token with the permissions ticked.',
		'never',
		GRAPH_ERRORS_URL,
	),
	'80000..80014': entry(
		'Business use case rate limit reached',
		"Meta's rate limit for this Page, Instagram or WhatsApp account was reached. Nothing was done. The node waits and retries when it can; otherwise wait (Meta says how long) and run less often.",
		'throttled',
		RATE_LIMIT_URL,
	),
};

const ENTRY_KEY = /^(-?\d+|\*)(?:\/(\d+))?$/;
const RANGE_KEY = /^(-?\d+)\.\.(-?\d+)$/;

/** The table's range rows, read once. */
const RANGES: ReadonlyArray<{ from: number; to: number; entry: MetaErrorCatalogueEntry }> =
	Object.entries(META_ERROR_CATALOGUE).flatMap(([key, found]) => {
		const range = RANGE_KEY.exec(key);
		return range ? [{ from: Number(range[1]), to: Number(range[2]), entry: found }] : [];
	});

/** Subcode -> entry, for subcodes read without their code (a container's `status` text). */
const BY_SUBCODE: ReadonlyMap<number, MetaErrorCatalogueEntry> = (() => {
	const index = new Map<number, MetaErrorCatalogueEntry>();
	for (const [key, found] of Object.entries(META_ERROR_CATALOGUE)) {
		const parts = ENTRY_KEY.exec(key);
		if (!parts?.[2]) continue;
		const subcode = Number(parts[2]);
		// `*/<subcode>` rows hold the subcode's meaning whatever the code; they win.
		if (parts[1] === '*' || !index.has(subcode)) index.set(subcode, found);
	}
	return index;
})();

function asNumber(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = Number(value);
	return Number.isFinite(number) ? number : undefined;
}

/**
 * The catalogue entry for a code/subcode pair: exact pair, then the subcode alone, then the code,
 * then the range the code falls in.
 */
export function lookupMetaError(
	code: number | undefined,
	subcode?: number,
): MetaErrorCatalogueEntry | undefined {
	const numericCode = asNumber(code);
	if (numericCode === undefined) return undefined;
	const numericSubcode = asNumber(subcode);
	if (numericSubcode !== undefined) {
		const pair = META_ERROR_CATALOGUE[`${numericCode}/${numericSubcode}`];
		if (pair) return pair;
		const bySubcode = META_ERROR_CATALOGUE[`*/${numericSubcode}`];
		if (bySubcode) return bySubcode;
	}
	const byCode = META_ERROR_CATALOGUE[String(numericCode)];
	if (byCode) return byCode;
	return RANGES.find((range) => numericCode >= range.from && numericCode <= range.to)?.entry;
}

/**
 * The catalogue entry for a subcode known without its code (Instagram writes only the subcode
 * into a failed container's `status`, e.g. "Error: ... 2207026").
 */
export function lookupMetaErrorBySubcode(
	subcode: number | undefined,
): MetaErrorCatalogueEntry | undefined {
	const numericSubcode = asNumber(subcode);
	return numericSubcode === undefined ? undefined : BY_SUBCODE.get(numericSubcode);
}
