export * from './api.ts';
export * from './error-codes.ts';
export * from './meta-errors.ts';
export * from './phone.ts';
export type * from './realtime.ts';
export * from './template-render.ts';
export * from './window.ts';
export * from './cloud-api/send.ts';
export * from './cloud-api/webhook.ts';
