/**
 * Instagram engagement, as Meta serves it: comments (list with replies, reply, hide, delete,
 * comments on/off), private replies (one per comment, within 7 days), direct messages (24 h
 * window, 7 days with the HUMAN_AGENT tag, 1000-byte texts), mentions (caption and comment
 * mentions, reply to them), insights (the 2026 metric matrix; metrics removed in 2025 refused) and
 * the account's post list with like/comment counts. Every send is recorded in `sent`.
 *
 * Pages this follows:
 *   https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments
 *   https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment
 *   https://developers.facebook.com/docs/instagram-platform/private-replies
 *   https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/messaging-api
 *   https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentions
 *   https://developers.facebook.com/documentation/instagram-platform/reference/instagram-media/insights
 *   https://developers.facebook.com/documentation/instagram-platform/api-reference/instagram-user/insights
 *
 * Meta documents no error code for a second private reply, a late private reply or a DM outside
 * the window: the codes below are this simulator's choice (Messenger's), settable in `errors`.
 *
 * Scenario data (optional `instagramEngage` key of a scenario; times in seconds before start):
 *   posts:         [{ id, igUserId, caption?, mediaType?, mediaProductType?, postedAgo?, likeCount?,
 *                     commentsEnabled?, insights?: { views: 10, ... }, ownerUsername? }]
 *   comments:      [{ id, mediaId, text, fromId, username, postedAgo?, likeCount?, hidden?, parentId? }]
 *   conversations: [{ igUserId, userId, lastMessageAgo }]       the user wrote to the account
 *   mentions:      [{ igUserId, mediaId, commentId? }]          a post/comment mentioning the account
 *   accountInsights: { "<igUserId>": { reach: 120, ... } }       value per day
 */
import type {
	DomainModule,
	GraphErrorSpec,
	GraphNodeType,
	RouteContext,
	ScenarioInstagramAccount,
	World,
} from '../types';
import type { DeliverOptions, EmitOutcome, WebhookChange } from '../webhooks';
import {
	instagramCommentChange,
	instagramEnvelope,
	instagramMentionChange,
	instagramMessaging,
} from '../webhooks/payloads';
import { instagramState, type IgMedia } from './instagram';

const DAY_MS = 24 * 3600 * 1000;

export interface EngagePost {
	id: string;
	igUserId: string;
	caption?: string;
	mediaType: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
	mediaProductType: 'FEED' | 'REELS' | 'STORY';
	timestamp: number;
	likeCount: number;
	commentsEnabled: boolean;
	insights: Record<string, number>;
	ownerUsername?: string;
	permalink: string;
	/** The published media record, for posts made through the Instagram domain. */
	source?: IgMedia;
}

export interface EngageComment {
	id: string;
	mediaId: string;
	text: string;
	fromId: string;
	username: string;
	timestamp: number;
	likeCount: number;
	hidden: boolean;
	parentId?: string;
	deleted?: boolean;
}

export interface SentRecord {
	kind:
		'reply' | 'privateReply' | 'message' | 'mentionReply' | 'hide' | 'delete' | 'commentEnabled';
	at: number;
	igUserId?: string;
	commentId?: string;
	mediaId?: string;
	recipientId?: string;
	messageId?: string;
	body: Record<string, unknown>;
}

export interface EngageSettings {
	privateReplyWindowMs: number;
	messagingWindowMs: number;
	humanAgentWindowMs: number;
	/** Instagram's comment text limit (the caption limit, 2,200 characters). */
	commentMaxLength: number;
	/** Send API text limit: 1000 bytes of UTF-8. */
	messageMaxBytes: number;
}

export interface EngageState {
	posts: Map<string, EngagePost>;
	comments: Map<string, EngageComment>;
	/** `${igUserId}:${userId}` -> time of the user's last message (ms). */
	conversations: Map<string, number>;
	/** igUserId -> mentions of it. */
	mentions: Array<{ igUserId: string; mediaId: string; commentId?: string }>;
	accountInsights: Record<string, Record<string, number>>;
	/** Comment ids that received their private reply. */
	privateReplied: Set<string>;
	/** igUserId -> appId -> fields (Instagram Login's `/{ig-user-id}/subscribed_apps`). */
	accountSubscriptions: Map<string, Map<string, string[]>>;
	sent: SentRecord[];
	settings: EngageSettings;
	errors: {
		alreadyReplied: GraphErrorSpec;
		replyWindow: GraphErrorSpec;
		messagingWindow: GraphErrorSpec;
		pageTokenRequired: GraphErrorSpec;
	};
}

export function engageState(world: World): EngageState {
	return world.state.instagramEngage as EngageState;
}

function engagementCount(state: EngageState, mediaId: string): number {
	return [...state.comments.values()].filter((c) => c.mediaId === mediaId && !c.deleted).length;
}

/** Adds a comment as if a user just wrote it (tests and the webhook emitter use this). */
export function addComment(
	world: World,
	input: {
		mediaId: string;
		text: string;
		fromId: string;
		username: string;
		id?: string;
		ageMs?: number;
		parentId?: string;
	},
): EngageComment {
	const comment: EngageComment = {
		id: input.id ?? world.newId('1790'),
		mediaId: input.mediaId,
		text: input.text,
		fromId: input.fromId,
		username: input.username,
		timestamp: world.now() - (input.ageMs ?? 0),
		likeCount: 0,
		hidden: false,
		parentId: input.parentId,
	};
	engageState(world).comments.set(comment.id, comment);
	world.objects.set(comment.id, { kind: 'IGComment', obj: comment });
	return comment;
}

/** Records that a user wrote to the account (opens the messaging window). */
export function userMessaged(world: World, igUserId: string, userId: string, agoMs = 0): void {
	engageState(world).conversations.set(`${igUserId}:${userId}`, world.now() - agoMs);
}

// ---------------------------------------------------------------------------------------------
// Access
// ---------------------------------------------------------------------------------------------

