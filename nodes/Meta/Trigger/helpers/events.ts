/**
 * What the node can listen to, and the shape every flattened event shares. The event names are
 * the `event` field of each output item, so a Switch node can route on them.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

export const TRIGGER_EVENTS = [
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
] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export const MESSAGE_STATUSES = ['sent', 'delivered', 'read', 'failed', 'played'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** What the user picked on the node, already checked. */
export interface Selection {
	events: Set<TriggerEvent>;
	statuses: Set<string>;
	/** Empty: every phone number (and likewise below). */
	phoneNumberIds: Set<string>;
	whatsAppBusinessAccountIds: Set<string>;
	instagramAccountIds: Set<string>;
	messageTypes: Set<string>;
	includeRaw: boolean;
}

/** One event of a delivery, ready to become an output item. */
export interface FlatEvent {
	eventId: string;
	json: IDataObject;
}

/** A delivery split into the events the user wants and a count of those filtered out. */
export interface Flattened {
	events: FlatEvent[];
	filteredOut: number;
}

/** Unix seconds (number or numeric string) or milliseconds as an ISO date, else undefined. */
export function isoTime(
	value: unknown,
	unit: 'seconds' | 'milliseconds' = 'seconds',
): string | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
	return new Date(unit === 'seconds' ? number * 1000 : number).toISOString();
}

/** A short stable hash of an event's identifying parts, for events without an id of their own. */
export function stableHash(...parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export function asObject(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: {};
}

export function asList(value: unknown): IDataObject[] {
	return Array.isArray(value) ? value.map(asObject) : [];
}

export function asText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** The object without its undefined entries, so items show only what Meta sent. */
export function compact(object: IDataObject): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(object)) if (value !== undefined) result[key] = value;
	return result;
}
