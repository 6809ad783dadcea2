/**
 * The operations the robustness generator drives: for every node and operation, parameters that
 * work (the baseline, checked to reach Meta and succeed), and for the write operations, how to
 * send N distinct items and where Meta records them. Values of the wrong kind are derived from
 * these by test/robustness/generator.ts.
 */
import { join } from 'path';
import type { IDataObject, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import { appSecretProof, loadScenario, startSimulator } from '../../simulator';
import type { RunningSimulator, Scenario } from '../../simulator';
import { publishedMedia } from '../../simulator/domains/instagram';
import { engageState } from '../../simulator/domains/instagramEngage';
import { seededInboundMessageId, whatsappSentMessages } from '../../simulator/domains/whatsapp';
import { binaryItem } from '../helpers/harness';

const NODES = join(__dirname, '..', '..', 'nodes', 'Meta');

/** Node classes by source path: under tsx an extensionless `X.node` import is the codex JSON. */
function loadNode(file: string): INodeType {
	const exports = require(join(NODES, `${file}.node.ts`)) as Record<string, unknown>;
	const found = Object.values(exports).find(
		(value) => typeof value === 'function',
	) as new () => INodeType;
	return new found();
}

export interface Group {
	/** Node display name, as in the tables. */
	node: string;
	nodeType: () => INodeType;
	start(): Promise<RunningSimulator>;
	credentials(sim: RunningSimulator): IDataObject;
	/** After each simulator reset (e.g. the onboarding signup that shares the customer account). */
	afterReset?(sim: RunningSimulator, group: Group): Promise<void>;
}

export interface OperationCase {
	group: Group;
	/** `resource.operation` (or the operation alone when the node has no resource). */
	operation: string;
	/** Valid parameters (called before every run: may fetch a single-use code). */
	parameters(sim: RunningSimulator): Promise<INodeParameters> | INodeParameters;
	items?(sim: RunningSimulator): INodeExecutionData[];
	/** Meta's length limit of a text field (field path -> characters). */
	limits?: Record<string, number>;
}

export interface WriteCase {
	group: Group;
	operation: string;
	/** Parameters that read the item's marker (and recipient) from `$json`. */
	parameters(sim: RunningSimulator): INodeParameters;
	/** Items carrying distinct markers. */
	items(sim: RunningSimulator, count: number): INodeExecutionData[];
	/** At most this many items (when the scenario holds fewer distinct targets). */
	maxItems?: number;
	/** What Meta recorded (each entry is searched for an item's marker). */
	records(sim: RunningSimulator): unknown[];
}

const rl = (value: string, mode = 'id') => ({ __rl: true, mode, value });

// ---------------------------------------------------------------------------------------------
// WhatsApp Send (the demo world plus the fixtures of test/whatsapp)
// ---------------------------------------------------------------------------------------------
const WA_TOKEN = 'EAADemoSystemUser';
const WABA_ID = '102000000000001';
const PHONE_ID = '106000000000001';
const RECENT = '351910000101';
/** Recipients that wrote 1 minute ago (distinct, so no pair-rate limit applies). */
const WA_RECIPIENTS = Array.from({ length: 40 }, (_, n) => `4420792${String(n).padStart(5, '0')}`);

function whatsappScenario(): Scenario {
	const scenario = JSON.parse(JSON.stringify(loadScenario('demo'))) as Scenario;
	scenario.name = 'robustness-whatsapp';
	scenario.settings = {
		...scenario.settings,
		whatsappFailureMode: 'sync',
		webhookStatusOutcome: 'none',
	};
	scenario.contacts = [
		...(scenario.contacts ?? []),
		...WA_RECIPIENTS.map((waId) => ({ waId, lastInboundAgo: 60 })),
	];
	return scenario;
}

const JPEG = Buffer.from(
	'/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
	'base64',
);

export const whatsapp: Group = {
	node: 'WhatsApp Send',
	nodeType: () => loadNode('WhatsApp/WhatsAppSend'),
	start: async () =>
		await startSimulator(whatsappScenario(), { settings: { webhookStatusOutcome: 'none' } }),
	credentials: (sim) => ({
		metaBusinessAccessTokenApi: { accessToken: WA_TOKEN, baseUrl: sim.baseUrl },
	}),
};

/** A media id the simulator holds (uploaded the way Meta's /media endpoint takes files). */
async function uploadedMediaId(sim: RunningSimulator): Promise<string> {
	const form = new FormData();
	form.append('messaging_product', 'whatsapp');
	form.append('type', 'image/jpeg');
	form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'photo.jpg');
	const response = await fetch(`${sim.baseUrl}/v26.0/${PHONE_ID}/media`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${WA_TOKEN}` },
		body: form,
	});
	const { id } = (await response.json()) as { id?: string };
	if (!id) throw new Error('robustness: the simulator did not take the media upload');
	return id;
}

const message = (operation: string, extra: INodeParameters): INodeParameters => ({
	resource: 'message',
	operation,
	phoneNumberId: rl(PHONE_ID),
	to: `+${RECENT}`,
	options: {},
	...extra,
});

const templateParameters = (name: string) => ({
	mappingMode: 'defineBelow',
	value: { body_customer_name: name, body_date: 'May 3', body_time: '10:00' },
	schema: [],
});

export const whatsappOperations: OperationCase[] = [
	{
		group: whatsapp,
		operation: 'message.sendText',
		parameters: () => message('sendText', { text: 'Hello' }),
		limits: { text: 4096, 'options.callbackData': 512 },
	},
	{
		group: whatsapp,
		operation: 'message.sendTemplate',
		parameters: () =>
			message('sendTemplate', {
				wabaId: rl(WABA_ID),
				template: rl('appointment_reminder|en_US', 'list'),
				templateParameters: templateParameters('Ana'),
			}),
	},
	{
		group: whatsapp,
		operation: 'message.sendMedia',
		parameters: (sim) =>
			message('sendMedia', {
				mediaType: 'image',
				mediaSource: 'url',
				mediaUrl: `${sim.fixturesBaseUrl}/fixtures/image.jpg`,
				caption: 'Menu',
			}),
		limits: { caption: 1024 },
	},
	{
		group: whatsapp,
		operation: 'message.sendLocation',
		parameters: () =>
			message('sendLocation', {
				latitude: 38.7223,
				longitude: -9.1393,
				options: { locationName: 'Cafe', address: 'Rua 1' },
			}),
	},
	{
		group: whatsapp,
		operation: 'message.sendContacts',
		parameters: () =>
			message('sendContacts', {
				contactsSource: 'fields',
				contacts: {
					contact: [
						{
							formattedName: 'Jane Doe',
							firstName: 'Jane',
							phone: '+16505551234',
							phoneType: 'WORK',
							email: 'jane@example.com',
						},
					],
				},
			}),
	},
	{
		group: whatsapp,
		operation: 'message.sendInteractive',
		parameters: () =>
			message('sendInteractive', {
				interactiveType: 'button',
				bodyText: 'Confirm your booking?',
				buttons: {
					button: [
						{ id: 'yes', title: 'Yes' },
						{ id: 'no', title: 'No' },
					],
				},
				options: { headerText: 'Booking #42', footerText: 'Cafe Aurora' },
			}),
		limits: { bodyText: 1024 },
	},
	{
		group: whatsapp,
		operation: 'message.sendReaction',
		parameters: () =>
			message('sendReaction', { messageId: seededInboundMessageId(RECENT), emoji: '🎉' }),
	},
	{
		group: whatsapp,
		operation: 'message.markAsRead',
		parameters: () => ({
			resource: 'message',
			operation: 'markAsRead',
			phoneNumberId: rl(PHONE_ID),
			messageId: seededInboundMessageId(RECENT),
			options: {},
		}),
	},
	{
		group: whatsapp,
		operation: 'media.upload',
		parameters: () => ({
			resource: 'media',
			operation: 'upload',
			phoneNumberId: rl(PHONE_ID),
			binaryPropertyName: 'data',
			options: {},
		}),
		items: () => [binaryItem(JPEG, { mimeType: 'image/jpeg', fileName: 'photo.jpg' })],
	},
	{
		group: whatsapp,
		operation: 'media.get',
		parameters: async (sim) => ({
			resource: 'media',
			operation: 'get',
			mediaId: await uploadedMediaId(sim),
		}),
	},
	{
		group: whatsapp,
		operation: 'media.download',
		parameters: async (sim) => ({
			resource: 'media',
			operation: 'download',
			mediaId: await uploadedMediaId(sim),
			binaryPropertyName: 'data',
			options: {},
		}),
	},
	{
		group: whatsapp,
		operation: 'media.delete',
		parameters: async (sim) => ({
			resource: 'media',
			operation: 'delete',
			mediaId: await uploadedMediaId(sim),
		}),
	},
	{
		group: whatsapp,
		operation: 'template.getMany',
		parameters: () => ({
			resource: 'template',
			operation: 'getMany',
			wabaId: rl(WABA_ID),
			returnAll: true,
			filters: {},
		}),
	},
];

const markerItems = (count: number, extra: (n: number) => IDataObject = () => ({})) =>
	Array.from({ length: count }, (_, n) => ({
		json: { marker: `robustness-item-${n}-${Math.random().toString(36).slice(2, 8)}`, ...extra(n) },
	}));

export const whatsappWrites: WriteCase[] = [
	{
		group: whatsapp,
		operation: 'message.sendText',
		parameters: () => ({
			...message('sendText', { text: '={{ $json.marker }}' }),
			to: '={{ $json.to }}',
		}),
		items: (_sim, count) => markerItems(count, (n) => ({ to: `+${WA_RECIPIENTS[n]}` })),
		records: (sim) => whatsappSentMessages(sim.control.world()),
	},
	{
		group: whatsapp,
		operation: 'message.sendTemplate',
		parameters: () => ({
			...message('sendTemplate', {
				wabaId: rl(WABA_ID),
				template: rl('appointment_reminder|en_US', 'list'),
				templateParameters: templateParameters('={{ $json.marker }}'),
			}),
			to: '={{ $json.to }}',
		}),
		items: (_sim, count) => markerItems(count, (n) => ({ to: `+${WA_RECIPIENTS[n]}` })),
		records: (sim) => whatsappSentMessages(sim.control.world()),
	},
	{
		group: whatsapp,
		operation: 'message.sendMedia',
		parameters: (sim) => ({
			...message('sendMedia', {
				mediaType: 'image',
				mediaSource: 'url',
				mediaUrl: `${sim.fixturesBaseUrl}/fixtures/image.jpg`,
				caption: '={{ $json.marker }}',
			}),
			to: '={{ $json.to }}',
		}),
		items: (_sim, count) => markerItems(count, (n) => ({ to: `+${WA_RECIPIENTS[n]}` })),
		records: (sim) => whatsappSentMessages(sim.control.world()),
	},
];

// ---------------------------------------------------------------------------------------------
// Instagram Publish (the demo world)
// ---------------------------------------------------------------------------------------------
const IG_BUSINESS = '17841400000000001';
const IG_USER_TOKEN = 'EAADemoUserLongLived';

export const instagram: Group = {
	node: 'Instagram Publish',
	nodeType: () => loadNode('Instagram/InstagramPublish'),
	start: async () =>
		await startSimulator('demo', {
			settings: { instagramImageProcessingMs: 0, instagramVideoProcessingMs: 300 },
		}),
	credentials: (sim) => ({
		metaBusinessAccessTokenApi: {
			accessToken: IG_USER_TOKEN,
			baseUrl: sim.baseUrl,
			graphApiVersion: 'v26.0',
		},
	}),
};

const image = (sim: RunningSimulator) =>
	`${sim.fixturesBaseUrl}/fixtures/image.jpg?width=1080&height=1350`;
const video = (sim: RunningSimulator) =>
	`${sim.fixturesBaseUrl}/fixtures/video.mp4?width=1080&height=1920&duration=12`;

/** A container ready to publish (created the way the node's Container > Create does). */
async function readyContainer(sim: RunningSimulator): Promise<string> {
	const response = await fetch(`${sim.baseUrl}/v26.0/${IG_BUSINESS}/media`, {
		method: 'POST',
		headers: {
			Authorization: `Bearer ${IG_USER_TOKEN}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams({ image_url: image(sim), caption: 'ready' }),
	});
	const { id } = (await response.json()) as { id?: string };
	if (!id) throw new Error('robustness: the simulator did not create the container');
	return id;
}

