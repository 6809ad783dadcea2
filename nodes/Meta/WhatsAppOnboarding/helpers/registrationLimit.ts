/**
 * Meta allows 10 register or deregister calls per number in 72 hours, then refuses with 133016
 * and blocks the number for 72 hours
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/registration).
 * This node counts its own calls in the workflow's static data and refuses before the budget is
 * spent, leaving calls for a manual fix. n8n saves static data only for active (production)
 * workflows, and calls made elsewhere (WhatsApp Manager, other workflows) are not seen, so Meta's
 * 133016 is read too and remembered as a block.
 */
import type { IDataObject } from 'n8n-workflow';

export const META_REGISTER_LIMIT = 10;
export const REGISTER_WINDOW_MS = 72 * 3600 * 1000;
/** Calls this node makes at most, leaving two of Meta's ten for a deregistration and a retry by hand. */
export const DEFAULT_REGISTER_BUDGET = 8;

export interface RegistrationLedger {
	/** Phone number id -> this node's register calls (ms), newest last. */
	calls: Record<string, number[]>;
	/** Phone number id -> end of Meta's 133016 block (ms). */
	blockedUntil: Record<string, number>;
}

/** The ledger inside the node's static data (created on first use, pruned of old calls). */
export function ledgerOf(staticData: IDataObject, now: number): RegistrationLedger {
	const stored = (staticData.registrations ?? {}) as Partial<RegistrationLedger>;
	const ledger: RegistrationLedger = {
		calls: { ...(stored.calls ?? {}) },
		blockedUntil: { ...(stored.blockedUntil ?? {}) },
	};
	for (const [phone, calls] of Object.entries(ledger.calls)) {
		const recent = (Array.isArray(calls) ? calls : []).filter(
			(at) => typeof at === 'number' && now - at < REGISTER_WINDOW_MS,
		);
		if (recent.length) ledger.calls[phone] = recent;
		else delete ledger.calls[phone];
	}
	for (const [phone, until] of Object.entries(ledger.blockedUntil)) {
		if (!(typeof until === 'number' && until > now)) delete ledger.blockedUntil[phone];
	}
	staticData.registrations = { calls: ledger.calls, blockedUntil: ledger.blockedUntil };
	return ledger;
}

export interface RegistrationBudget {
	allowed: boolean;
	used: number;
	budget: number;
	/** When the next call is allowed again (ISO), when refused. */
	nextAllowedAt?: string;
	reason?: 'budget' | 'metaBlock';
}

export function registrationBudget(
	ledger: RegistrationLedger,
	phoneNumberId: string,
	budget: number,
	now: number,
): RegistrationBudget {
	const calls = ledger.calls[phoneNumberId] ?? [];
	const blocked = ledger.blockedUntil[phoneNumberId];
	if (blocked && blocked > now) {
		return {
			allowed: false,
			used: calls.length,
			budget,
			nextAllowedAt: new Date(blocked).toISOString(),
			reason: 'metaBlock',
		};
	}
	if (calls.length >= budget) {
		const oldest = calls[calls.length - budget];
		return {
			allowed: false,
			used: calls.length,
			budget,
			nextAllowedAt: new Date(oldest + REGISTER_WINDOW_MS).toISOString(),
			reason: 'budget',
		};
	}
	return { allowed: true, used: calls.length, budget };
}

export function recordCall(ledger: RegistrationLedger, phoneNumberId: string, now: number): void {
	ledger.calls[phoneNumberId] = [...(ledger.calls[phoneNumberId] ?? []), now];
}

export function recordMetaBlock(
	ledger: RegistrationLedger,
	phoneNumberId: string,
	now: number,
): void {
	ledger.blockedUntil[phoneNumberId] = now + REGISTER_WINDOW_MS;
}
