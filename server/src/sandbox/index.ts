/** The sandbox: a faithful local WhatsApp Cloud API (see DESIGN.md, "Sandbox"). */
export { SANDBOX_ACCESS_TOKEN, createSandbox } from './sandbox.ts';
export type { Sandbox, SandboxOptions } from './sandbox.ts';