const carouselItems = (sim: RunningSimulator) => ({
	items: [
		{ mediaType: 'image', mediaSource: 'url', mediaUrl: image(sim) },
		{ mediaType: 'image', mediaSource: 'url', mediaUrl: image(sim) },
	],
});

export const instagramOperations: OperationCase[] = [
	{
		group: instagram,
		operation: 'post.publishImage',
		parameters: (sim) => ({
			resource: 'post',
			operation: 'publishImage',
			instagramAccountId: rl(IG_BUSINESS),
			mediaSource: 'url',
			mediaUrl: image(sim),
			caption: 'Hi',
			options: {},
		}),
		limits: { caption: 2200 },
	},
	{
		group: instagram,
		operation: 'post.publishCarousel',
		parameters: (sim) => ({
			resource: 'post',
			operation: 'publishCarousel',
			instagramAccountId: rl(IG_BUSINESS),
			carouselInput: 'defined',
			carouselItems: carouselItems(sim),
			caption: 'Album',
			options: {},
		}),
		limits: { caption: 2200 },
	},
	{
		group: instagram,
		operation: 'post.publishReel',
		parameters: (sim) => ({
			resource: 'post',
			operation: 'publishReel',
			instagramAccountId: rl(IG_BUSINESS),
			mediaSource: 'url',
			mediaUrl: video(sim),
			caption: 'Reel',
			options: {},
		}),
		limits: { caption: 2200 },
	},
	{
		group: instagram,
		operation: 'post.publishStory',
		parameters: (sim) => ({
			resource: 'post',
			operation: 'publishStory',
			instagramAccountId: rl(IG_BUSINESS),
			storyMediaType: 'image',
			mediaSource: 'url',
			mediaUrl: image(sim),
			options: {},
		}),
	},
	{
		group: instagram,
		operation: 'container.create',
		parameters: (sim) => ({
			resource: 'container',
			operation: 'create',
			instagramAccountId: rl(IG_BUSINESS),
			containerType: 'image',
			mediaSource: 'url',
			mediaUrl: image(sim),
			caption: 'Hi',
			options: {},
		}),
		limits: { caption: 2200 },
	},
	{
		group: instagram,
		operation: 'container.create (reel)',
		parameters: (sim) => ({
			resource: 'container',
			operation: 'create',
			instagramAccountId: rl(IG_BUSINESS),
			containerType: 'reel',
			mediaSource: 'url',
			mediaUrl: video(sim),
			caption: 'Reel',
			options: { shareToFeed: true, thumbOffset: 100 },
		}),
		limits: { caption: 2200 },
	},
	{
		group: instagram,
		operation: 'container.getStatus',
		parameters: async (sim) => ({
			resource: 'container',
			operation: 'getStatus',
			containerId: await readyContainer(sim),
		}),
	},
	{
		group: instagram,
		operation: 'container.publish',
		parameters: async (sim) => ({
			resource: 'container',
			operation: 'publish',
			instagramAccountId: rl(IG_BUSINESS),
			containerId: await readyContainer(sim),
			options: {},
		}),
	},
	{
		group: instagram,
		operation: 'account.getPublishingLimit',
		parameters: () => ({
			resource: 'account',
			operation: 'getPublishingLimit',
			instagramAccountId: rl(IG_BUSINESS),
		}),
	},
];

