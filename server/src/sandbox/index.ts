/** The sandbox: a faithful local WhatsApp Cloud API (see DESIGN.md, "Sandbox"). */
export { createSandbox } from './sandbox.ts';
export type { SandboxAccess } from './access.ts';
export type { Sandbox } from './sandbox.ts';
