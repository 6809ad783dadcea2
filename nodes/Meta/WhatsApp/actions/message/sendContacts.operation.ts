import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FieldRef } from '../../../shared/parameters';
import {
	collectionValue,
	expectList,
	expectObject,
	expectOption,
	expectText,
	readCollection,
	readOption,
} from '../../../shared/parameters';
import type { PreparedMessage } from '../../helpers/sender';
import { messageDescription, messageOptions, parseJsonParameter, startMessage } from './shared';

const PHONE_TYPES = ['CELL', 'HOME', 'IPHONE', 'MAIN', 'WORK'] as const;

const fields: INodeProperties[] = [
	{
		displayName: 'Define Contacts',
		name: 'contactsSource',
		type: 'options',
		default: 'fields',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
	},
	{
		displayName: 'Contacts',
		name: 'contacts',
		type: 'fixedCollection',
		default: {},
		placeholder: 'Add Contact',
		typeOptions: { multipleValues: true },
		displayOptions: { show: { contactsSource: ['fields'] } },
		options: [
			{
				displayName: 'Contact',
				name: 'contact',
				values: [
					{
						displayName: 'Birthday',
						name: 'birthday',
						type: 'string',
						default: '',
						placeholder: 'e.g. 1990-01-31',
					},
					{
						displayName: 'Company',
						name: 'company',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Email',
						name: 'email',
						type: 'string',
						default: '',
						placeholder: 'e.g. name@email.com',
					},
					{
						displayName: 'First Name',
						name: 'firstName',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Formatted Name',
						name: 'formattedName',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. Jane Doe',
					},
					{
						displayName: 'Last Name',
						name: 'lastName',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Phone',
						name: 'phone',
						type: 'string',
						default: '',
						placeholder: 'e.g. +1 650 555 1234',
					},
					{
						displayName: 'Phone Type',
						name: 'phoneType',
						type: 'options',
						default: 'CELL',
						options: [
							{
								name: 'Cell',
								value: 'CELL',
							},
							{
								name: 'Home',
								value: 'HOME',
							},
							{
								name: 'iPhone',
								value: 'IPHONE',
							},
							{
								name: 'Main',
								value: 'MAIN',
							},
							{
								name: 'Work',
								value: 'WORK',
							},
						],
					},
					{
						displayName: 'Website',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://example.com',
					},
				],
			},
		],
	},
	{
		displayName: 'Contacts (JSON)',
		name: 'contactsJson',
		type: 'json',
		default:
			'[{"name":{"formatted_name":"Jane Doe","first_name":"Jane"},"phones":[{"phone":"+16505551234","type":"CELL"}]}]',
		required: true,
		description: "Meta's contacts array; each contact needs name.formatted_name",
		displayOptions: { show: { contactsSource: ['json'] } },
	},
];

const optionsCollection = messageOptions([]);

export const description = messageDescription('sendContacts', fields, optionsCollection);

/**
 * One contact card from the fields: every value read by kind, so an expression that gives null, an
 * object or a list is refused instead of reaching the recipient's card as "null" or
 * "[object Object]" (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/contacts-messages).
 */
function contactFromFields(
	this: IExecuteFunctions,
	itemIndex: number,
	entry: IDataObject,
	index: number,
): IDataObject {
	const node = this.getNode();
	const field = (label: string): FieldRef => ({
		label: `Contact ${index + 1} ${label}`,
		itemIndex,
	});
	const text = (key: string, label: string) =>
		Object.prototype.hasOwnProperty.call(entry, key)
			? expectText(node, entry[key], field(label))
			: '';
	const formattedName = text('formattedName', 'Formatted Name');
	const firstName = text('firstName', 'First Name');
	const lastName = text('lastName', 'Last Name');
	const contact: IDataObject = {
		name: {
			formatted_name: formattedName,
			...(firstName ? { first_name: firstName } : {}),
			...(lastName ? { last_name: lastName } : {}),
		},
	};
	const phone = text('phone', 'Phone');
	// A Phone Type whose expression gave nothing is refused, not replaced by Cell.
	const phoneType = collectionValue(
		node,
		entry,
		'phoneType',
		field('Phone Type'),
		`contact ${index + 1}`,
	);
	if (phone) {
		const type = expectOption(node, phoneType ?? 'CELL', field('Phone Type'), PHONE_TYPES);
		contact.phones = [{ phone, type }];
	}
	const email = text('email', 'Email');
	if (email) contact.emails = [{ email, type: 'WORK' }];
	const company = text('company', 'Company');
	if (company) contact.org = { company };
	const url = text('url', 'Website');
	if (url) contact.urls = [{ url, type: 'WORK' }];
	const birthday = text('birthday', 'Birthday');
	if (birthday) contact.birthday = birthday;
	return contact;
}

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const { phoneNumberId, to, body } = startMessage.call(this, itemIndex, 'contacts');
	const source = readOption.call(
		this,
		'contactsSource',
		itemIndex,
		'Define Contacts',
		['fields', 'json'] as const,
		'fields',
	);
	const node = this.getNode();
	let contacts: IDataObject[];
	if (source === 'json') {
		const parsed = parseJsonParameter.call<IExecuteFunctions, [number, unknown, string], unknown>(
			this,
			itemIndex,
			this.getNodeParameter('contactsJson', itemIndex),
			'Contacts (JSON)',
		);
		const list = Array.isArray(parsed) ? parsed : [parsed];
		contacts = list.map((entry, index) =>
			expectObject(node, entry, { label: `Contacts (JSON) entry ${index + 1}`, itemIndex }),
		);
	} else {
		const collection = readCollection.call(this, 'contacts', itemIndex, 'Contacts');
		const entries = expectList(node, collection.contact, { label: 'Contacts', itemIndex });
		contacts = entries.map((entry, index) =>
			contactFromFields.call(
				this,
				itemIndex,
				expectObject(node, entry, { label: `Contact ${index + 1}`, itemIndex }),
				index,
			),
		);
	}
	if (contacts.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No contact to send', {
			itemIndex,
			description: 'Add at least one contact under "Contacts".',
		});
	}
	contacts.forEach((contact, index) => {
		const name = (contact?.name as IDataObject | undefined)?.formatted_name;
		if (typeof name !== 'string' || name.trim() === '') {
			throw new NodeOperationError(this.getNode(), `Contact ${index + 1} has no formatted name`, {
				itemIndex,
				description:
					'WhatsApp requires a "Formatted Name" (name.formatted_name) for every contact, as text.',
			});
		}
	});
	body.contacts = contacts;
	return { itemIndex, phoneNumberId, body, summary: { to, type: 'contacts' } };
}