const igPublish =
	(operation: string, extra: (sim: RunningSimulator) => INodeParameters) =>
	(sim: RunningSimulator): INodeParameters => ({
		resource: 'post',
		operation,
		instagramAccountId: rl(IG_BUSINESS),
		caption: '={{ $json.marker }}',
		options: {},
		...extra(sim),
	});

export const instagramWrites: WriteCase[] = [
	{
		group: instagram,
		operation: 'post.publishImage',
		parameters: igPublish('publishImage', (sim) => ({ mediaSource: 'url', mediaUrl: image(sim) })),
		items: (_sim, count) => markerItems(count),
		records: (sim) => publishedMedia(sim.control.world()),
	},
	{
		group: instagram,
		operation: 'post.publishCarousel',
		parameters: igPublish('publishCarousel', (sim) => ({
			carouselInput: 'defined',
			carouselItems: carouselItems(sim),
		})),
		items: (_sim, count) => markerItems(count),
		records: (sim) => publishedMedia(sim.control.world()),
	},
	{
		group: instagram,
		operation: 'post.publishReel',
		parameters: igPublish('publishReel', (sim) => ({ mediaSource: 'url', mediaUrl: video(sim) })),
		items: (_sim, count) => markerItems(count),
		records: (sim) => publishedMedia(sim.control.world()),
	},
];