function isInstagramLogin(ctx: RouteContext): boolean {
	return ctx.principal().tokenRecord.type === 'INSTAGRAM';
}

function fail(ctx: RouteContext, spec: GraphErrorSpec): never {
	return ctx.fail({
		type: spec.type ?? (isInstagramLogin(ctx) ? 'IGApiException' : 'OAuthException'),
		...spec,
	});
}

function unknownObject(ctx: RouteContext, id: string, method: string): never {
	return fail(ctx, {
		code: 100,
		subcode: 33,
		type: isInstagramLogin(ctx) ? 'IGApiException' : 'GraphMethodException',
		message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
	});
}

/** The account the caller may act for (same rules as publishing: token owner, Page, Page task). */
function accountFor(ctx: RouteContext, igUserId: string, method: string): ScenarioInstagramAccount {
	const principal = ctx.principal();
	const account = ctx.world.instagramAccounts.get(igUserId);
	if (!account) return unknownObject(ctx, igUserId, method);
	const record = principal.tokenRecord;
	if (record.type === 'INSTAGRAM') {
		if (record.instagramAccountId !== igUserId) unknownObject(ctx, igUserId, method);
		return account;
	}
	if (record.type === 'PAGE') {
		if (principal.page?.instagramAccountId !== igUserId) unknownObject(ctx, igUserId, method);
		return account;
	}
	const page = account.linkedPageId ? ctx.world.pages.get(account.linkedPageId) : undefined;
	const userId = principal.user?.id ?? record.userId;
	let tasks = page && userId ? page.tasks[userId] : undefined;
	if (!tasks && record.type === 'SYSTEM_USER' && userId && page) {
		const viaBusiness = [...ctx.world.businesses.values()].some(
			(business) =>
				business.userIds.includes(userId) &&
				[...(business.ownedPageIds ?? []), ...(business.clientPageIds ?? [])].includes(page.id),
		);
		if (viaBusiness) tasks = ['MANAGE'];
	}
	if (!page || page.instagramAccountId !== igUserId || !tasks?.length)
		unknownObject(ctx, igUserId, method);
	return account;
}

type Area = 'basic' | 'comments' | 'messages' | 'insights';
const SCOPES: Record<Area, [string, string]> = {
	basic: ['instagram_business_basic', 'instagram_basic'],
	comments: ['instagram_business_manage_comments', 'instagram_manage_comments'],
	messages: ['instagram_business_manage_messages', 'instagram_manage_messages'],
	insights: ['instagram_business_manage_insights', 'instagram_manage_insights'],
};

function requireArea(ctx: RouteContext, area: Area, igUserId: string): void {
	const [igLogin, fbLogin] = SCOPES[area];
	ctx.requireScope(isInstagramLogin(ctx) ? igLogin : fbLogin, igUserId, 10);
}

/** Messaging with Facebook Login runs on the Messenger Platform: a Page (or system user) token. */
function requirePageToken(ctx: RouteContext): void {
	const type = ctx.principal().tokenRecord.type;
	if (type === 'USER') fail(ctx, engageState(ctx.world).errors.pageTokenRequired);
}

// ---------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------

/** A post: seeded here or published through the Instagram domain. */
function findPost(world: World, id: string): EngagePost | undefined {
	const state = engageState(world);
	const seeded = state.posts.get(id);
	if (seeded) return seeded;
	const published = (instagramState(world)?.media as Map<string, IgMedia> | undefined)?.get(id);
	if (!published) return undefined;
	const post: EngagePost = {
		id: published.id,
		igUserId: published.igUserId,
		caption: published.caption,
		mediaType: published.mediaType,
		mediaProductType: published.mediaProductType,
		timestamp: published.timestamp,
		likeCount: 0,
		commentsEnabled: true,
		insights: {},
		permalink: published.permalink,
		source: published,
	};
	state.posts.set(post.id, post);
	return post;
}

function ownPost(ctx: RouteContext, id: string, method: string): EngagePost {
	const post = findPost(ctx.world, id);
	if (!post) return unknownObject(ctx, id, method);
	accountFor(ctx, post.igUserId, method);
	return post;
}

function liveComment(ctx: RouteContext, id: string, method: string): EngageComment {
	const comment = engageState(ctx.world).comments.get(id);
	if (!comment || comment.deleted) return unknownObject(ctx, id, method);
	return comment;
}

function text(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	return typeof value === 'string'
		? value
		: typeof value === 'number'
			? String(value)
			: JSON.stringify(value);
}

function checkCommentText(ctx: RouteContext, message: string | undefined): string {
	if (message === undefined || message.trim() === '') {
		fail(ctx, { code: 100, message: '(#100) The parameter message is required' });
	}
	if (message.length > engageState(ctx.world).settings.commentMaxLength) {
		fail(ctx, { code: 100, message: '(#100) Param message must be at most 2200 characters long.' });
	}
	return message;
}

