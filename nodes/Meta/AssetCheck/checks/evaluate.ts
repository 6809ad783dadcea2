/**
 * Turns what discovery read into check results. The chain is evaluated in order; a link that
 * cannot be judged because an earlier one failed is `skipped` (with the reason), so every report
 * names the first real problem instead of its echoes.
 *
 * Without a target, a check over several assets passes when every asset passes, warns when some
 * do not, and fails when none does: "ready" means at least one complete chain works.
 */
import type { Evaluation, EvaluationInput } from './shared';
import { CheckReport } from './shared';
import { evaluateInstagram } from './instagramChecks';
import { checkGraphVersion, checkMessagingLimit, checkPaymentMethod } from './platformChecks';
import { evaluateTokenAndApp } from './tokenChecks';
import { evaluateWhatsApp } from './whatsappChecks';

export type { Evaluation, EvaluationInput, PageReadiness, PhoneReadiness } from './shared';

export function evaluate(input: EvaluationInput): Evaluation {
	const report = new CheckReport();
	const evaluation: Evaluation = {
		checks: report.checks,
		now: Math.floor(input.discovery.now / 1000),
		scopes: { granted: [], declined: [], missing: [] },
		pageReadiness: [],
		phoneReadiness: [],
		appSubscribedByWaba: new Map(),
	};
	const upstream = evaluateTokenAndApp(input, report, evaluation);
	checkGraphVersion(input, report, [...input.capabilities]);
	if (input.capabilities.has('instagramPublishing')) {
		evaluateInstagram(input, report, evaluation, upstream);
	}
	if (input.capabilities.has('whatsappMessaging')) {
		evaluateWhatsApp(input, report, evaluation, upstream);
		checkMessagingLimit(input, report);
		checkPaymentMethod(input, report);
	}
	return evaluation;
}