// ---------------------------------------------------------------------------------------------
// Meta Asset Check (the demo world)
// ---------------------------------------------------------------------------------------------
export const assetCheck: Group = {
	node: 'Meta Asset Check',
	nodeType: () => loadNode('AssetCheck/MetaAssetCheck'),
	start: async () => await startSimulator('demo'),
	credentials: (sim) => ({
		metaBusinessAccessTokenApi: {
			accessToken: loadScenario('demo').tokens[0].token,
			baseUrl: sim.baseUrl,
		},
	}),
};

export const assetCheckOperations: OperationCase[] = [
	{
		group: assetCheck,
		operation: 'checkEverything',
		parameters: () => ({ operation: 'checkEverything', options: {} }),
	},
	{
		group: assetCheck,
		operation: 'checkToken',
		parameters: () => ({ operation: 'checkToken', options: {} }),
	},
	{
		group: assetCheck,
		operation: 'checkInstagramPublishing',
		parameters: () => ({
			operation: 'checkInstagramPublishing',
			instagramAccountId: rl(IG_BUSINESS),
			options: {},
		}),
	},
	{
		group: assetCheck,
		operation: 'checkWhatsAppMessaging',
		parameters: () => ({
			operation: 'checkWhatsAppMessaging',
			wabaId: rl(WABA_ID),
			phoneNumberId: rl(PHONE_ID),
			options: {},
		}),
	},
];

