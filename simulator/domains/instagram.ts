/**
 * Instagram content publishing, as Meta does it (reference A, D.4, F.4/F.5): containers with a
 * state machine, media fetched from URLs (real HTTP through `ctx.fetchMedia`), resumable upload
 * (rupload), publishing with a 24 h sliding quota, published media, and the account reads.
 *
 * Fixture URL flags the simulator honours (besides the fixture server's own width/height/...):
 *   ?processing=error      the container goes to ERROR once processing ends (2207082 in `status`)
 *   ?processing_ms=5000    this container's processing time (overrides the settings)
 *
 * Decisions where the reference is silent (kept simple, documented here):
 * - Image URLs are fetched and checked synchronously (errors on POST /media); video problems
 *   (format, duration, unreachable) surface as container status ERROR with the subcode in `status`,
 *   as Meta processes videos asynchronously.
 * - A carousel parent needs FINISHED children (9007/2207027 otherwise).
 * - Publishing an ERROR container answers -1/2207032; a PUBLISHED one 9007/2207027.
 * - More than 400 containers per account in 24 h answers 9/2207042.
 */
import type {
	DomainModule,
	FetchedMedia,
	GraphErrorSpec,
	GraphNodeType,
	RouteContext,
	ScenarioInstagramAccount,
	SimResponse,
	World,
} from '../types';

const DAY_MS = 24 * 3600 * 1000;
const MAX_CONTAINERS_PER_DAY = 400;
const IMAGE_MAX_BYTES = 8 * 1024 * 1024;

export type ContainerKind = 'IMAGE' | 'VIDEO' | 'REELS' | 'STORIES' | 'CAROUSEL';
export type ContainerStatusCode = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

export interface IgContainer {
	id: string;
	igUserId: string;
	kind: ContainerKind;
	/** IMAGE or VIDEO payload (STORIES can be either). */
	payload: 'image' | 'video' | 'carousel';
	isCarouselItem: boolean;
	createdAt: number;
	/** When processing ends; undefined while a resumable upload is incomplete. */
	readyAt?: number;
	processingMs: number;
	/** Set when processing fails: the subcode reported in `status`. */
	errorSubcode?: number;
	errorText?: string;
	publishedAt?: number;
	mediaId?: string;
	caption?: string;
	children?: string[];
	params: Record<string, unknown>;
	thumbOffsetMs?: number;
	upload?: { resumable: true; received: Buffer; fileSize?: number; complete: boolean };
	/** Marks a child already used in a published carousel. */
	usedBy?: string;
}

export interface IgMedia {
	id: string;
	igUserId: string;
	containerId: string;
	mediaType: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
	mediaProductType: 'FEED' | 'REELS' | 'STORY';
	caption?: string;
	timestamp: number;
	shortcode: string;
	permalink: string;
	mediaUrl?: string;
	children?: string[];
	altText?: string;
	isSharedToFeed?: boolean;
}

export interface InstagramState {
	containers: Map<string, IgContainer>;
	media: Map<string, IgMedia>;
	/** igUserId -> publish times (ms), for the 24 h sliding quota. */
	publishes: Map<string, number[]>;
	/** igUserId -> container creation times (ms), for the 400/24 h limit. */
	creations: Map<string, number[]>;
}

export function instagramState(world: World): InstagramState {
	return world.state.instagram as InstagramState;
}

/** Media this account published (all types), for tests asserting "no duplicate post". */
export function publishedMedia(world: World, igUserId?: string): IgMedia[] {
	return [...instagramState(world).media.values()].filter(
		(media) => igUserId === undefined || media.igUserId === igUserId,
	);
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

export function containerStatus(container: IgContainer, now: number): ContainerStatusCode {
	if (container.publishedAt !== undefined) return 'PUBLISHED';
	if (now - container.createdAt >= DAY_MS) return 'EXPIRED';
	if (container.readyAt === undefined || now < container.readyAt) return 'IN_PROGRESS';
	if (container.errorSubcode !== undefined) return 'ERROR';
	return 'FINISHED';
}

function statusText(container: IgContainer, code: ContainerStatusCode): string {
	switch (code) {
		case 'FINISHED':
			return 'Finished: Media has been uploaded and it is ready to be published.';
		case 'PUBLISHED':
			return 'Published: Media has been published.';
		case 'EXPIRED':
			return 'Expired: The media container was not published within 24 hours.';
		case 'ERROR':
			return `Error: ${container.errorText ?? 'Media processing failed'} (error code ${container.errorSubcode})`;
		default:
			return container.upload && !container.upload.complete
				? 'In Progress: Waiting for the media upload to complete.'
				: 'In Progress: Media is being processed.';
	}
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function isInstagramLogin(ctx: RouteContext): boolean {
	try {
		return ctx.principal().tokenRecord.type === 'INSTAGRAM';
	} catch {
		return false;
	}
}

function fail(ctx: RouteContext, spec: GraphErrorSpec): never {
	return ctx.fail({
		type: spec.type ?? (isInstagramLogin(ctx) ? 'IGApiException' : 'OAuthException'),
		...spec,
	});
}

function mediaError(
	ctx: RouteContext,
	code: number,
	subcode: number,
	message: string,
	userMsg: string,
	userTitle = 'Cannot publish media',
): never {
	return fail(ctx, { code, subcode, message, userTitle, userMsg, isTransient: false });
}

function paramString(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return typeof value === 'string' ? value : JSON.stringify(value);
}

function paramBool(value: unknown): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	return String(value).toLowerCase() === 'true';
}

/** Meta accepts JSON arrays or JSON-encoded strings (form/query) for nested values. */
function paramArray(ctx: RouteContext, name: string, value: unknown): unknown[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (trimmed.startsWith('[')) {
			try {
				const parsed = JSON.parse(trimmed);
				if (Array.isArray(parsed)) return parsed;
			} catch {
				// falls through to the error below
			}
			return fail(ctx, { code: 100, message: `(#100) Param ${name} must be a JSON array` });
		}
		return trimmed
			.split(',')
			.map((part) => part.trim())
			.filter(Boolean);
	}
	return fail(ctx, { code: 100, message: `(#100) Param ${name} must be an array` });
}