function iso(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function record(ctx: RouteContext, entry: Omit<SentRecord, 'at'>): void {
	engageState(ctx.world).sent.push({ ...entry, at: ctx.now() });
}

// ---------------------------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------------------------

function listComments(ctx: RouteContext): unknown {
	const post = ownPost(ctx, ctx.match.mediaId, 'get');
	requireArea(ctx, 'basic', post.igUserId);
	requireArea(ctx, 'comments', post.igUserId);
	// At most 50 per page; top-level comments only, newest first.
	const limit = Number(ctx.req.params.limit ?? 25);
	if (Number.isFinite(limit) && limit > 50) ctx.req.params.limit = '50';
	const items = [...engageState(ctx.world).comments.values()]
		.filter((c) => c.mediaId === post.id && !c.parentId && !c.deleted)
		.sort((a, b) => b.timestamp - a.timestamp || Number(b.id) - Number(a.id))
		.map((c) => ctx.ref('IGComment', c));
	return ctx.edge('IGComment', items);
}

function commentOnPost(ctx: RouteContext): unknown {
	const post = ownPost(ctx, ctx.match.mediaId, 'post');
	requireArea(ctx, 'comments', post.igUserId);
	const message = checkCommentText(ctx, text(ctx.req.params.message));
	if (!post.commentsEnabled)
		fail(ctx, { code: 100, message: '(#100) Comments are disabled for this media' });
	const account = ctx.world.instagramAccounts.get(post.igUserId)!;
	const comment = addComment(ctx.world, {
		mediaId: post.id,
		text: message,
		fromId: account.id,
		username: account.username,
	});
	record(ctx, {
		kind: 'reply',
		igUserId: post.igUserId,
		mediaId: post.id,
		commentId: comment.id,
		body: { message },
	});
	return { id: comment.id };
}

function replyToComment(ctx: RouteContext): unknown {
	const parent = liveComment(ctx, ctx.match.commentId, 'post');
	const post = ownPost(ctx, parent.mediaId, 'post');
	requireArea(ctx, 'comments', post.igUserId);
	const message = checkCommentText(ctx, text(ctx.req.params.message));
	if (!post.commentsEnabled)
		fail(ctx, { code: 100, message: '(#100) Comments are disabled for this media' });
	const account = ctx.world.instagramAccounts.get(post.igUserId)!;
	const reply = addComment(ctx.world, {
		mediaId: post.id,
		text: message,
		fromId: account.id,
		username: account.username,
		parentId: parent.parentId ?? parent.id,
	});
	record(ctx, {
		kind: 'reply',
		igUserId: post.igUserId,
		mediaId: post.id,
		commentId: parent.id,
		body: { message, replyId: reply.id },
	});
	return { id: reply.id };
}

function listReplies(ctx: RouteContext): unknown {
	const parent = liveComment(ctx, ctx.match.commentId, 'get');
	const post = ownPost(ctx, parent.mediaId, 'get');
	requireArea(ctx, 'comments', post.igUserId);
	return ctx.edge(
		'IGComment',
		repliesOf(ctx.world, parent.id).map((c) => ctx.ref('IGComment', c)),
	);
}

function repliesOf(world: World, commentId: string): EngageComment[] {
	return [...engageState(world).comments.values()]
		.filter((c) => c.parentId === commentId && !c.deleted)
		.sort((a, b) => a.timestamp - b.timestamp || Number(a.id) - Number(b.id));
}

function updateObject(ctx: RouteContext): unknown {
	const id = ctx.match.objectId;
	const state = engageState(ctx.world);
	if (state.comments.has(id)) {
		const comment = liveComment(ctx, id, 'post');
		const post = ownPost(ctx, comment.mediaId, 'post');
		requireArea(ctx, 'comments', post.igUserId);
		const hide = text(ctx.req.params.hide);
		if (hide !== 'true' && hide !== 'false')
			fail(ctx, { code: 100, message: '(#100) The parameter hide is required' });
		comment.hidden = hide === 'true';
		record(ctx, {
			kind: 'hide',
			igUserId: post.igUserId,
			commentId: id,
			body: { hide: comment.hidden },
		});
		return { success: true };
	}
	const post = ownPost(ctx, id, 'post');
	requireArea(ctx, 'comments', post.igUserId);
	const enabled = text(ctx.req.params.comment_enabled);
	if (enabled !== 'true' && enabled !== 'false') {
		fail(ctx, { code: 100, message: '(#100) The parameter comment_enabled is required' });
	}
	post.commentsEnabled = enabled === 'true';
	record(ctx, {
		kind: 'commentEnabled',
		igUserId: post.igUserId,
		mediaId: id,
		body: { commentEnabled: post.commentsEnabled },
	});
	return { success: true };
}

function deleteComment(ctx: RouteContext): unknown {
	const comment = liveComment(ctx, ctx.match.objectId, 'delete');
	const post = ownPost(ctx, comment.mediaId, 'delete');
	requireArea(ctx, 'comments', post.igUserId);
	comment.deleted = true;
	for (const reply of repliesOf(ctx.world, comment.id)) reply.deleted = true;
	record(ctx, { kind: 'delete', igUserId: post.igUserId, commentId: comment.id, body: {} });
	return { success: true };
}

// ---------------------------------------------------------------------------------------------
// Messages and private replies
// ---------------------------------------------------------------------------------------------

function checkMessage(ctx: RouteContext, message: unknown): Record<string, unknown> {
	if (typeof message !== 'object' || message === null || Array.isArray(message)) {
		fail(ctx, { code: 100, message: '(#100) param message must be non-empty.' });
	}
	const body = message as Record<string, unknown>;
	const state = engageState(ctx.world);
	if (body.text !== undefined) {
		if (typeof body.text !== 'string' || body.text.trim() === '') {
			fail(ctx, { code: 100, message: '(#100) param message[text] must be non-empty.' });
		}
		if (Buffer.byteLength(body.text, 'utf8') > state.settings.messageMaxBytes) {
			fail(ctx, {
				code: 100,
				message: '(#100) Length of param message[text] must be less than or equal to 1000',
			});
		}
	} else if (body.attachment === undefined) {
		fail(ctx, {
			code: 100,
			message: '(#100) Must send either message[text] or message[attachment]',
		});
	}
	const quickReplies = body.quick_replies;
	if (quickReplies !== undefined) {
		if (!Array.isArray(quickReplies) || quickReplies.length === 0 || quickReplies.length > 13) {
			fail(ctx, {
				code: 100,
				message: '(#100) param message[quick_replies] must have between 1 and 13 elements',
			});
		}
		for (const reply of quickReplies as Array<Record<string, unknown>>) {
			if (typeof reply.title !== 'string' || reply.title.length === 0 || reply.title.length > 20) {
				fail(ctx, {
					code: 100,
					message: '(#100) param message[quick_replies][title] must be 1 to 20 characters',
				});
			}
		}
	}
	return body;
}

function parseObject(ctx: RouteContext, value: unknown, name: string): Record<string, unknown> {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			fail(ctx, { code: 100, message: `(#100) param ${name} must be a JSON object` });
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		fail(ctx, { code: 100, message: `(#100) The parameter ${name} is required` });
	}
	return parsed as Record<string, unknown>;
}