// ---------------------------------------------------------------------------------------------
// Instagram Engage (the instagram-engage world)
// ---------------------------------------------------------------------------------------------
const ENGAGE_PAGE_TOKEN = 'EAADemoEngagePage';
const POST_MENU = '17900000000000101';
const MENTION_MEDIA = '17900000000000901';
const MENTION_COMMENT = '17950000000000901';
const COMMENT_MENU = '17950000000000001';
const COMMENT_NICE = '17950000000000002';
const COMMENT_SPAM = '17950000000000004';
const USER_RECENT = '6310000000000001';

export const engage: Group = {
	node: 'Instagram Engage',
	nodeType: () => loadNode('InstagramEngage/InstagramEngage'),
	start: async () => await startSimulator('instagram-engage'),
	credentials: (sim) => ({
		metaBusinessAccessTokenApi: {
			accessToken: ENGAGE_PAGE_TOKEN,
			baseUrl: sim.baseUrl,
			graphApiVersion: 'v26.0',
		},
	}),
};

const comment = (operation: string, extra: INodeParameters) => () => ({
	resource: 'comment',
	operation,
	...extra,
});

export const engageOperations: OperationCase[] = [
	{
		group: engage,
		operation: 'comment.getMany',
		parameters: comment('getMany', {
			postId: POST_MENU,
			includeReplies: true,
			returnAll: true,
			options: {},
		}),
	},
	{
		group: engage,
		operation: 'comment.reply',
		parameters: comment('reply', { commentId: COMMENT_NICE, text: 'Thank you!' }),
		limits: { text: 2200 },
	},
	{
		group: engage,
		operation: 'comment.hide',
		parameters: comment('hide', { commentId: COMMENT_SPAM }),
	},
	{
		group: engage,
		operation: 'comment.unhide',
		parameters: comment('unhide', { commentId: COMMENT_SPAM }),
	},
	{
		group: engage,
		operation: 'comment.delete',
		parameters: comment('delete', { commentId: COMMENT_SPAM }),
	},
	{
		group: engage,
		operation: 'comment.disableComments',
		parameters: comment('disableComments', { postId: POST_MENU }),
	},
	{
		group: engage,
		operation: 'comment.enableComments',
		parameters: comment('enableComments', { postId: POST_MENU }),
	},
	{
		group: engage,
		operation: 'insight.getAccountInsights',
		parameters: () => ({
			resource: 'insight',
			operation: 'getAccountInsights',
			instagramAccountId: rl(IG_BUSINESS),
			metrics: ['reach'],
			range: 'last7Days',
		}),
	},
	{
		group: engage,
		operation: 'insight.getPostInsights',
		parameters: () => ({
			resource: 'insight',
			operation: 'getPostInsights',
			postId: POST_MENU,
			metrics: ['reach'],
		}),
	},
	{
		group: engage,
		operation: 'mention.get',
		parameters: () => ({
			resource: 'mention',
			operation: 'get',
			instagramAccountId: rl(IG_BUSINESS),
			mediaId: MENTION_MEDIA,
			mentionCommentId: MENTION_COMMENT,
		}),
	},
	{
		group: engage,
		operation: 'mention.reply',
		parameters: () => ({
			resource: 'mention',
			operation: 'reply',
			instagramAccountId: rl(IG_BUSINESS),
			mediaId: MENTION_MEDIA,
			mentionCommentId: MENTION_COMMENT,
			text: 'Thanks for the mention',
		}),
	},
	{
		group: engage,
		operation: 'message.send',
		parameters: () => ({
			resource: 'message',
			operation: 'send',
			instagramAccountId: rl(IG_BUSINESS),
			recipientId: USER_RECENT,
			messageType: 'text',
			text: 'Hello!',
			options: {},
		}),
	},
	{
		group: engage,
		operation: 'post.getMany',
		parameters: () => ({
			resource: 'post',
			operation: 'getMany',
			instagramAccountId: rl(IG_BUSINESS),
			returnAll: true,
		}),
	},
	{
		group: engage,
		operation: 'privateReply.send',
		parameters: () => ({
			resource: 'privateReply',
			operation: 'send',
			instagramAccountId: rl(IG_BUSINESS),
			commentId: COMMENT_MENU,
			text: 'Here is our menu',
			options: {},
		}),
	},
];