function countHashtags(caption: string): number {
	return (caption.match(/(^|\s)#[^\s#]+/gu) ?? []).length;
}

function countMentions(caption: string): number {
	return (caption.match(/(^|[^\w@])@[A-Za-z0-9._]+/g) ?? []).length;
}

function newShortcode(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
	let code = 'C';
	for (let i = 0; i < 10; i++) code += alphabet[Math.floor(Math.random() * alphabet.length)];
	return code;
}

function flagsOf(url: string | undefined): { processingError: boolean; processingMs?: number } {
	if (!url) return { processingError: false };
	try {
		const parsed = new URL(url);
		const ms = parsed.searchParams.get('processing_ms');
		return {
			processingError: parsed.searchParams.get('processing') === 'error',
			processingMs: ms !== null && ms !== '' ? Number(ms) : undefined,
		};
	} catch {
		return { processingError: false };
	}
}

/** Minimal MP4/MOV reader for uploaded bytes: the `ftyp` brand and `mvhd` duration. */
export function inspectVideoBytes(data: Buffer): { format?: string; durationSeconds?: number } {
	if (data.length < 12 || data.toString('latin1', 4, 8) !== 'ftyp') return {};
	const brand = data.toString('latin1', 8, 12);
	const format = brand === 'qt  ' ? 'mov' : 'mp4';
	const mvhd = data.indexOf('mvhd', 0, 'latin1');
	if (mvhd < 0 || mvhd + 28 > data.length) return { format };
	const version = data[mvhd + 4];
	let timescale: number;
	let duration: number;
	if (version === 1) {
		timescale = data.readUInt32BE(mvhd + 24);
		duration = Number(data.readBigUInt64BE(mvhd + 28));
	} else {
		timescale = data.readUInt32BE(mvhd + 16);
		duration = data.readUInt32BE(mvhd + 20);
	}
	return { format, durationSeconds: timescale > 0 ? duration / timescale : undefined };
}

// ---------------------------------------------------------------------------------------------
// Access: which callers may publish for an Instagram account
// ---------------------------------------------------------------------------------------------

function resolveAccount(
	ctx: RouteContext,
	igUserId: string,
	method: string,
): ScenarioInstagramAccount {
	const principal = ctx.principal();
	const account = ctx.world.instagramAccounts.get(igUserId);
	const unknown = (): never =>
		fail(ctx, {
			code: 100,
			subcode: 33,
			type: principal.tokenRecord.type === 'INSTAGRAM' ? 'IGApiException' : 'GraphMethodException',
			message: `Unsupported ${method} request. Object with ID '${igUserId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
		});
	if (!account) return unknown();
	const record = principal.tokenRecord;
	if (record.type === 'INSTAGRAM') {
		if (record.instagramAccountId !== igUserId) return unknown();
		return account;
	}
	if (record.type === 'PAGE') {
		if (!principal.page || principal.page.instagramAccountId !== igUserId) return unknown();
		return account;
	}
	if (record.type === 'USER' || record.type === 'SYSTEM_USER') {
		const page = account.linkedPageId ? ctx.world.pages.get(account.linkedPageId) : undefined;
		if (!page || page.instagramAccountId !== igUserId) return unknown();
		const userId = principal.user?.id ?? record.userId;
		let tasks = userId ? page.tasks[userId] : undefined;
		if (!tasks && record.type === 'SYSTEM_USER' && userId) {
			const viaBusiness = [...ctx.world.businesses.values()].some(
				(business) =>
					business.userIds.includes(userId) &&
					[...(business.ownedPageIds ?? []), ...(business.clientPageIds ?? [])].includes(page.id),
			);
			if (viaBusiness) tasks = ['MANAGE'];
		}
		if (!tasks || tasks.length === 0) return unknown();
		return account;
	}
	return unknown();
}

function requirePublishing(ctx: RouteContext, account: ScenarioInstagramAccount): void {
	const principal = ctx.principal();
	if (principal.tokenRecord.type === 'INSTAGRAM') {
		ctx.requireScope('instagram_business_content_publish', account.id, 10);
	} else {
		ctx.requireScope('instagram_content_publish', account.id, 10);
		const page = account.linkedPageId ? ctx.world.pages.get(account.linkedPageId) : undefined;
		const userId = principal.user?.id ?? principal.tokenRecord.userId;
		const tasks = page && userId ? (page.tasks[userId] ?? []) : [];
		if (
			principal.tokenRecord.type === 'USER' &&
			!tasks.includes('MANAGE') &&
			!tasks.includes('CREATE_CONTENT')
		) {
			fail(ctx, {
				code: 10,
				message:
					'(#10) The user must be able to perform the MANAGE or CREATE_CONTENT task on the Facebook Page linked to this Instagram account',
			});
		}
	}
	if (account.accountType === 'PERSONAL') {
		fail(ctx, { code: 10, message: '(#10) The user is not an Instagram Business' });
	}
	if (account.restricted) {
		mediaError(
			ctx,
			25,
			2207050,
			'The Instagram account is restricted.',
			'The Instagram account is restricted, checkpointed or inactive. Open the Instagram app to fix it.',
		);
	}
}

function quotaTotal(ctx: RouteContext, account: ScenarioInstagramAccount): number {
	return account.quotaTotal ?? ctx.world.settings.instagramQuotaTotalDefault;
}

function quotaUsed(ctx: RouteContext, igUserId: string): number {
	const state = instagramState(ctx.world);
	const now = ctx.now();
	const times = (state.publishes.get(igUserId) ?? []).filter((at) => now - at < DAY_MS);
	state.publishes.set(igUserId, times);
	return times.length;
}

// ---------------------------------------------------------------------------------------------
// POST /{ig-user-id}/media
// ---------------------------------------------------------------------------------------------

async function checkImageUrl(
	ctx: RouteContext,
	url: string,
	options: { checkAspect: boolean },
): Promise<FetchedMedia> {
	const fetched = await fetchOrFail(ctx, url);
	if (fetched.format !== 'jpeg') {
		mediaError(
			ctx,
			36001,
			2207005,
			'The image format is not supported.',
			`The image at ${url} is ${fetched.format ?? 'not an image'}; only JPEG images can be published.`,
		);
	}
	if (fetched.bytes > IMAGE_MAX_BYTES) {
		mediaError(
			ctx,
			36000,
			2207004,
			'The image is too large to download.',
			'The image is larger than 8 MB. Please submit a smaller image.',
		);
	}
	if (options.checkAspect && fetched.width && fetched.height) {
		const ratio = fetched.width / fetched.height;
		if (ratio < 0.8 - 1e-9 || ratio > 1.91 + 1e-9) {
			mediaError(
				ctx,
				36003,
				2207009,
				'The aspect ratio is not supported.',
				`The submitted image with aspect ratio ('${ratio.toFixed(2)}') cannot be published. Please submit an image with a valid aspect ratio.`,
			);
		}
	}
	return fetched;
}

async function fetchOrFail(ctx: RouteContext, url: string): Promise<FetchedMedia> {
	let fetched: FetchedMedia | undefined;
	if (/^https?:\/\//i.test(url)) {
		try {
			fetched = await ctx.fetchMedia(url);
		} catch {
			fetched = undefined;
		}
	}
	if (!fetched || !fetched.ok) {
		return fail(ctx, {
			code: 9004,
			subcode: 2207052,
			message: 'Only photo or video can be accepted as media type.',
			userTitle: "Media download has failed. The media URI doesn't meet our requirements.",
			userMsg: `The media could not be fetched from this URI: ${url}. Please check the URI and try again.`,
			isTransient: false,
		});
	}
	return fetched;
}

/** Video checks happen while Meta processes the video: problems set the container to ERROR. */
function videoProblem(
	kind: ContainerKind,
	isCarouselItem: boolean,
	media: { format?: string; durationSeconds?: number },
	thumbOffsetMs: number | undefined,
): { subcode: number; text: string } | undefined {
	if (media.format !== 'mp4' && media.format !== 'mov') {
		return {
			subcode: 2207026,
			text: 'The video format is not supported. Use MOV or MP4 (H.264/HEVC, AAC)',
		};
	}
	const duration = media.durationSeconds;
	if (duration !== undefined) {
		const max = kind === 'STORIES' ? 60 : isCarouselItem ? 60 : 900;
		if (duration < 3 || duration > max) {
			return {
				subcode: 2207026,
				text: `The video is ${duration.toFixed(1)} s long; it must last between 3 and ${max} seconds`,
			};
		}
		if (thumbOffsetMs !== undefined && thumbOffsetMs > duration * 1000) {
			return { subcode: 2207057, text: 'The thumbnail offset is outside the video duration' };
		}
	}
	return undefined;
}

async function createContainer(ctx: RouteContext): Promise<unknown> {
	const igUserId = ctx.match.igUserId;
	const account = resolveAccount(ctx, igUserId, 'post');
	requirePublishing(ctx, account);
	const p = ctx.req.params;
	const state = instagramState(ctx.world);
	const now = ctx.now();

	const creations = (state.creations.get(igUserId) ?? []).filter((at) => now - at < DAY_MS);
	state.creations.set(igUserId, creations);
	if (creations.length >= MAX_CONTAINERS_PER_DAY) {
		mediaError(
			ctx,
			9,
			2207042,
			'Application request limit reached',
			`This account created ${MAX_CONTAINERS_PER_DAY} media containers in the last 24 hours. Please try again later.`,
		);
	}

	const rawType = paramString(p.media_type)?.toUpperCase();
	const isCarouselItem = paramBool(p.is_carousel_item) === true;
	const resumable = paramString(p.upload_type) === 'resumable';
	const imageUrl = paramString(p.image_url);
	const videoUrl = paramString(p.video_url);
	const caption = paramString(p.caption);

	let kind: ContainerKind;
	if (rawType === undefined || rawType === 'IMAGE') kind = 'IMAGE';
	else if (
		rawType === 'VIDEO' ||
		rawType === 'REELS' ||
		rawType === 'STORIES' ||
		rawType === 'CAROUSEL'
	)
		kind = rawType;
	else {
		return mediaError(
			ctx,
			100,
			2207023,
			'The media type is not supported.',
			`The media type ${rawType} is unknown. Use REELS, STORIES or CAROUSEL, or omit it for an image.`,
		);
	}
	if (kind === 'VIDEO' && !isCarouselItem) {
		return mediaError(
			ctx,
			100,
			2207023,
			'The media type VIDEO is not supported for feed posts.',
			'Single videos are published as Reels: use media_type=REELS. VIDEO is only valid for carousel items.',
		);
	}
	if (isCarouselItem && kind !== 'IMAGE' && kind !== 'VIDEO') {
		fail(ctx, { code: 100, message: `(#100) ${kind} media cannot be a carousel item` });
	}

	const payload: IgContainer['payload'] =
		kind === 'CAROUSEL'
			? 'carousel'
			: kind === 'IMAGE'
				? 'image'
				: kind === 'STORIES'
					? imageUrl
						? 'image'
						: 'video'
					: 'video';
	const notSupported = (name: string): never =>
		fail(ctx, { code: 100, message: `(#100) Param ${name} is not supported for this media type` });

	// Which parameter goes with which media (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media).
	if (payload === 'image') {
		if (!imageUrl) fail(ctx, { code: 100, message: '(#100) The parameter image_url is required' });
		if (videoUrl) notSupported('video_url');
		if (resumable) notSupported('upload_type');
	} else if (payload === 'video') {
		if (!videoUrl && !resumable)
			fail(ctx, { code: 100, message: '(#100) The parameter video_url is required' });
		if (imageUrl) notSupported('image_url');
	} else {
		if (imageUrl) notSupported('image_url');
		if (videoUrl) notSupported('video_url');
		if (resumable) notSupported('upload_type');
	}
	if (kind !== 'CAROUSEL' && p.children !== undefined) notSupported('children');
	if (caption !== undefined && (isCarouselItem || kind === 'STORIES')) notSupported('caption');
	if (caption !== undefined) {
		if ([...caption].length > 2200 || countHashtags(caption) > 30) {
			mediaError(
				ctx,
				36004,
				2207010,
				'The caption is too long.',
				'The caption can have at most 2,200 characters and 30 hashtags.',
			);
		}
		if (countMentions(caption) > 20) {
			mediaError(
				ctx,
				100,
				2207040,
				'Too many mentions in the caption.',
				'The caption can mention at most 20 accounts.',
			);
		}
	}

	const altText = paramString(p.alt_text);
	if (altText !== undefined) {
		if (payload !== 'image' || kind === 'STORIES') notSupported('alt_text');
		if ([...altText].length > 1000)
			fail(ctx, { code: 100, message: '(#100) Param alt_text must be at most 1000 characters' });
	}

	const locationId = paramString(p.location_id);
	if (locationId !== undefined) {
		if (isCarouselItem || kind === 'STORIES') notSupported('location_id');
		const page = ctx.world.pages.get(locationId);
		if (!page || !page.hasLocation) {
			fail(ctx, {
				code: 100,
				message: `(#100) INSTAGRAM_PLATFORM_API__INVALID_LOCATION_ID: The location ID ${locationId} is not a Facebook Page with location information`,
			});
		}
	}

	const userTags = paramArray(ctx, 'user_tags', p.user_tags);
	if (userTags !== undefined) {
		if (kind === 'CAROUSEL') notSupported('user_tags');
		if (isCarouselItem && payload === 'video') {
			fail(ctx, { code: 100, message: '(#100) Videos inside a carousel cannot be tagged' });
		}
		for (const tag of userTags) {
			const entry = tag as { username?: unknown; x?: unknown; y?: unknown };
			if (
				typeof entry !== 'object' ||
				entry === null ||
				typeof entry.username !== 'string' ||
				!entry.username
			) {
				fail(ctx, {
					code: 100,
					message: '(#100) Param user_tags[username] must be a non-empty string',
				});
			}
			const hasX = entry.x !== undefined;
			const hasY = entry.y !== undefined;
			if (payload === 'image' && kind !== 'STORIES' && (!hasX || !hasY)) {
				fail(ctx, {
					code: 100,
					message: '(#100) Param user_tags requires x and y coordinates for images',
				});
			}
			for (const axis of ['x', 'y'] as const) {
				const value = entry[axis];
				if (value === undefined) continue;
				const numeric = Number(value);
				if (!Number.isFinite(numeric) || numeric < 0 || numeric > 1) {
					fail(ctx, {
						code: 100,
						message: `(#100) Param user_tags[${axis}] must be a number between 0.0 and 1.0`,
					});
				}
			}
		}
	}

	const collaborators = paramArray(ctx, 'collaborators', p.collaborators);
	if (collaborators !== undefined) {
		if (kind === 'STORIES' || isCarouselItem) notSupported('collaborators');
		if (collaborators.length > 3)
			fail(ctx, { code: 100, message: '(#100) Param collaborators can have at most 3 usernames' });
	}

	const reelsOnly = ['cover_url', 'share_to_feed', 'audio_name'];
	for (const name of reelsOnly) if (p[name] !== undefined && kind !== 'REELS') notSupported(name);
	let thumbOffsetMs: number | undefined;
	if (p.thumb_offset !== undefined) {
		if (
			kind !== 'REELS' &&
			!(kind === 'VIDEO' && isCarouselItem) &&
			!(kind === 'STORIES' && payload === 'video')
		) {
			notSupported('thumb_offset');
		}
		thumbOffsetMs = Number(p.thumb_offset);
		if (!Number.isFinite(thumbOffsetMs) || thumbOffsetMs < 0) {
			mediaError(
				ctx,
				1,
				2207057,
				'The thumbnail offset is invalid.',
				'The thumbnail offset must be a number of milliseconds inside the video.',
			);
		}
	}
	const coverUrl = paramString(p.cover_url);
	if (coverUrl !== undefined) await checkImageUrl(ctx, coverUrl, { checkAspect: false });

	// Carousel children.
	let children: string[] | undefined;
	if (kind === 'CAROUSEL') {
		children = (paramArray(ctx, 'children', p.children) ?? []).map(String);
		if (children.length < 2 || children.length > 10) {
			mediaError(
				ctx,
				100,
				2207028,
				'The number of carousel items is invalid.',
				`A carousel needs between 2 and 10 items; ${children.length} were given.`,
			);
		}
		for (const childId of children) {
			const child = state.containers.get(childId);
			if (!child || child.igUserId !== igUserId || !child.isCarouselItem) {
				fail(ctx, {
					code: 100,
					message: `(#100) The carousel item ${childId} is not a carousel item container of this account`,
				});
			}
			const childStatus = containerStatus(child, now);
			if (childStatus === 'ERROR' || childStatus === 'EXPIRED') {
				mediaError(
					ctx,
					100,
					2207028,
					'A carousel item cannot be used.',
					`The carousel item ${childId} is ${childStatus}. Create it again.`,
				);
			}
			if (childStatus !== 'FINISHED') {
				mediaError(
					ctx,
					9007,
					2207027,
					'Media ID is not available',
					`The carousel item ${childId} is not ready yet (${childStatus}). Wait until its status is FINISHED.`,
					'Media not ready',
				);
			}
		}
	}

	// Fetch the media as Meta's crawler does.
	const processingSettings = ctx.world.settings;
	// A carousel only assembles already processed items: it is ready at once.
	let processingMs =
		payload === 'video'
			? processingSettings.instagramVideoProcessingMs
			: payload === 'image'
				? processingSettings.instagramImageProcessingMs
				: 0;
	let errorSubcode: number | undefined;
	let errorText: string | undefined;
	const sourceUrl = imageUrl ?? videoUrl;
	const flags = flagsOf(sourceUrl);
	if (flags.processingMs !== undefined && Number.isFinite(flags.processingMs))
		processingMs = flags.processingMs;
	if (payload === 'image' && imageUrl) {
		await checkImageUrl(ctx, imageUrl, { checkAspect: kind !== 'STORIES' });
	} else if (payload === 'video' && videoUrl) {
		let fetched: FetchedMedia | undefined;
		try {
			fetched = /^https?:\/\//i.test(videoUrl) ? await ctx.fetchMedia(videoUrl) : undefined;
		} catch {
			fetched = undefined;
		}
		if (!fetched || !fetched.ok) {
			errorSubcode = 2207052;
			errorText = `The media could not be fetched from this URI: ${videoUrl}`;
		} else {
			const problem = videoProblem(kind, isCarouselItem, fetched, thumbOffsetMs);
			if (problem) {
				errorSubcode = problem.subcode;
				errorText = problem.text;
			}
		}
	}
	if (flags.processingError && errorSubcode === undefined) {
		errorSubcode = 2207082;
		errorText = 'Media upload has failed with error code 2207082';
	}

	const id = ctx.world.newId('179');
	const container: IgContainer = {
		id,
		igUserId,
		kind,
		payload,
		isCarouselItem,
		createdAt: now,
		readyAt: resumable ? undefined : now + processingMs,
		processingMs,
		errorSubcode,
		errorText,
		caption,
		children,
		params: { ...p },
		thumbOffsetMs,
		upload: resumable ? { resumable: true, received: Buffer.alloc(0), complete: false } : undefined,
	};
	delete container.params.access_token;
	delete container.params.appsecret_proof;
	state.containers.set(id, container);
	ctx.world.objects.set(id, { kind: 'IGContainer', obj: container });
	creations.push(now);

	if (resumable) {
		const version = ctx.req.version ?? 'v26.0';
		return { id, uri: `${ctx.baseUrl}/ig-api-upload/${version}/${id}` };
	}
	return { id };
}

// ---------------------------------------------------------------------------------------------
// rupload: POST /ig-api-upload/{version}/{container-id}
// ---------------------------------------------------------------------------------------------

function ruploadError(message: string, status = 400, retriable = false): SimResponse {
	return {
		status,
		body: {
			debug_info: {
				retriable,
				type: 'ProcessingFailedError',
				message: JSON.stringify({ success: false, error: { message } }),
			},
		},
	};
}

function header(ctx: RouteContext, name: string): string | undefined {
	const value = ctx.req.headers[name.toLowerCase()];
	return value === undefined ? undefined : String(value);
}

async function ruploadPost(ctx: RouteContext): Promise<SimResponse> {
	const authorization = header(ctx, 'authorization') ?? '';
	if (!/^OAuth\s+\S+/i.test(authorization) && ctx.req.query.access_token === undefined) {
		return ruploadError('unauthorized user request', 401);
	}
	let container: IgContainer | undefined;
	try {
		ctx.principal();
		container = instagramState(ctx.world).containers.get(ctx.match.containerId);
		if (!container) return ruploadError('invalid upload session: unknown container', 404);
		resolveAccount(ctx, container.igUserId, 'post');
	} catch {
		return ruploadError('unauthorized user request', 401);
	}
	if (!container.upload)
		return ruploadError('This container was not created with upload_type=resumable');
	if (containerStatus(container, ctx.now()) === 'EXPIRED')
		return ruploadError('upload session expired');
	if (container.upload.complete) {
		// A client whose answer was lost sends the same file again: accepted, nothing changes.
		const sameFile =
			header(ctx, 'file_url') !== undefined ||
			Number(header(ctx, 'file_size')) === container.upload.fileSize;
		return sameFile
			? { status: 200, body: { success: true, message: 'Upload successful.' } }
			: ruploadError('the upload is already complete');
	}

	const fileUrl = header(ctx, 'file_url');
	let bytes: Buffer;
	let fileSize: number;
	let offset = Number(header(ctx, 'offset') ?? '0');
	let fetchedInfo: { format?: string; durationSeconds?: number } | undefined;
	if (fileUrl) {
		let fetched: FetchedMedia | undefined;
		try {
			fetched = await ctx.fetchMedia(fileUrl);
		} catch {
			fetched = undefined;
		}
		if (!fetched || !fetched.ok)
			return ruploadError(`failed to download the file from file_url ${fileUrl}`);
		bytes = fetched.data;
		fileSize = bytes.length;
		fetchedInfo = { format: fetched.format, durationSeconds: fetched.durationSeconds };
		offset = 0;
	} else {
		const sizeHeader = header(ctx, 'file_size');
		if (
			sizeHeader === undefined ||
			!Number.isFinite(Number(sizeHeader)) ||
			Number(sizeHeader) <= 0
		) {
			return ruploadError('the file_size header is required');
		}
		fileSize = Number(sizeHeader);
		if (!Number.isFinite(offset) || offset < 0) return ruploadError('invalid offset header');
		bytes = ctx.req.rawBody ?? Buffer.alloc(0);
	}
	const upload = container.upload;
	if (upload.fileSize !== undefined && upload.fileSize !== fileSize) {
		return ruploadError(
			`file_size ${fileSize} does not match the size announced earlier (${upload.fileSize})`,
		);
	}
	if (offset > upload.received.length) {
		return ruploadError(
			`offset ${offset} is beyond the ${upload.received.length} bytes received so far`,
		);
	}
	upload.fileSize = fileSize;
	upload.received = Buffer.concat([upload.received.subarray(0, offset), bytes]).subarray(
		0,
		fileSize,
	);
	if (upload.received.length < fileSize) {
		return {
			status: 200,
			body: { success: true, message: 'Partial upload received.', offset: upload.received.length },
		};
	}
	upload.complete = true;
	const now = ctx.now();
	const inspected = fetchedInfo ?? inspectVideoBytes(upload.received);
	const problem = videoProblem(
		container.kind,
		container.isCarouselItem,
		inspected,
		container.thumbOffsetMs,
	);
	if (problem) {
		container.errorSubcode = problem.subcode;
		container.errorText = problem.text;
	}
	container.readyAt = now + container.processingMs;
	return { status: 200, body: { success: true, message: 'Upload successful.' } };
}

function ruploadGet(ctx: RouteContext): SimResponse {
	try {
		ctx.principal();
	} catch {
		return ruploadError('unauthorized user request', 401);
	}
	const container = instagramState(ctx.world).containers.get(ctx.match.containerId);
	if (!container?.upload) return ruploadError('invalid upload session', 404);
	return {
		status: 200,
		body: {
			offset: container.upload.received.length,
			file_size: container.upload.fileSize ?? null,
		},
	};
}

// ---------------------------------------------------------------------------------------------
// POST /{ig-user-id}/media_publish
// ---------------------------------------------------------------------------------------------

function publish(ctx: RouteContext): unknown {
	const igUserId = ctx.match.igUserId;
	const account = resolveAccount(ctx, igUserId, 'post');
	requirePublishing(ctx, account);
	const creationId = paramString(ctx.req.params.creation_id);
	if (!creationId)
		fail(ctx, { code: 100, message: '(#100) The parameter creation_id is required' });
	const state = instagramState(ctx.world);
	const container = state.containers.get(creationId);
	const now = ctx.now();
	if (!container || container.igUserId !== igUserId) {
		return mediaError(
			ctx,
			24,
			2207006,
			'The media with the provided ID was not found.',
			'The media container was not found. It may belong to another account, or the access token may have expired. Create a new container.',
			'Media not found',
		);
	}
	if (container.isCarouselItem) {
		return fail(ctx, {
			code: 100,
			subcode: 2207089,
			message:
				'(#100) A carousel item cannot be published on its own. Publish the CAROUSEL container that contains it.',
		});
	}
	const status = containerStatus(container, now);
	if (status === 'EXPIRED') {
		return mediaError(
			ctx,
			-2,
			2207020,
			'The media has expired.',
			'The media container expired: it was not published within 24 hours. Create a new container.',
			'Media expired',
		);
	}
	if (status === 'ERROR') {
		return mediaError(
			ctx,
			-1,
			2207032,
			'Failed to create media.',
			`The container failed processing: ${container.errorText ?? 'unknown error'}. Create a new container.`,
		);
	}
	if (status === 'IN_PROGRESS' || status === 'PUBLISHED') {
		return mediaError(
			ctx,
			9007,
			2207027,
			'Media ID is not available',
			status === 'PUBLISHED'
				? 'This media container has already been published.'
				: 'The media is not ready for publishing, please wait for a moment.',
			'Media not ready',
		);
	}
	if (quotaUsed(ctx, igUserId) >= quotaTotal(ctx, account)) {
		return mediaError(
			ctx,
			9,
			2207042,
			'Application request limit reached',
			`You reached the maximum number of posts (${quotaTotal(ctx, account)}) allowed in 24 hours. Please try again later.`,
			'Publishing limit reached',
		);
	}

	const shortcode = newShortcode();
	const productType: IgMedia['mediaProductType'] =
		container.kind === 'STORIES' ? 'STORY' : container.kind === 'REELS' ? 'REELS' : 'FEED';
	const mediaType: IgMedia['mediaType'] =
		container.kind === 'CAROUSEL'
			? 'CAROUSEL_ALBUM'
			: container.payload === 'video'
				? 'VIDEO'
				: 'IMAGE';
	const username = account.username;
	const media: IgMedia = {
		id: ctx.world.newId('180'),
		igUserId,
		containerId: container.id,
		mediaType,
		mediaProductType: productType,
		caption: container.caption,
		timestamp: now,
		shortcode,
		permalink:
			productType === 'STORY'
				? `https://www.instagram.com/stories/${username}/${shortcode}/`
				: productType === 'REELS'
					? `https://www.instagram.com/reel/${shortcode}/`
					: `https://www.instagram.com/p/${shortcode}/`,
		mediaUrl: paramString(container.params.image_url) ?? paramString(container.params.video_url),
		altText: paramString(container.params.alt_text),
		isSharedToFeed:
			container.kind === 'REELS' ? paramBool(container.params.share_to_feed) !== false : undefined,
	};
	if (container.children) {
		media.children = container.children.map((childId) => {
			const child = state.containers.get(childId)!;
			child.usedBy = container.id;
			const childMedia: IgMedia = {
				id: ctx.world.newId('180'),
				igUserId,
				containerId: childId,
				mediaType: child.payload === 'video' ? 'VIDEO' : 'IMAGE',
				mediaProductType: 'FEED',
				timestamp: now,
				shortcode: newShortcode(),
				permalink: media.permalink,
				mediaUrl: paramString(child.params.image_url) ?? paramString(child.params.video_url),
				altText: paramString(child.params.alt_text),
			};
			ctx.world.objects.set(childMedia.id, { kind: 'IGMedia', obj: childMedia });
			return childMedia.id;
		});
	}
	container.publishedAt = now;
	container.mediaId = media.id;
	state.media.set(media.id, media);
	ctx.world.objects.set(media.id, { kind: 'IGMedia', obj: media });
	const publishes = state.publishes.get(igUserId) ?? [];
	publishes.push(now);
	state.publishes.set(igUserId, publishes);
	return { id: media.id };
}

// ---------------------------------------------------------------------------------------------
// GET /{ig-user-id}/content_publishing_limit
// ---------------------------------------------------------------------------------------------

function publishingLimit(ctx: RouteContext): unknown {
	const igUserId = ctx.match.igUserId;
	const account = resolveAccount(ctx, igUserId, 'get');
	const principal = ctx.principal();
	ctx.requireScope(
		principal.tokenRecord.type === 'INSTAGRAM' ? 'instagram_business_basic' : 'instagram_basic',
		igUserId,
		10,
	);
	const since = ctx.req.params.since;
	if (since !== undefined && Number(since) * 1000 < ctx.now() - DAY_MS) {
		fail(ctx, { code: 100, message: '(#100) Param since must be within the last 24 hours' });
	}
	const requested = (paramString(ctx.req.params.fields) ?? 'quota_usage')
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
	const entry: Record<string, unknown> = {};
	for (const field of requested) {
		if (field === 'quota_usage') entry.quota_usage = quotaUsed(ctx, igUserId);
		else if (field === 'config')
			entry.config = { quota_total: quotaTotal(ctx, account), quota_duration: 86400 };
		else
			fail(ctx, {
				code: 100,
				message: `(#100) Tried accessing nonexisting field (${field}) on node type (ContentPublishingLimit)`,
			});
	}
	return { data: [entry] };
}

// ---------------------------------------------------------------------------------------------
// Node types
// ---------------------------------------------------------------------------------------------

function iso(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

const igUserType: GraphNodeType<ScenarioInstagramAccount> = {
	kind: 'IGUser',
	defaultFields: ['id'],
	fields: {
		id: (account) => account.id,
		user_id: (account) => account.id,
		username: (account) => account.username,
		name: (account) => account.name ?? account.username,
		account_type: (account) => account.accountType,
		profile_picture_url: (account) =>
			account.profilePictureUrl ?? `https://scontent.cdninstagram.com/v/${account.id}/profile.jpg`,
		followers_count: (account) => account.followersCount ?? 0,
		media_count: (account, ctx) =>
			publishedMedia(ctx.world, account.id).filter((media) => media.mediaProductType !== 'STORY')
				.length,
		media: (account, ctx) =>
			publishedMedia(ctx.world, account.id)
				.filter((media) => media.mediaProductType !== 'STORY')
				.sort((a, b) => b.timestamp - a.timestamp || Number(b.id) - Number(a.id))
				.map((media) => ctx.ref('IGMedia', media)),
		stories: (account, ctx) =>
			publishedMedia(ctx.world, account.id)
				.filter(
					(media) => media.mediaProductType === 'STORY' && ctx.now() - media.timestamp < DAY_MS,
				)
				.sort((a, b) => b.timestamp - a.timestamp || Number(b.id) - Number(a.id))
				.map((media) => ctx.ref('IGMedia', media)),
	},
};

const igContainerType: GraphNodeType<IgContainer> = {
	kind: 'IGContainer',
	defaultFields: ['id'],
	/** Only callers that may act for the owning account see its containers. */
	authorize: (container, ctx) => {
		resolveAccount(ctx, container.igUserId, 'get');
	},
	fields: {
		id: (container) => container.id,
		status_code: (container, ctx) => containerStatus(container, ctx.now()),
		status: (container, ctx) => statusText(container, containerStatus(container, ctx.now())),
		video_status: (container, ctx) =>
			container.payload === 'video'
				? { status: containerStatus(container, ctx.now()) === 'FINISHED' ? 'ready' : 'processing' }
				: undefined,
		copyright_check_status: (container, ctx) =>
			container.payload === 'video'
				? {
						status:
							containerStatus(container, ctx.now()) === 'IN_PROGRESS' ? 'in_progress' : 'completed',
						matches_found: false,
					}
				: undefined,
	},
};

const igMediaType: GraphNodeType<IgMedia> = {
	kind: 'IGMedia',
	defaultFields: ['id'],
	authorize: (media, ctx) => {
		resolveAccount(ctx, media.igUserId, 'get');
		// Reading media needs the basic permission; publishing alone does not grant it.
		const instagramLogin = ctx.principal().tokenRecord.type === 'INSTAGRAM';
		ctx.requireScope(
			instagramLogin ? 'instagram_business_basic' : 'instagram_basic',
			media.igUserId,
			10,
		);
	},
	fields: {
		id: (media) => media.id,
		media_type: (media) => media.mediaType,
		media_product_type: (media) => media.mediaProductType,
		caption: (media) => media.caption,
		permalink: (media) => media.permalink,
		shortcode: (media) => media.shortcode,
		timestamp: (media) => iso(media.timestamp),
		media_url: (media) => media.mediaUrl,
		alt_text: (media) => media.altText,
		is_shared_to_feed: (media) => media.isSharedToFeed,
		username: (media, ctx) => ctx.world.instagramAccounts.get(media.igUserId)?.username,
		owner: (media) => ({ id: media.igUserId }),
		children: (media, ctx) =>
			(media.children ?? [])
				.map((id) => ctx.world.objects.get(id)?.obj as IgMedia | undefined)
				.filter((child): child is IgMedia => child !== undefined)
				.map((child) => ctx.ref('IGMedia', child)),
	},
};

export const instagramDomain: DomainModule = {
	name: 'instagram',
	nodeTypes: [igUserType, igContainerType, igMediaType],
	routes: [
		{ method: 'POST', pattern: '/:igUserId/media', handler: createContainer },
		{ method: 'POST', pattern: '/:igUserId/media_publish', handler: publish },
		{ method: 'GET', pattern: '/:igUserId/content_publishing_limit', handler: publishingLimit },
		{
			method: 'POST',
			pattern: '/ig-api-upload/:version/:containerId',
			handler: ruploadPost,
			auth: 'none',
		},
		{
			method: 'GET',
			pattern: '/ig-api-upload/:version/:containerId',
			handler: ruploadGet,
			auth: 'none',
		},
	],
	init(world: World) {
		const state: InstagramState = {
			containers: new Map(),
			media: new Map(),
			publishes: new Map(),
			creations: new Map(),
		};
		const seededAt = world.startedAt * 1000;
		for (const account of world.instagramAccounts.values()) {
			if (!world.objects.has(account.id))
				world.objects.set(account.id, { kind: 'IGUser', obj: account });
			if (account.quotaUsed)
				state.publishes.set(account.id, Array(account.quotaUsed).fill(seededAt));
		}
		world.state.instagram = state;
	},
};