/** `POST /{ig-id}/messages` (both logins) or `/{page-id}/messages` (Messenger Platform). */
function sendMessage(ctx: RouteContext): unknown {
	const state = engageState(ctx.world);
	const id = ctx.match.senderId;
	const page = ctx.world.pages.get(id);
	const igUserId = page?.instagramAccountId ?? id;
	if (!igUserId) return unknownObject(ctx, id, 'post');
	accountFor(ctx, igUserId, 'post');
	if (!isInstagramLogin(ctx)) requirePageToken(ctx);
	const recipient = parseObject(ctx, ctx.req.params.recipient, 'recipient');
	const message = checkMessage(ctx, parseObject(ctx, ctx.req.params.message, 'message'));
	const now = ctx.now();

	if (recipient.comment_id !== undefined) {
		requireArea(ctx, 'comments', igUserId);
		const commentId = String(recipient.comment_id);
		const comment = state.comments.get(commentId);
		const post = comment ? findPost(ctx.world, comment.mediaId) : undefined;
		if (!comment || comment.deleted || post?.igUserId !== igUserId)
			return unknownObject(ctx, commentId, 'post');
		if (state.privateReplied.has(commentId)) fail(ctx, state.errors.alreadyReplied);
		if (now - comment.timestamp > state.settings.privateReplyWindowMs)
			fail(ctx, state.errors.replyWindow);
		state.privateReplied.add(commentId);
		const messageId = `aWdfZAG1${ctx.world.newId('')}`;
		record(ctx, {
			kind: 'privateReply',
			igUserId,
			commentId,
			recipientId: comment.fromId,
			messageId,
			body: message,
		});
		return { recipient_id: comment.fromId, message_id: messageId };
	}

	requireArea(ctx, 'messages', igUserId);
	const userId = text(recipient.id);
	if (!userId)
		return fail(ctx, { code: 100, message: '(#100) The parameter recipient is required' });
	const last = state.conversations.get(`${igUserId}:${userId}`);
	if (last === undefined)
		return fail(ctx, { code: 100, subcode: 2018001, message: '(#100) No matching user found' });
	const humanAgent =
		ctx.req.params.messaging_type === 'MESSAGE_TAG' && ctx.req.params.tag === 'HUMAN_AGENT';
	if (ctx.req.params.tag !== undefined && !humanAgent) {
		fail(ctx, { code: 100, message: '(#100) Param tag must be one of {HUMAN_AGENT}' });
	}
	const window = humanAgent ? state.settings.humanAgentWindowMs : state.settings.messagingWindowMs;
	if (now - last > window) fail(ctx, state.errors.messagingWindow);
	const messageId = `aWdfZAG1${ctx.world.newId('')}`;
	record(ctx, {
		kind: 'message',
		igUserId,
		recipientId: userId,
		messageId,
		body: { ...message, ...(humanAgent ? { tag: 'HUMAN_AGENT' } : {}) },
	});
	return { recipient_id: userId, message_id: messageId };
}

// ---------------------------------------------------------------------------------------------
// Mentions, account reads and media list
// ---------------------------------------------------------------------------------------------

function readAccount(ctx: RouteContext): unknown {
	const igUserId = ctx.match.igUserId;
	const fields = text(ctx.req.params.fields) ?? '';
	const mention = /^(mentioned_media|mentioned_comment)\.(media_id|comment_id)\(([^)]*)\)/.exec(
		fields.trim(),
	);
	if (!mention) {
		const found = ctx.world.objects.get(igUserId);
		return ctx.ref('IGUser', found?.obj);
	}
	accountFor(ctx, igUserId, 'get');
	if (isInstagramLogin(ctx)) {
		fail(ctx, {
			code: 100,
			message: `(#100) Tried accessing nonexisting field (${mention[1]}) on node type (User)`,
		});
	}
	requireArea(ctx, 'basic', igUserId);
	requireArea(ctx, 'comments', igUserId);
	const state = engageState(ctx.world);
	const targetId = mention[3].trim();
	const known = state.mentions.find(
		(m) =>
			m.igUserId === igUserId &&
			(mention[1] === 'mentioned_media'
				? m.mediaId === targetId && !m.commentId
				: m.commentId === targetId),
	);
	if (!known) return unknownObject(ctx, targetId, 'get');
	if (mention[1] === 'mentioned_media') {
		const post = findPost(ctx.world, targetId)!;
		return {
			mentioned_media: {
				id: post.id,
				caption: post.caption,
				media_type: post.mediaType,
				comments_count: engagementCount(state, post.id),
				like_count: post.likeCount,
				permalink: post.permalink,
				timestamp: iso(post.timestamp),
				username: post.ownerUsername,
			},
			id: igUserId,
		};
	}
	const comment = state.comments.get(targetId)!;
	const post = findPost(ctx.world, comment.mediaId)!;
	if (!post.commentsEnabled)
		fail(ctx, { code: 100, message: '(#100) Comments are disabled for this media' });
	return {
		mentioned_comment: {
			id: comment.id,
			text: comment.text,
			timestamp: iso(comment.timestamp),
			like_count: comment.likeCount,
			username: comment.username,
			media: {
				id: post.id,
				permalink: post.permalink,
				caption: post.caption,
				media_type: post.mediaType,
				username: post.ownerUsername,
			},
		},
		id: igUserId,
	};
}