const engageRecords = (sim: RunningSimulator) => engageState(sim.control.world()).sent;

export const engageWrites: WriteCase[] = [
	{
		group: engage,
		operation: 'comment.reply',
		parameters: comment('reply', { commentId: COMMENT_NICE, text: '={{ $json.marker }}' }),
		items: (_sim, count) => markerItems(count),
		records: engageRecords,
	},
	{
		group: engage,
		operation: 'privateReply.send',
		parameters: () => ({
			resource: 'privateReply',
			operation: 'send',
			instagramAccountId: rl(IG_BUSINESS),
			commentId: '={{ $json.commentId }}',
			text: '={{ $json.marker }}',
			options: {},
		}),
		items: (_sim, count) =>
			markerItems(count, (n) => ({ commentId: [COMMENT_MENU, COMMENT_NICE, COMMENT_SPAM][n] })),
		maxItems: 3,
		records: engageRecords,
	},
	{
		group: engage,
		operation: 'message.send',
		parameters: () => ({
			resource: 'message',
			operation: 'send',
			instagramAccountId: rl(IG_BUSINESS),
			recipientId: USER_RECENT,
			messageType: 'text',
			text: '={{ $json.marker }}',
			options: {},
		}),
		items: (_sim, count) => markerItems(count),
		records: engageRecords,
	},
];

// ---------------------------------------------------------------------------------------------
// WhatsApp Onboarding (the onboarding world; the cafe has shared its account before each run)
// ---------------------------------------------------------------------------------------------
const PARTNER_TOKEN = 'EAAonboardingPartnerSystemUser';
const ONBOARDING_SECRET = 'onb-app-secret-5d1c9a7e3b';
const CAFE = { waba: '980000000000021', phone: '970000000000021', business: '930000000000021' };
const BAKERY = { waba: '980000000000022', phone: '970000000000022' };

