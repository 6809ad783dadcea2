import type { INodeProperties } from 'n8n-workflow';

import { instagramAccountLocator } from '../../shared/descriptions/instagramAccount';
import { pageLocator } from '../../shared/descriptions/page';
import { phoneNumberLocator } from '../../shared/descriptions/phoneNumber';
import { whatsAppBusinessAccountLocator } from '../../shared/descriptions/whatsAppBusinessAccount';

/**
 * Optional targets. The shared locators (same parameter names as the other nodes, so a value
 * survives switching operation) made optional: empty means "everything the token reaches".
 */
export const instagramAccountTarget: INodeProperties = {
	...instagramAccountLocator,
	required: false,
	description:
		'The Instagram account a workflow will publish to. Leave empty to check every account the token reaches.',
};

export const pageTarget: INodeProperties = {
	...pageLocator,
	required: false,
	description:
		'The Facebook Page linked to the Instagram account. Leave empty to check every Page the token reaches.',
};

export const whatsAppBusinessAccountTarget: INodeProperties = {
	...whatsAppBusinessAccountLocator,
	required: false,
	description:
		'The WhatsApp Business Account a workflow will send from. Leave empty to check every account the token reaches.',
};

export const phoneNumberTarget: INodeProperties = {
	...phoneNumberLocator,
	displayName: 'Phone Number',
	required: false,
	description:
		'The business phone number a workflow will send from. Leave empty to check every number of the checked accounts.',
};