function replyToMention(ctx: RouteContext): unknown {
	const igUserId = ctx.match.igUserId;
	accountFor(ctx, igUserId, 'post');
	requireArea(ctx, 'comments', igUserId);
	const mediaId = text(ctx.req.params.media_id);
	if (!mediaId)
		return fail(ctx, { code: 100, message: '(#100) The parameter media_id is required' });
	const commentId = text(ctx.req.params.comment_id);
	const message = checkCommentText(ctx, text(ctx.req.params.message));
	const state = engageState(ctx.world);
	const known = state.mentions.find(
		(m) =>
			m.igUserId === igUserId &&
			m.mediaId === mediaId &&
			(commentId ? m.commentId === commentId : true),
	);
	if (!known) return unknownObject(ctx, commentId ?? mediaId, 'post');
	const account = ctx.world.instagramAccounts.get(igUserId)!;
	const reply = addComment(ctx.world, {
		mediaId,
		text: message,
		fromId: account.id,
		username: account.username,
		parentId: commentId,
	});
	record(ctx, {
		kind: 'mentionReply',
		igUserId,
		mediaId,
		commentId,
		body: { message, replyId: reply.id },
	});
	return { id: reply.id };
}

function listMedia(ctx: RouteContext): unknown {
	const igUserId = ctx.match.igUserId;
	accountFor(ctx, igUserId, 'get');
	requireArea(ctx, 'basic', igUserId);
	const state = engageState(ctx.world);
	const published = [
		...((instagramState(ctx.world)?.media as Map<string, IgMedia> | undefined)?.values() ?? []),
	];
	for (const media of published) if (media.igUserId === igUserId) findPost(ctx.world, media.id);
	const posts = [...state.posts.values()]
		.filter((post) => post.igUserId === igUserId && post.mediaProductType !== 'STORY')
		.sort((a, b) => b.timestamp - a.timestamp || Number(b.id) - Number(a.id))
		.map((post) => ctx.ref('IGEngageMedia', post));
	return ctx.edge('IGEngageMedia', posts);
}

// ---------------------------------------------------------------------------------------------
// Insights
// ---------------------------------------------------------------------------------------------

/** Metrics removed from every version on 21 Apr 2025 (and `video_views`, deprecated). */
export const REMOVED_METRICS = [
	'impressions',
	'plays',
	'clips_replays_count',
	'ig_reels_aggregated_all_plays_count',
	'video_views',
];

const MEDIA_METRICS: Record<string, Array<'FEED' | 'REELS' | 'STORY'>> = {
	views: ['FEED', 'REELS', 'STORY'],
	reach: ['FEED', 'REELS', 'STORY'],
	likes: ['FEED', 'REELS'],
	comments: ['FEED', 'REELS'],
	saved: ['FEED', 'REELS'],
	shares: ['FEED', 'REELS', 'STORY'],
	total_interactions: ['FEED', 'REELS', 'STORY'],
	reposts: ['FEED', 'REELS', 'STORY'],
	follows: ['FEED', 'STORY'],
	profile_visits: ['FEED', 'STORY'],
	profile_activity: ['FEED', 'STORY'],
	ig_reels_avg_watch_time: ['REELS'],
	ig_reels_video_view_total_time: ['REELS'],
	reels_skip_rate: ['REELS'],
	crossposted_views: ['REELS'],
	navigation: ['STORY'],
	link_clicks: ['STORY'],
	replies: ['STORY'],
};

const ACCOUNT_METRICS = [
	'reach',
	'views',
	'accounts_engaged',
	'replies',
	'reposts',
	'likes',
	'comments',
	'saves',
	'shares',
	'total_interactions',
	'profile_links_taps',
	'follows_and_unfollows',
];

function metricList(ctx: RouteContext, allowed: string[]): string[] {
	const raw = text(ctx.req.params.metric);
	if (!raw) return fail(ctx, { code: 100, message: '(#100) The parameter metric is required' });
	const metrics = raw
		.split(',')
		.map((m) => m.trim())
		.filter(Boolean);
	metrics.forEach((metric, index) => {
		if (!allowed.includes(metric)) {
			fail(ctx, {
				code: 100,
				message: `(#100) metric[${index}] must be one of the following values: ${allowed.join(', ')}`,
			});
		}
	});
	return metrics;
}

function mediaInsights(ctx: RouteContext): unknown {
	const post = ownPost(ctx, ctx.match.mediaId, 'get');
	requireArea(ctx, 'insights', post.igUserId);
	const metrics = metricList(ctx, Object.keys(MEDIA_METRICS));
	for (const metric of metrics) {
		if (!MEDIA_METRICS[metric].includes(post.mediaProductType)) {
			fail(ctx, {
				code: 100,
				message: `(#100) The Media Insights API does not support the ${metric} metric for this media product type.`,
			});
		}
	}
	// Missing data is an empty data set, not 0 (Meta: up to 48 h delay).
	const data = metrics
		.filter((metric) => post.insights[metric] !== undefined)
		.map((metric) => ({
			name: metric,
			period: 'lifetime',
			values: [{ value: post.insights[metric] }],
			title: metric,
			description: `${metric} of the media`,
			id: `${post.id}/insights/${metric}/lifetime`,
		}));
	return { data };
}

function accountInsights(ctx: RouteContext): unknown {
	const igUserId = ctx.match.igUserId;
	accountFor(ctx, igUserId, 'get');
	requireArea(ctx, 'insights', igUserId);
	const metrics = metricList(ctx, ACCOUNT_METRICS);
	if (text(ctx.req.params.period) !== 'day') {
		fail(ctx, {
			code: 100,
			message: '(#100) Param period must be one of {day, lifetime} for these metrics: day',
		});
	}
	if (
		text(ctx.req.params.metric_type) !== 'total_value' &&
		!(metrics.length === 1 && metrics[0] === 'reach')
	) {
		fail(ctx, {
			code: 100,
			message:
				'(#100) The following metrics (...) should be specified with parameter metric_type=total_value',
		});
	}
	const now = Math.floor(ctx.now() / 1000);
	const until = Number(text(ctx.req.params.until) ?? now);
	const since = Number(text(ctx.req.params.since) ?? until - 86400);
	if (!Number.isFinite(since) || !Number.isFinite(until) || since >= until) {
		fail(ctx, { code: 100, message: '(#100) Param since must be before until' });
	}
	if (until - since > 30 * 86400) {
		fail(ctx, {
			code: 100,
			message: '(#100) There cannot be more than 30 days (2592000 s) between since and until',
		});
	}
	const days = Math.max(1, Math.round((until - since) / 86400));
	const perDay = engageState(ctx.world).accountInsights[igUserId] ?? {};
	const data = metrics
		.filter((metric) => perDay[metric] !== undefined)
		.map((metric) => ({
			name: metric,
			period: 'day',
			title: metric,
			description: `${metric} of the account`,
			total_value: { value: perDay[metric] * days },
			id: `${igUserId}/insights/${metric}/day`,
		}));
	return { data };
}

