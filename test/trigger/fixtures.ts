/** Shared values of the trigger tests: credentials, node parameters, Meta-shaped ids. */
import type { INodeParameters } from 'n8n-workflow';

import type { BusinessNumber, Sender } from '../../simulator/webhooks';

export const APP_SECRET = 'trigger-app-secret-5f1c';
export const ACCESS_TOKEN = 'EAABtriggertoken123456';
export const VERIFY_TOKEN = 'verify-me-8d2a';
export const WABA_ID = '102290129340398';
export const IG_ACCOUNT_ID = '17841405726653026';
export const NUMBER_A: BusinessNumber = {
	phoneNumberId: '106540352242922',
	displayPhoneNumber: '15550783881',
};
export const NUMBER_B: BusinessNumber = {
	phoneNumberId: '106540352242933',
	displayPhoneNumber: '15550783882',
};
export const CUSTOMER: Sender = {
	phone: '16505551234',
	userId: 'US.13491208655302741918',
	name: 'Sheena Nelson',
};
export const USERNAME_CUSTOMER: Sender = {
	userId: 'US.99991208655302741918',
	parentUserId: 'US.ENT.11815799212886844830',
	name: 'Pablo M.',
	username: 'pablomorales',
};

export function credentials(overrides: Record<string, unknown> = {}) {
	return {
		metaBusinessAccessTokenApi: {
			accessToken: ACCESS_TOKEN,
			appSecret: APP_SECRET,
			baseUrl: 'https://graph.facebook.com',
			...overrides,
		},
	};
}

export const ALL_EVENTS = [
	'whatsappMessages',
	'whatsappStatuses',
	'whatsappTemplateStatus',
	'whatsappTemplateQuality',
	'whatsappPhoneNumberQuality',
	'whatsappPhoneNumberName',
	'whatsappAccountUpdate',
	'instagramComments',
	'instagramMentions',
	'instagramMessages',
];

export function parameters(overrides: INodeParameters = {}): INodeParameters {
	return {
		authentication: 'accessToken',
		events: ['whatsappMessages', 'whatsappStatuses'],
		statuses: ['failed'],
		verifyToken: VERIFY_TOKEN,
		registration: 'none',
		...overrides,
	};
}