async function signupCode(sim: RunningSimulator, signup: string): Promise<string> {
	const response = await fetch(`${sim.baseUrl}/v26.0/dialog/embedded_signup?signup=${signup}`, {
		method: 'POST',
	});
	const { code } = (await response.json()) as { code?: string };
	if (!code) throw new Error(`robustness: no signup code for ${signup}`);
	return code;
}

export const onboarding: Group = {
	node: 'WhatsApp Onboarding',
	nodeType: () => loadNode('WhatsAppOnboarding/WhatsAppOnboarding'),
	start: async () => await startSimulator('onboarding'),
	credentials: (sim) => ({
		metaBusinessAccessTokenApi: {
			accessToken: PARTNER_TOKEN,
			appSecret: ONBOARDING_SECRET,
			baseUrl: sim.baseUrl,
		},
	}),
};

export const onboardingOperations: OperationCase[] = [
	{
		group: onboarding,
		operation: 'completeSignup',
		parameters: async (sim) => ({
			operation: 'completeSignup',
			signupCode: await signupCode(sim, 'bakery'),
			wabaId: BAKERY.waba,
			phoneNumberId: '',
			businessId: '',
			options: {},
		}),
	},
	{
		group: onboarding,
		operation: 'getSharedAccounts',
		parameters: () => ({
			operation: 'getSharedAccounts',
			wabaId: CAFE.waba,
			phoneNumberId: CAFE.phone,
		}),
	},
	{
		group: onboarding,
		operation: 'getOnboardingStatus',
		parameters: () => ({
			operation: 'getOnboardingStatus',
			wabaId: CAFE.waba,
			phoneNumberId: CAFE.phone,
		}),
	},
	{
		group: onboarding,
		operation: 'subscribeApp',
		parameters: () => ({ operation: 'subscribeApp', wabaId: CAFE.waba, options: {} }),
	},
	{
		group: onboarding,
		operation: 'registerPhoneNumber',
		parameters: () => ({
			operation: 'registerPhoneNumber',
			phoneNumberId: CAFE.phone,
			pin: '581063',
			dataLocalizationRegion: '',
			options: {},
		}),
	},
	{
		group: onboarding,
		operation: 'setTwoStepPin',
		parameters: () => ({ operation: 'setTwoStepPin', phoneNumberId: CAFE.phone, pin: '581063' }),
	},
	{
		group: onboarding,
		operation: 'requestCode',
		parameters: () => ({
			operation: 'requestCode',
			phoneNumberId: BAKERY.phone,
			codeMethod: 'SMS',
			language: 'de_DE',
		}),
	},
	{
		group: onboarding,
		operation: 'verifyCode',
		parameters: async (sim) => {
			// A code must have been requested first, as the node's Request Verification Code does.
			const proof = appSecretProof(ONBOARDING_SECRET, PARTNER_TOKEN);
			await fetch(
				`${sim.baseUrl}/v26.0/${BAKERY.phone}/request_code?code_method=SMS&language=de_DE&appsecret_proof=${proof}`,
				{
					method: 'POST',
					headers: { Authorization: `Bearer ${PARTNER_TOKEN}` },
				},
			);
			return { operation: 'verifyCode', phoneNumberId: BAKERY.phone, code: '123-830' };
		},
	},
];

/** Every operation of every node, in table order. */
export const allOperations: OperationCase[] = [
	...whatsappOperations,
	...instagramOperations,
	...assetCheckOperations,
	...engageOperations,
	...onboardingOperations,
];

export const allWrites: WriteCase[] = [...whatsappWrites, ...instagramWrites, ...engageWrites];

export const groups: Group[] = [whatsapp, instagram, assetCheck, engage, onboarding];

/** Onboarding: the cafe and the bakery share their accounts (Complete Signup) after every reset. */
onboarding.afterReset = async (sim, group) => {
	const { executeNode } = await import('../helpers/harness');
	for (const [signup, wabaId] of [
		['cafe', CAFE.waba],
		['bakery', BAKERY.waba],
	]) {
		const { error } = await executeNode({
			node: group.nodeType(),
			parameters: {
				operation: 'completeSignup',
				signupCode: await signupCode(sim, signup),
				wabaId,
				phoneNumberId: '',
				businessId: '',
				options: {},
			},
			credentials: group.credentials(sim) as never,
		});
		if (error) throw error;
	}
};