// ---------------------------------------------------------------------------------------------
// Node types and module
// ---------------------------------------------------------------------------------------------

const igCommentType: GraphNodeType<EngageComment> = {
	kind: 'IGComment',
	defaultFields: ['id', 'text', 'timestamp'],
	authorize: (comment, ctx) => {
		const post = findPost(ctx.world, comment.mediaId);
		if (!post) unknownObject(ctx, comment.id, 'get');
		accountFor(ctx, post.igUserId, 'get');
	},
	fields: {
		id: (c) => c.id,
		text: (c) => c.text,
		timestamp: (c) => iso(c.timestamp),
		username: (c) => c.username,
		from: (c) => ({ id: c.fromId, username: c.username }),
		like_count: (c) => c.likeCount,
		hidden: (c) => c.hidden,
		parent_id: (c) => c.parentId,
		media: (c, ctx) => ({
			id: c.mediaId,
			media_product_type: findPost(ctx.world, c.mediaId)?.mediaProductType,
		}),
		replies: (c, ctx) =>
			ctx.edge(
				'IGComment',
				repliesOf(ctx.world, c.id).map((reply) => ctx.ref('IGComment', reply)),
			),
	},
};

const igEngageMediaType: GraphNodeType<EngagePost> = {
	kind: 'IGEngageMedia',
	defaultFields: ['id'],
	authorize: (post, ctx) => {
		accountFor(ctx, post.igUserId, 'get');
	},
	fields: {
		id: (p) => p.id,
		caption: (p) => p.caption,
		media_type: (p) => p.mediaType,
		media_product_type: (p) => p.mediaProductType,
		permalink: (p) => p.permalink,
		timestamp: (p) => iso(p.timestamp),
		like_count: (p) => p.likeCount,
		comments_count: (p, ctx) => engagementCount(engageState(ctx.world), p.id),
		username: (p, ctx) => ctx.world.instagramAccounts.get(p.igUserId)?.username ?? p.ownerUsername,
		// The fields of Instagram's IGMedia, so this list answers like the generic media edge.
		shortcode: (p) => p.source?.shortcode ?? p.permalink.split('/').filter(Boolean).pop(),
		media_url: (p) => p.source?.mediaUrl,
		alt_text: (p) => p.source?.altText,
		is_shared_to_feed: (p) => p.source?.isSharedToFeed,
		owner: (p) => ({ id: p.igUserId }),
		children: (p, ctx) =>
			(p.source?.children ?? [])
				.map((id) => ctx.world.objects.get(id)?.obj)
				.filter((child) => child !== undefined)
				.map((child) => ctx.ref('IGMedia', child)),
	},
};

// ---------------------------------------------------------------------------------------------
// Webhooks: a user comments, mentions the account or writes to it -> the signed webhook
// ---------------------------------------------------------------------------------------------

/** Fields Instagram Login's account subscription accepts. */
const ACCOUNT_SUBSCRIPTION_FIELDS = new Set([
	'comments',
	'live_comments',
	'mentions',
	'messages',
	'message_reactions',
	'messaging_optins',
	'messaging_postbacks',
	'messaging_referral',
	'messaging_seen',
	'message_edit',
	'story_insights',
]);

/**
 * Instagram Login: `POST /{ig-user-id}/subscribed_apps?subscribed_fields=...` with the account's
 * own token turns on the app's Instagram webhooks for this account (the callback URL itself is the
 * app's `instagram` subscription, set in the App Dashboard or `POST /{app-id}/subscriptions`).
 * https://developers.facebook.com/docs/instagram-platform/webhooks#enable-subscriptions
 */
async function subscribeAccount(ctx: RouteContext): Promise<unknown> {
	const igUserId = ctx.match.igUserId;
	if (!isInstagramLogin(ctx)) {
		return fail(ctx, {
			code: 100,
			type: 'OAuthException',
			message: '(#100) Tried accessing nonexisting field (subscribed_apps) on node type (IGUser)',
		});
	}
	accountFor(ctx, igUserId, 'post');
	const fields = String(ctx.req.params.subscribed_fields ?? '')
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
	if (fields.length === 0) {
		return fail(ctx, { code: 100, message: '(#100) The parameter subscribed_fields is required.' });
	}
	const unknown = fields.find((field) => !ACCOUNT_SUBSCRIPTION_FIELDS.has(field));
	if (unknown) {
		return fail(ctx, {
			code: 100,
			message: `(#100) Param subscribed_fields must be one of {${[...ACCOUNT_SUBSCRIPTION_FIELDS].join(', ')}} - got "${unknown}".`,
		});
	}
	if (fields.includes('comments')) requireArea(ctx, 'comments', igUserId);
	if (fields.includes('messages')) requireArea(ctx, 'messages', igUserId);
	accountSubscriptions(ctx.world, igUserId).set(ctx.principal().app.id, fields);
	return { body: { success: true } };
}

async function readAccountSubscriptions(ctx: RouteContext): Promise<unknown> {
	if (!isInstagramLogin(ctx)) return unknownObject(ctx, ctx.match.igUserId, 'get');
	accountFor(ctx, ctx.match.igUserId, 'get');
	const data = [...accountSubscriptions(ctx.world, ctx.match.igUserId)].map(([appId, fields]) => ({
		id: appId,
		name: ctx.world.apps.get(appId)?.name ?? appId,
		subscribed_fields: fields,
	}));
	return { body: { data } };
}

