import type { DomainModule } from '../types';
import { identityDomain } from './identity';
import { instagramDomain } from './instagram';
import { instagramEngageDomain } from './instagramEngage';
import { onboardingDomain } from './onboarding';
import { whatsappDomain } from './whatsapp';

/** Every domain module the engine loads (owned by the simulator engineer). */
// whatsapp before instagram: both answer POST /{id}/media, and the WhatsApp module hands ids that
// are not phone numbers to Instagram's handler (see mediaEdgePost in whatsapp.ts).
// instagramEngage before whatsapp: both answer POST /{id}/messages and DELETE /{id}; its routes
// only accept Instagram account, Page, post and comment ids.
export const domainModules: DomainModule[] = [
	identityDomain,
	instagramEngageDomain,
	whatsappDomain,
	instagramDomain,
	onboardingDomain,
];
