/**
 * The simulator's webhook emitter: Meta-shaped, signed, batched deliveries with retries, and the
 * verification handshake. See emitter.ts for the API and payloads.ts for the builders.
 */
export * from './emitter';
export * from './payloads';
export * from './signing';