async function unsubscribeAccount(ctx: RouteContext): Promise<unknown> {
	if (!isInstagramLogin(ctx)) return unknownObject(ctx, ctx.match.igUserId, 'delete');
	accountFor(ctx, ctx.match.igUserId, 'delete');
	accountSubscriptions(ctx.world, ctx.match.igUserId).delete(ctx.principal().app.id);
	return { body: { success: true } };
}

/** appId -> fields an Instagram Login account subscribed the app to. */
function accountSubscriptions(world: World, igUserId: string): Map<string, string[]> {
	const all = engageState(world).accountSubscriptions;
	let subscriptions = all.get(igUserId);
	if (!subscriptions) {
		subscriptions = new Map();
		all.set(igUserId, subscriptions);
	}
	return subscriptions;
}

/**
 * The apps that receive an account's `field` events: with Instagram Login, each app the account
 * subscribed to that field; with Facebook Login (an account linked to a Page), every app, through
 * its `instagram` object subscription (the hub drops the event for an app that has none). An app
 * the account subscribed through Instagram Login gets the field only when it chose it.
 */
export function instagramWebhookApps(world: World, igUserId: string, field: string): string[] {
	const subscribed = engageState(world).accountSubscriptions.get(igUserId) ?? new Map();
	const linked = Boolean(world.instagramAccounts.get(igUserId)?.linkedPageId);
	return [...world.apps.keys()].filter((appId) => {
		const fields = subscribed.get(appId);
		return fields ? fields.includes(field) : linked;
	});
}

async function emitInstagram(
	world: World,
	igUserId: string,
	field: string,
	parts: { changes?: WebhookChange[]; messaging?: Array<Record<string, unknown>> },
	options?: DeliverOptions,
): Promise<EmitOutcome> {
	const envelope = instagramEnvelope(igUserId, parts, Math.floor(world.now() / 1000));
	const events = (parts.changes?.length ?? 0) + (parts.messaging?.length ?? 0);
	// The router filters `changes` by the app subscription's fields; `messaging` events belong to
	// the `messages` field (and its siblings), so the same check is made here for every event.
	const apps = instagramWebhookApps(world, igUserId, field);
	const receiving = apps.filter((appId) => {
		const fields = world.webhooks.router(appId).appSubscription(appId, 'instagram')?.fields ?? [];
		return fields.length === 0 || fields.includes(field);
	});
	const outcome = await world.webhooks.emitToApps(receiving, envelope, options);
	return {
		...outcome,
		undelivered: outcome.undelivered + (apps.length - receiving.length) * events,
	};
}

/** The account a post belongs to (a post of another account is refused: tests name real posts). */
function postOwner(world: World, mediaId: string): string {
	const post = findPost(world, mediaId);
	if (!post || !world.instagramAccounts.has(post.igUserId)) {
		throw new Error(`Unknown post ${mediaId} (not one of the scenario's accounts' posts)`);
	}
	return post.igUserId;
}

/**
 * A user comments on one of the account's posts: the comment exists (the Graph API lists it, a
 * private reply can answer it) and the signed `comments` webhook goes out at once. A comment by
 * the account itself carries `self_ig_scoped_id`, as Meta marks it.
 */
export async function receiveComment(
	world: World,
	input: {
		mediaId: string;
		text: string;
		fromId: string;
		username: string;
		id?: string;
		parentId?: string;
		ageMs?: number;
	},
	options?: DeliverOptions,
): Promise<EmitOutcome & { comment: EngageComment }> {
	const igUserId = postOwner(world, input.mediaId);
	const comment = addComment(world, input);
	const outcome = await emitInstagram(
		world,
		igUserId,
		'comments',
		{
			changes: [
				instagramCommentChange({
					id: comment.id,
					text: comment.text,
					fromId: comment.fromId,
					username: comment.username,
					mediaId: comment.mediaId,
					parentId: comment.parentId,
					self: comment.fromId === igUserId,
				}),
			],
		},
		options,
	);
	return { ...outcome, comment };
}

/**
 * Someone @mentions the account in a post caption or a comment: the mention is readable through
 * `mentioned_media` / `mentioned_comment`, and the `mentions` webhook goes out.
 */
export async function receiveMention(
	world: World,
	input: { igUserId: string; mediaId: string; commentId?: string },
	options?: DeliverOptions,
): Promise<EmitOutcome> {
	if (!world.instagramAccounts.has(input.igUserId)) {
		throw new Error(`Unknown Instagram account ${input.igUserId} (not in the scenario)`);
	}
	engageState(world).mentions.push({ ...input });
	return await emitInstagram(
		world,
		input.igUserId,
		'mentions',
		{ changes: [instagramMentionChange(input.mediaId, input.commentId)] },
		options,
	);
}

/**
 * A user writes to the account: the 24-hour messaging window opens and the `messages` webhook
 * (a `messaging[]` event, times in milliseconds) goes out.
 */
export async function receiveMessage(
	world: World,
	input: { igUserId: string; userId: string; text: string; mid?: string },
	options?: DeliverOptions,
): Promise<EmitOutcome & { messageId: string }> {
	if (!world.instagramAccounts.has(input.igUserId)) {
		throw new Error(`Unknown Instagram account ${input.igUserId} (not in the scenario)`);
	}
	userMessaged(world, input.igUserId, input.userId);
	const messageId = input.mid ?? `aWdfZAG1${world.newId('')}`;
	const outcome = await emitInstagram(
		world,
		input.igUserId,
		'messages',
		{
			messaging: [
				instagramMessaging(
					input.igUserId,
					input.userId,
					{ message: { mid: messageId, text: input.text } },
					world.now(),
				),
			],
		},
		options,
	);
	return { ...outcome, messageId };
}

const isPost = (key: string) => (match: Record<string, string>, world: World) =>
	findPost(world, match[key]) !== undefined;
const isComment = (key: string) => (match: Record<string, string>, world: World) =>
	engageState(world).comments.has(match[key]);
const isAccount = (match: Record<string, string>, world: World) =>
	world.instagramAccounts.has(match.igUserId);
const isMessagingId = (match: Record<string, string>, world: World) =>
	world.instagramAccounts.has(match.senderId) ||
	Boolean(world.pages.get(match.senderId)?.instagramAccountId);

interface ScenarioEngage {
	posts?: Array<Partial<EngagePost> & { id: string; igUserId: string; postedAgo?: number }>;
	comments?: Array<{
		id: string;
		mediaId: string;
		text: string;
		fromId: string;
		username: string;
		postedAgo?: number;
		likeCount?: number;
		hidden?: boolean;
		parentId?: string;
	}>;
	conversations?: Array<{ igUserId: string; userId: string; lastMessageAgo: number }>;
	mentions?: Array<{ igUserId: string; mediaId: string; commentId?: string }>;
	accountInsights?: Record<string, Record<string, number>>;
}

export const instagramEngageDomain: DomainModule = {
	name: 'instagramEngage',
	nodeTypes: [igCommentType, igEngageMediaType],
	routes: [
		{
			method: 'GET',
			pattern: '/:mediaId/comments',
			handler: listComments,
			accepts: isPost('mediaId'),
		},
		{
			method: 'POST',
			pattern: '/:mediaId/comments',
			handler: commentOnPost,
			accepts: isPost('mediaId'),
		},
		{
			method: 'GET',
			pattern: '/:commentId/replies',
			handler: listReplies,
			accepts: isComment('commentId'),
		},
		{
			method: 'POST',
			pattern: '/:commentId/replies',
			handler: replyToComment,
			accepts: isComment('commentId'),
		},
		{
			method: 'POST',
			pattern: '/:objectId',
			handler: updateObject,
			accepts: (m, w) => isComment('objectId')(m, w) || isPost('objectId')(m, w),
		},
		{
			method: 'DELETE',
			pattern: '/:objectId',
			handler: deleteComment,
			accepts: isComment('objectId'),
		},
		{
			method: 'POST',
			pattern: '/:senderId/messages',
			handler: sendMessage,
			accepts: isMessagingId,
		},
		{ method: 'GET', pattern: '/:igUserId', handler: readAccount, accepts: isAccount },
		{
			method: 'POST',
			pattern: '/:igUserId/subscribed_apps',
			handler: subscribeAccount,
			accepts: isAccount,
		},
		{
			method: 'GET',
			pattern: '/:igUserId/subscribed_apps',
			handler: readAccountSubscriptions,
			accepts: isAccount,
		},
		{
			method: 'DELETE',
			pattern: '/:igUserId/subscribed_apps',
			handler: unsubscribeAccount,
			accepts: isAccount,
		},
		{ method: 'POST', pattern: '/:igUserId/mentions', handler: replyToMention, accepts: isAccount },
		{ method: 'GET', pattern: '/:igUserId/media', handler: listMedia, accepts: isAccount },
		{ method: 'GET', pattern: '/:igUserId/insights', handler: accountInsights, accepts: isAccount },
		{
			method: 'GET',
			pattern: '/:mediaId/insights',
			handler: mediaInsights,
			accepts: isPost('mediaId'),
		},
	],
	init(world: World) {
		const seed = ((world.scenario as { instagramEngage?: ScenarioEngage }).instagramEngage ??
			{}) as ScenarioEngage;
		const start = world.startedAt * 1000;
		const state: EngageState = {
			posts: new Map(),
			comments: new Map(),
			conversations: new Map(),
			mentions: [...(seed.mentions ?? [])],
			accountInsights: { ...(seed.accountInsights ?? {}) },
			privateReplied: new Set(),
			accountSubscriptions: new Map(),
			sent: [],
			settings: {
				privateReplyWindowMs: 7 * DAY_MS,
				messagingWindowMs: DAY_MS,
				humanAgentWindowMs: 7 * DAY_MS,
				commentMaxLength: 2200,
				messageMaxBytes: 1000,
			},
			errors: {
				alreadyReplied: { code: 10900, message: '(#10900) Activity already replied to' },
				replyWindow: {
					code: 10,
					subcode: 2018278,
					message: '(#10) This message is sent outside of allowed window.',
				},
				messagingWindow: {
					code: 10,
					subcode: 2018278,
					message: '(#10) This message is sent outside of allowed window.',
				},
				pageTokenRequired: {
					code: 210,
					message: '(#210) A page access token is required to request this resource.',
				},
			},
		};
		world.state.instagramEngage = state;
		for (const post of seed.posts ?? []) {
			const record: EngagePost = {
				id: post.id,
				igUserId: post.igUserId,
				caption: post.caption,
				mediaType: post.mediaType ?? 'IMAGE',
				mediaProductType: post.mediaProductType ?? 'FEED',
				timestamp: start - (post.postedAgo ?? 3600) * 1000,
				likeCount: post.likeCount ?? 0,
				commentsEnabled: post.commentsEnabled ?? true,
				insights: { ...(post.insights ?? {}) },
				ownerUsername: post.ownerUsername,
				permalink: post.permalink ?? `https://www.instagram.com/p/${post.id.slice(-8)}/`,
			};
			state.posts.set(record.id, record);
			if (world.instagramAccounts.has(record.igUserId)) {
				world.objects.set(record.id, { kind: 'IGEngageMedia', obj: record });
			}
		}
		for (const comment of seed.comments ?? []) {
			const record: EngageComment = {
				id: comment.id,
				mediaId: comment.mediaId,
				text: comment.text,
				fromId: comment.fromId,
				username: comment.username,
				timestamp: start - (comment.postedAgo ?? 60) * 1000,
				likeCount: comment.likeCount ?? 0,
				hidden: comment.hidden ?? false,
				parentId: comment.parentId,
			};
			state.comments.set(record.id, record);
			world.objects.set(record.id, { kind: 'IGComment', obj: record });
		}
		for (const conversation of seed.conversations ?? []) {
			state.conversations.set(
				`${conversation.igUserId}:${conversation.userId}`,
				start - conversation.lastMessageAgo * 1000,
			);
		}
	},
};
